package dev.ordo.planner.engine;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.ServiceSockets;
import dev.ordo.planner.model.SocketSetup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Socket activation, as systemd 252's socket.c and service.c do it (systemd.socket(5)). A socket unit's start
 * opens its sockets where a service would spawn its main process (after ExecStartPre=, before ExecStartPost=),
 * and it is up once they listen; they stay open while it is up, across every start and stop of its service,
 * and close when it stops (before ExecStopPost=).
 *
 * <p>Without Accept=, the socket is watched while its service is down: traffic starts the service as a
 * pull-in would (socket_enter_running), and the socket is watched again once the service has stopped
 * (socket_trigger_notify). The service's main process, however it was started, gets the listening sockets of
 * every socket unit that activates it or that its Sockets= names (service_collect_fds); its other processes
 * do not (only ExecStart= runs with EXEC_PASS_FDS). With Accept=yes, each connection starts an instance of the
 * service template of its own, given only that connection (and as standard input and output with
 * StandardInput=socket, to all its processes), up to MaxConnections= at once; the connection is closed when
 * the instance is gone. Too many activations in TriggerLimitIntervalSec= fail the socket.
 */
final class SocketActivation {

    private final Engine engine;

    SocketActivation(Engine engine) {
        this.engine = engine;
    }

    static SocketSetup setup(Job j) {
        return j.unit() == null ? null : j.unit().socket();
    }

    /**
     * Entering spawned without a main process: a socket unit asks for its sockets and waits for them there;
     * true when it does.
     */
    boolean open(Instance inst) {
        SocketSetup s = setup(inst.job);
        if (s == null || inst.listening || inst.opening) return false;
        inst.opening = true;
        engine.out.add(new Effect.OpenSockets(inst.cls.name, inst.name, s));
        return true;
    }

    void input(Input.SocketInput in) {
        if (in instanceof Input.SocketsOpened o) opened(o);
        else if (in instanceof Input.SocketsFailed f) failed(f);
        else if (in instanceof Input.SocketTraffic t) traffic(t);
        else if (in instanceof Input.Connection c) connection(c);
    }

