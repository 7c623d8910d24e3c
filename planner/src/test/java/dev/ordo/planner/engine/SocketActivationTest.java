package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.ServiceSockets;
import dev.ordo.planner.model.SocketPort;
import dev.ordo.planner.model.SocketSetup;
import dev.ordo.planner.model.Unit;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Socket activation as systemd's socket.c and service.c do it: a socket unit is up once its sockets listen,
 * before its service; traffic starts the service, which is given the listening sockets however it starts;
 * the sockets stay open across its restarts and are watched again once it is down; with Accept=yes each
 * connection gets an instance of its own.
 */
class SocketActivationTest {

    static SocketSetup setup(boolean accept, String service, int maxConnections, int burst) {
        SocketPort p = new SocketPort(SocketPort.ListenKind.STREAM, SocketPort.Family.PATH, "/run/a.sock", null, 0, null, Harness.AT);
        return new SocketSetup(List.of(p), accept, service, null, null, 0666, 0755, Integer.MAX_VALUE, false, false, null,
                false, List.of(), null, maxConnections, Duration.ofSeconds(2), burst);
    }

    static Job socket(String name, SocketSetup s, Relation... relations) {
        Job.Builder b = job(name).manual(true);
        for (Relation r : relations) b.relation(r);
        return b.unit(new Unit("socket", null, true, false, false, null, null, List.of(), List.of(), List.of(), List.of(),
                List.of(), s, null)).build();
    }