    private void opened(Input.SocketsOpened o) {
        Instance inst = engine.registry.find(o.job(), o.instance());
        if (inst == null || inst.destroyed || !inst.opening) {
            // Nothing waits for them any more: not left open.
            engine.out.add(new Effect.CloseSockets(o.job(), o.instance()));
            return;
        }
        inst.opening = false;
        inst.listening = true;
        if (inst.state == JobState.SPAWNED) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    private void failed(Input.SocketsFailed f) {
        Instance inst = engine.registry.find(f.job(), f.instance());
        if (inst == null || inst.destroyed || !inst.opening) return;
        inst.opening = false;
        engine.out.log(inst.displayName() + " failed to listen: " + f.reason());
        engine.lifecycle.jobFailed(inst, FailureReason.LISTEN, null, "cannot listen: " + f.reason());
        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        if (!inst.destroyed && inst.state == JobState.SPAWNED) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    /** The socket unit is up: it watches for traffic (Accept=no: while its service is down). */
    void up(Instance inst) {
        watch(inst);
    }

    /** Entering killed, or gone: the sockets close. */
    void close(Instance inst) {
        if (!inst.listening) return;
        inst.listening = false;
        inst.watched = false;
        engine.out.add(new Effect.CloseSockets(inst.cls.name, inst.name));
    }

    /**
     * An instance is gone: a socket's sockets close, a per-connection instance's connection closes, and the
     * sockets that activate its job are watched again.
     */
    void destroyed(Instance inst) {
        close(inst);
        inst.opening = false;
        if (inst.connection != 0) {
            engine.out.add(new Effect.CloseConnection(inst.connection));
            inst.connection = 0;
        }
        for (JobClass c : engine.registry.classes) {
            SocketSetup s = setup(c.job);
            if (s == null || s.accept() || inst.cls != engine.registry.named(s.service())) continue;
            for (Instance sock : c.instances.values()) watch(sock);
        }
    }

    private void watch(Instance sock) {
        SocketSetup s = setup(sock.job);
        if (s == null || sock.watched || !sock.listening || sock.goal == JobGoal.STOP || sock.state != JobState.RUNNING) return;
        // A socket takes no traffic once a stop is coming (socket_enter_running: unit_stop_pending), and at
        // shutdown every unit's stop is.
        if (engine.shutdown.shuttingDown) return;
        if (!s.accept() && wanted(engine.registry.named(s.service()))) return;
        sock.watched = true;
        engine.out.add(new Effect.WatchSockets(sock.cls.name, sock.name));
    }

    /** An instance of {@code c} is up or on its way (systemd's unit_active_or_pending, or a start queued after a stop). */
    private static boolean wanted(JobClass c) {
        if (c == null) return false;
        for (Instance x : c.instances.values()) if (!x.destroyed && x.goal != JobGoal.STOP) return true;
        return false;
    }

    /** A socket that may take traffic now: listening, up, not on its way down. */
    private Instance taking(String job, String instance) {
        Instance sock = engine.registry.find(job, instance);
        if (sock == null || sock.destroyed || !sock.listening || sock.goal == JobGoal.STOP || sock.state != JobState.RUNNING
                || engine.shutdown.shuttingDown) {
            return null;
        }
        return sock;
    }

    private void traffic(Input.SocketTraffic t) {
        Instance sock = taking(t.job(), t.instance());
        if (sock == null || !sock.watched) return;
        sock.watched = false;
        if (!belowTriggerLimit(sock)) return;
        SocketSetup s = setup(sock.job);
        // By name or alias: syslog.socket activates syslog.service, which is rsyslog.service's alias.
        JobClass service = engine.registry.named(s.service());
        if (service == null) {
            // Not watched again: the traffic stays, and would come back at once.
            engine.out.log(sock.displayName() + " has traffic, but " + s.service() + " does not exist; not answered");
            return;
        }
        if (wanted(service)) return; // watched again once it is down
        engine.out.log(sock.displayName() + " has traffic, starting " + service.name);
        engine.relations.startLikeCommand(service);
    }

    private void connection(Input.Connection c) {
        Instance sock = taking(c.job(), c.instance());
        if (sock == null || !belowTriggerLimit(sock)) {
            refuse(c.connection());
            return;
        }
        SocketSetup s = setup(sock.job);
        JobClass template = engine.registry.named(s.service());
        if (template == null || engine.shutdown.shuttingDown) {
            if (template == null) engine.out.log(sock.displayName() + " has a connection, but " + s.service() + " cannot be started; closed");
            refuse(c.connection());
            return;
        }
        int live = 0;
        for (Instance x : template.instances.values()) if (x.connection != 0) live++;
        if (live >= s.maxConnections()) {
            engine.out.log(sock.displayName() + " has too many incoming connections (" + live + "), dropping connection");
            refuse(c.connection());
            return;
        }
        JobClass missing = engine.relations.missingRequisite(template, Relations.pullClosure(template));
        Instance x = template.instances.get(c.name());
        if (missing != null || x != null) {
            if (missing != null) engine.out.log(template.name + " needs " + missing.name + " running (requisite); connection closed");
            refuse(c.connection());
            return;
        }
        x = engine.registry.instanceOf(template, c.name());
        x.connection = c.connection();
        x.startEnv = dev.ordo.planner.model.EnvVar.putAll(new LinkedHashMap<>(template.env), c.env());
        engine.lifecycle.changeGoal(x, JobGoal.START, Lifecycle.Cause.EXPLICIT);
    }

    private void refuse(long connection) {
        engine.out.add(new Effect.CloseConnection(connection));
    }

    /** systemd's ratelimit_below over TriggerLimitIntervalSec=/TriggerLimitBurst=; over it, the socket fails. */
    private boolean belowTriggerLimit(Instance sock) {
        SocketSetup s = setup(sock.job);
        long interval = s.triggerInterval().toMillis();
        if (s.triggerBurst() == 0 || interval == 0) return true;
        long now = engine.processes.clock.millis();
        if (sock.triggerTime == null || now - sock.triggerTime > interval) {
            sock.triggerTime = now;
            sock.triggerCount = 0;
        }
        if (++sock.triggerCount <= s.triggerBurst()) return true;
        String why = "trigger limit hit (" + s.triggerBurst() + " in " + dev.ordo.planner.model.Timespan.format(s.triggerInterval()) + ")";
        engine.out.log(sock.displayName() + " " + why + ", refusing further activation");
        engine.lifecycle.jobFailed(sock, FailureReason.TRIGGER_LIMIT, null, why);
        engine.lifecycle.changeGoal(sock, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        return false;
    }

    /**
     * What a process of {@code inst} is given: a per-connection instance its connection (to its main process,
     * and to all its processes when it is their standard input or output); a service's main process the
     * listening sockets of the socket units that activate it or that its Sockets= names, by unit name.
     */
    Effect.SocketFds fds(Instance inst, Phase phase) {
        ServiceSockets own = inst.job.unit() == null ? ServiceSockets.NONE : inst.job.unit().serviceSockets();
        if (inst.connection != 0) {
            boolean stdio = own.input() || own.output() || own.error();
            if (phase != Phase.MAIN && !stdio) return Effect.SocketFds.NONE;
            return new Effect.SocketFds(List.of(), inst.connection, own.input(), own.output(), own.error());
        }
        if (phase != Phase.MAIN || inst.job.unit() == null) return Effect.SocketFds.NONE;
        List<String> units = new ArrayList<>();
        for (JobClass c : engine.registry.classes) {
            SocketSetup s = setup(c.job);
            if (s == null || s.accept() || !(inst.cls == engine.registry.named(s.service()) || own.sockets().contains(c.name))) continue;
            for (Instance sock : c.instances.values()) {
                if (sock.listening) {
                    units.add(c.name);
                    break;
                }
            }
        }
        return units.isEmpty() ? Effect.SocketFds.NONE : new Effect.SocketFds(units, 0, false, false, false);
    }
}