    static Job service(String name, ServiceSockets ss, Relation... relations) {
        Job.Builder b = job(name).manual(true).process(exec(Phase.PRE_START, "/bin/prepare")).process(exec(Phase.MAIN, "/usr/bin/" + name));
        for (Relation r : relations) b.relation(r);
        return b.unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(), List.of(),
                List.of(), null, ss)).build();
    }

    static Relation rel(RelationKind kind, String target) {
        return Relation.declared(kind, target, Harness.AT);
    }

    private static Harness dbus() {
        return new Harness(socket("dbus.socket", setup(false, "dbus.service", 64, 20), rel(RelationKind.BEFORE, "dbus.service")),
                service("dbus.service", null));
    }

    private static boolean has(Harness h, Effect e) {
        return h.all.contains(e);
    }

    private static long count(Harness h, Class<?> kind) {
        return h.all.stream().filter(kind::isInstance).count();
    }

    @Test
    void theSocketIsUpOnceItListensAndTrafficStartsItsService() {
        Harness h = dbus();
        h.command(Input.Command.start(h.request(), "dbus.socket").noWait());
        assertTrue(has(h, new Effect.OpenSockets("dbus.socket", "", setup(false, "dbus.service", 64, 20))));
        assertEquals(JobState.SPAWNED, h.inst("dbus.socket").state(), "not up before its sockets listen");
        assertFalse(h.exists("dbus.service"));
        h.in(new Input.SocketsOpened("dbus.socket", ""));
        assertEquals(JobState.RUNNING, h.inst("dbus.socket").state());
        assertTrue(h.last.contains(new Effect.WatchSockets("dbus.socket", "")));
        assertFalse(h.exists("dbus.service"), "nothing starts the service before traffic comes");
        h.in(new Input.SocketTraffic("dbus.socket", ""));
        assertTrue(h.logs().contains("dbus.socket has traffic, starting dbus.service"));
        h.runs("dbus.service", Phase.PRE_START, 0);
        Effect.Spawn main = h.spawn("dbus.service", Phase.MAIN);
        assertEquals(new Effect.SocketFds(List.of("dbus.socket"), 0, false, false, false), main.fds());
        assertTrue(h.all.stream().noneMatch(e -> e instanceof Effect.Spawn s && s.phase() == Phase.PRE_START && !s.fds().none()),
                "ExecStartPre= is not given the sockets");
        h.spawned("dbus.service", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("dbus.service").state());
    }

    @Test
    void theSocketIsOrderedBeforeItsServiceWhenBothStart() {
        Harness h = new Harness(Set.of(), socket("a.socket", setup(false, "a.service", 64, 20), rel(RelationKind.BEFORE, "a.service")),
                service("a.service", null));
        h.command(Input.Command.start(h.request(), "a.socket").noWait());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        assertFalse(h.spawning("a.service", Phase.PRE_START), "the service waits for its socket to listen");
        h.in(new Input.SocketsOpened("a.socket", ""));
        h.runs("a.service", Phase.PRE_START, 0);
        assertEquals(List.of("a.socket"), h.spawn("a.service", Phase.MAIN).fds().units(), "a service started any way gets the fds");
        assertFalse(h.last.contains(new Effect.WatchSockets("a.socket", "")), "not watched while its service is on its way");
    }

    /** dbus.socket started, its first traffic, and dbus.service started by it: the pid of its main process. */
    private static int activated(Harness h) {
        h.command(Input.Command.start(h.request(), "dbus.socket").noWait());
        h.in(new Input.SocketsOpened("dbus.socket", ""));
        h.in(new Input.SocketTraffic("dbus.socket", ""));
        h.runs("dbus.service", Phase.PRE_START, 0);
        return h.spawned("dbus.service", Phase.MAIN);
    }

    @Test
    void theSocketsStayOpenAcrossAStopAndAreWatchedAgainOnceTheServiceIsDown() {
        Harness h = dbus();
        int pid = activated(h);
        long watches = count(h, Effect.WatchSockets.class);
        h.command(Input.Command.stop(h.request(), "dbus.service").noWait());
        assertEquals(watches, count(h, Effect.WatchSockets.class), "not watched while the service stops");
        h.killed(pid, dev.ordo.planner.model.Signal.TERM);
        assertFalse(h.exists("dbus.service"));
        assertTrue(h.last.contains(new Effect.WatchSockets("dbus.socket", "")), "watched again once it is down");
        assertEquals(0, count(h, Effect.CloseSockets.class), "the sockets were never closed");
        assertEquals(1, count(h, Effect.OpenSockets.class), "nor opened again");
        h.in(new Input.SocketTraffic("dbus.socket", ""));
        h.runs("dbus.service", Phase.PRE_START, 0);
        assertEquals(List.of("dbus.socket"), h.spawn("dbus.service", Phase.MAIN).fds().units());
    }

    @Test
    void theShutdownTakesNoTrafficAndStopsTheServiceBeforeItsSocket() {
        Harness h = dbus();
        int pid = activated(h);
        long watches = count(h, Effect.WatchSockets.class);
        h.command(Input.Command.shutdown(h.request()));
        assertEquals(0, count(h, Effect.CloseSockets.class), "the service stops first: the socket is ordered before it");
        h.killed(pid, dev.ordo.planner.model.Signal.TERM);
        assertEquals(watches, count(h, Effect.WatchSockets.class), "not watched again once the shutdown has begun");
        assertTrue(has(h, new Effect.CloseSockets("dbus.socket", "")));
        h.in(new Input.SocketTraffic("dbus.socket", ""));
        assertFalse(h.exists("dbus.service"));
    }

    @Test
    void stoppingTheSocketClosesItsSockets() {
        Harness h = dbus();
        h.command(Input.Command.start(h.request(), "dbus.socket").noWait());
        h.in(new Input.SocketsOpened("dbus.socket", ""));
        h.command(Input.Command.stop(h.request(), "dbus.socket").noWait());
        assertTrue(has(h, new Effect.CloseSockets("dbus.socket", "")));
        assertFalse(h.exists("dbus.socket"));
        h.in(new Input.SocketTraffic("dbus.socket", ""));
        assertFalse(h.exists("dbus.service"), "late traffic of a closed socket starts nothing");
    }

    @Test
    void socketsThatCannotBeOpenedFailTheSocketUnit() {
        Harness h = dbus();
        long r = h.command(Input.Command.start(h.request(), "dbus.socket"));
        h.in(new Input.SocketsFailed("dbus.socket", "", "/run/a.sock: Address already in use"));
        assertEquals(new Effect.Reply(r, false, "Job failed to start: dbus.socket: cannot listen: /run/a.sock: Address already in use"),
                h.reply(r));
        assertTrue(h.emitted().contains("stopped JOB=dbus.socket INSTANCE= RESULT=failed PROCESS=listen"), h.emitted()::toString);
        assertEquals(0, count(h, Effect.CloseSockets.class), "nothing was left open to close");
    }

    @Test
    void tooMuchTrafficHitsTheTriggerLimit() {
        Harness h = new Harness(socket("a.socket", setup(false, "a.service", 64, 2)), service("a.service", null));
        h.command(Input.Command.start(h.request(), "a.socket").noWait());
        h.in(new Input.SocketsOpened("a.socket", ""));
        for (int i = 0; i < 3; i++) {
            h.in(new Input.SocketTraffic("a.socket", ""));
            if (i < 2) {
                h.spawnFails("a.service", Phase.PRE_START);
                assertTrue(h.last.contains(new Effect.WatchSockets("a.socket", "")), "a failed service: watched again");
            }
        }
        assertTrue(h.logs().contains("a.socket trigger limit hit (2 in 2s), refusing further activation"), h.logs()::toString);
        assertTrue(has(h, new Effect.CloseSockets("a.socket", "")));
        assertTrue(h.emitted().contains("stopped JOB=a.socket INSTANCE= RESULT=failed PROCESS=trigger-limit"));
        h.now += 5_000;
        assertFalse(h.exists("a.socket"));
    }

    @Test
    void servicesGetTheSocketsTheirSocketsLineNamesInNameOrder() {
        Harness h = new Harness(socket("b.socket", setup(false, "b.service", 64, 20)), socket("a.socket", setup(false, "a.service", 64, 20)),
                service("a.service", new ServiceSockets(List.of("b.socket"), false, false, false)), service("b.service", null));
        for (String s : List.of("a.socket", "b.socket")) {
            h.command(Input.Command.start(h.request(), s).noWait());
            h.in(new Input.SocketsOpened(s, ""));
        }
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        h.runs("a.service", Phase.PRE_START, 0);
        assertEquals(List.of("a.socket", "b.socket"), h.spawn("a.service", Phase.MAIN).fds().units());
    }

    private static Harness ssh(int max) {
        return new Harness(socket("ssh.socket", setup(true, "ssh@.service", max, 200)),
                service("ssh@.service", new ServiceSockets(List.of(), true, true, true)));
    }

    @Test
    void acceptYesStartsAnInstancePerConnectionGivenOnlyIt() {
        Harness h = ssh(64);
        h.command(Input.Command.start(h.request(), "ssh.socket").noWait());
        h.in(new Input.SocketsOpened("ssh.socket", ""));
        assertTrue(h.last.contains(new Effect.WatchSockets("ssh.socket", "")));
        h.in(new Input.Connection("ssh.socket", "", 7, "0-127.0.0.1:22-127.0.0.1:40000", List.of("REMOTE_ADDR=127.0.0.1", "REMOTE_PORT=40000")));
        Effect.Spawn pre = h.spawn("ssh@.service", Phase.PRE_START);
        assertEquals("0-127.0.0.1:22-127.0.0.1:40000", pre.instance());
        assertEquals(new Effect.SocketFds(List.of(), 7, true, true, true), pre.fds(), "StandardInput=socket: every process");
        assertTrue(pre.env().contains("REMOTE_ADDR=127.0.0.1"));
        h.runs("ssh@.service", Phase.PRE_START, 0);
        int pid = h.spawned("ssh@.service", Phase.MAIN);
        // Named as systemd names it, and found by that name.
        String unit = "ssh@0-127.0.0.1:22-127.0.0.1:40000.service";
        assertEquals(unit + " start/running, process " + pid, h.status(unit));
        assertTrue(h.logs().stream().noneMatch(l -> l.contains("ssh@.service (")), h.logs()::toString);
        h.in(new Input.Connection("ssh.socket", "", 8, "1-127.0.0.1:22-127.0.0.1:40001", List.of()));
        assertTrue(h.spawning("ssh@.service", Phase.PRE_START), "a second connection, a second instance");
        h.exit(pid, 0);
        assertTrue(has(h, new Effect.CloseConnection(7)), "the connection closes with its instance");
        assertFalse(has(h, new Effect.CloseConnection(8)));
        assertEquals(1, count(h, Effect.WatchSockets.class), "Accept=yes is watched once, for every connection");
    }

    @Test
    void connectionsOverMaxConnectionsAreClosed() {
        Harness h = ssh(1);
        h.command(Input.Command.start(h.request(), "ssh.socket").noWait());
        h.in(new Input.SocketsOpened("ssh.socket", ""));
        h.in(new Input.Connection("ssh.socket", "", 7, "0-x", List.of()));
        h.in(new Input.Connection("ssh.socket", "", 8, "1-x", List.of()));
        assertTrue(h.last.contains(new Effect.CloseConnection(8)));
        assertTrue(h.logs().contains("ssh.socket has too many incoming connections (1), dropping connection"));
        assertFalse(h.engine.instance("ssh@.service", "1-x").isPresent());
    }

    @Test
    void aSocketActivatesItsServiceThroughTheServicesAlias() {
        // syslog.socket activates syslog.service, which is rsyslog.service's alias once rsyslog is enabled.
        Job rsyslog = Harness.job("rsyslog.service").manual(true).process(exec(Phase.MAIN, "/usr/sbin/rsyslogd"))
                .unit(new Unit("service", "simple", true, false, false, null, null, List.of(),
                        List.of(new dev.ordo.planner.model.Named("syslog.service", Harness.AT)), List.of(), List.of(),
                        List.of(), null, null)).build();
        Harness h = new Harness(socket("syslog.socket", setup(false, "syslog.service", 64, 20)), rsyslog);
        h.command(Input.Command.start(h.request(), "syslog.socket").noWait());
        h.in(new Input.SocketsOpened("syslog.socket", ""));
        h.in(new Input.SocketTraffic("syslog.socket", ""));
        assertTrue(h.logs().contains("syslog.socket has traffic, starting rsyslog.service"), h.logs().toString());
        assertEquals(List.of("syslog.socket"), h.spawn("rsyslog.service", Phase.MAIN).fds().units(), "the alias's unit gets the socket");
    }

    @Test
    void aSocketOfAServiceThatNeedsSystemdIsSkippedWithIt() {
        Job journald = Harness.job("systemd-journald.service").manual(true).process(exec(Phase.MAIN, "/lib/systemd/systemd-journald"))
                .unit(new Unit("service", "notify", true, false, false, null, null, List.of(), List.of(), List.of(), List.of(),
                        List.of(), null, null)).build();
        Job sock = socket("systemd-journald-dev-log.socket", setup(false, "systemd-journald.service", 64, 20));
        Harness h = new Harness(SkipPolicy.supervisor(true, false), java.util.Set.of(), sock, journald);
        h.command(Input.Command.start(h.request(), "systemd-journald-dev-log.socket").noWait());
        assertFalse(h.all.stream().anyMatch(e -> e instanceof Effect.OpenSockets), "nothing listens for a service that cannot run");
        assertTrue(h.all.stream().anyMatch(e -> e instanceof Effect.Skipped k && k.job().equals("systemd-journald-dev-log.socket")
                && k.text().startsWith("its service systemd-journald.service is skipped: systemd-journald works only under systemd")),
                h.all.toString());
    }
}
