package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static dev.ordo.planner.engine.Harness.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Signal;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shutdown command (docs/semantics.md, Plans, Shutdown) and ordering against the boot's jobs. */
class ShutdownAndBootOrderTest {

    private static Job.Builder service(String name) {
        return job(name).process(exec(Phase.MAIN, "/usr/sbin/" + name));
    }

    private static Relation rel(RelationKind kind, String target) {
        return Relation.declared(kind, target, Harness.AT);
    }

    private static boolean killed(Harness h, int pid) {
        return h.all.contains(new Effect.SendSignal(pid, true, Signal.TERM));
    }

    @Test
    void halStopsOnStoppingDbusAndDbusIsSignalledOnlyAfterHalStopped() {
        Harness h = new Harness(service("dbus").build(),
                service("hal").startOn(on("started dbus")).stopOn(on("stopping dbus")).build());
        h.command(Input.Command.start(h.request(), "dbus").noWait());
        int dbus = h.spawned("dbus", Phase.MAIN);
        int hal = h.spawned("hal", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        assertEquals(JobGoal.STOP, h.inst("hal").goal(), "asked to stop by stopping dbus");
        assertTrue(killed(h, hal));
        assertFalse(killed(h, dbus), "stopping dbus is held until hal has stopped");
        h.killed(hal, Signal.TERM);
        assertTrue(killed(h, dbus));
        assertNull(h.reply(down), "answered only when everything has stopped");
        h.killed(dbus, Signal.TERM);
        assertEquals(new Effect.Reply(down, true, ""), h.reply(down));
        assertTrue(h.engine.instances().isEmpty());
    }

    @Test
    void aJobStartedByAnothersStartedEventIsNotOrderedAgainstItAtShutdown() {
        // Upstart's rule: web stops by its stop_on, and it has none; the boot's event is not reversed.
        Harness h = new Harness(service("db").build(), service("web").startOn(on("started db")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        int db = h.spawned("db", Phase.MAIN);
        int web = h.spawned("web", Phase.MAIN);
        h.command(Input.Command.shutdown(h.request()));
        assertEquals(JobGoal.STOP, h.inst("db").goal(), "both are asked at once");
        assertTrue(killed(h, web));
        assertTrue(killed(h, db), "db does not wait for web");
    }

    @Test
    void anAfterIsStillReversedBesideAStartedEvent() {
        // systemd's rule stays for orderings: web after db stops before db is signalled.
        Harness h = new Harness(service("db").build(),
                service("web").startOn(on("started db")).relation(rel(RelationKind.AFTER, "db")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        int db = h.spawned("db", Phase.MAIN);
        int web = h.spawned("web", Phase.MAIN);
        h.command(Input.Command.shutdown(h.request()));
        assertEquals(JobState.STOPPING, h.inst("db").state(), "db waits in stopping");
        assertTrue(killed(h, web));
        assertFalse(killed(h, db));
        h.killed(web, Signal.TERM);
        assertTrue(killed(h, db));
    }

    @Test
    void reversedAfterWaitsForAJobLeftToItsStopOn() {
        // app is after base, and stops only when cache stops: base waits for app all the same.
        Harness h = new Harness(service("base").build(), service("cache").build(),
                service("app").relation(rel(RelationKind.AFTER, "base")).stopOn(on("stopped cache")).build());
        for (String j : List.of("base", "cache", "app")) h.command(Input.Command.start(h.request(), j).noWait());
        int base = h.spawned("base", Phase.MAIN);
        int cache = h.spawned("cache", Phase.MAIN);
        int app = h.spawned("app", Phase.MAIN);
        h.command(Input.Command.shutdown(h.request()));
        assertEquals(JobGoal.START, h.inst("app").goal(), "left to its stop_on");
        assertTrue(killed(h, cache));
        assertFalse(killed(h, base), "base waits for app, which was started after it");
        h.killed(cache, Signal.TERM);
        assertTrue(killed(h, app));
        assertFalse(killed(h, base));
        h.killed(app, Signal.TERM);
        assertTrue(killed(h, base));
    }

    @Test
    void anExplicitStopRelationReplacesTheReversedOrder() {
        // portmap holds starting nfs-server at boot, yet stops only after nfs-server has stopped.
        Harness h = new Harness(service("nfs-server").build(),
                service("portmap").startOn(on("starting nfs-server")).stopOn(on("stopped nfs-server")).build());
        h.command(Input.Command.start(h.request(), "nfs-server").noWait());
        int portmap = h.spawned("portmap", Phase.MAIN);
        int nfs = h.spawned("nfs-server", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        assertTrue(killed(h, nfs));
        assertFalse(killed(h, portmap));
        h.killed(nfs, Signal.TERM);
        assertTrue(killed(h, portmap));
        h.killed(portmap, Signal.TERM);
        assertTrue(h.reply(down).ok());
    }

    @Test
    void upstartsChainOfStopRelationsShutsDownWithoutAReversedEventInTheWay() {
        // Issue 14: j3 started on `started j0` at boot. Reversed, that would make j0 wait for j3, which
        // waits for j2, which waits for j1's stopping, which waits for j0's stopped: a circle. Upstart
        // reverses nothing, and neither does ordo: j0 goes first, then j1 (and j2 inside j1's stopping), then j3.
        Harness h = new Harness(Set.of("j0", "j1", "j2", "j3"),
                service("j0").startOn(on("startup")).build(),
                service("j1").startOn(on("started j0")).stopOn(on("stopped j0")).build(),
                service("j2").startOn(on("started j1")).stopOn(on("stopping j1")).build(),
                service("j3").startOn(on("started j2 or started j0")).stopOn(on("stopped j2")).build());
        h.boot();
        int j0 = h.spawned("j0", Phase.MAIN);
        int j1 = h.spawned("j1", Phase.MAIN);
        int j2 = h.spawned("j2", Phase.MAIN);
        int j3 = h.spawned("j3", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        assertTrue(killed(h, j0), "j0 is signalled at once: nothing is ordered after it");
        assertFalse(killed(h, j1) || killed(h, j2) || killed(h, j3), "the others are left to their stop_on");
        h.killed(j0, Signal.TERM);
        assertTrue(killed(h, j2), "stopped j0 asks j1, whose stopping asks j2");
        assertFalse(killed(h, j1), "j1's stopping is held until j2 has stopped");
        assertFalse(killed(h, j3));
        h.killed(j2, Signal.TERM);
        assertTrue(killed(h, j1));
        assertTrue(killed(h, j3), "stopped j2 asks j3");
        h.killed(j1, Signal.TERM);
        h.killed(j3, Signal.TERM);
        assertTrue(h.reply(down).ok());
        assertTrue(h.engine.instances().isEmpty());
        assertTrue(h.logs().stream().noneMatch(l -> l.startsWith("shutdown: ") || l.startsWith("Not reversing")), h.logs().toString());
    }

    @Test
    void aReversedAfterThatClosesACircleWithStopRelationsIsDroppedAndLogged() {
        // app after base, reversed: base waits for app. But app stops on stopped cache, and cache on
        // stopped base: app stops only after base has. The stop relations win; the log says so.
        Harness h = new Harness(service("base").build(),
                service("cache").stopOn(on("stopped base")).build(),
                service("app").relation(rel(RelationKind.AFTER, "base")).stopOn(on("stopped cache")).build());
        for (String j : List.of("base", "cache", "app")) h.command(Input.Command.start(h.request(), j).noWait());
        int base = h.spawned("base", Phase.MAIN);
        int cache = h.spawned("cache", Phase.MAIN);
        int app = h.spawned("app", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        assertEquals(List.of("Not reversing after at shutdown: base does not wait for app, which its stop relations"
                + " stop after it (base -> cache -> app)"), h.logs());
        assertTrue(killed(h, base), "base does not wait for app");
        h.killed(base, Signal.TERM);
        assertTrue(killed(h, cache));
        assertFalse(killed(h, app));
        h.killed(cache, Signal.TERM);
        assertTrue(killed(h, app));
        h.killed(app, Signal.TERM);
        assertTrue(h.reply(down).ok());
        assertEquals(1, h.logs().size(), "no wait had to be broken: " + h.logs());
    }

    @Test
    void withoutAStopRelationTheHolderIsNotOrderedAgainstTheJobItHeld() {
        // portmap held starting nfs-server at boot; without a stop_on the two stop at once (Upstart).
        Harness h = new Harness(service("nfs-server").build(),
                service("portmap").startOn(on("starting nfs-server")).build());
        h.command(Input.Command.start(h.request(), "nfs-server").noWait());
        int portmap = h.spawned("portmap", Phase.MAIN);
        int nfs = h.spawned("nfs-server", Phase.MAIN);
        h.command(Input.Command.shutdown(h.request()));
        assertTrue(killed(h, nfs));
        assertTrue(killed(h, portmap), "the held event is not reversed");
    }

    @Test
    void aTaskOnAShutdownEventRunsAndHoldsItsEvent() {
        Harness h = new Harness(service("db").build(),
                job("dump").task(true).startOn(on("stopping db")).process(exec(Phase.MAIN, "/bin/dump")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        int db = h.spawned("db", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        assertEquals(JobGoal.START, h.inst("dump").goal());
        int dump = h.spawned("dump", Phase.MAIN);
        assertFalse(killed(h, db));
        h.exit(dump, 0);
        assertTrue(killed(h, db));
        h.killed(db, Signal.TERM);
        assertTrue(h.reply(down).ok());
        assertTrue(h.engine.instances().isEmpty());
    }

    @Test
    void aStopOnThatCannotHoldIsLetGoWhenNothingElseCanMove() {
        Harness h = new Harness(service("db").build(),
                service("web").stopOn(on("stopped db and never-emitted")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        h.command(Input.Command.start(h.request(), "web").noWait());
        int db = h.spawned("db", Phase.MAIN);
        int web = h.spawned("web", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        h.killed(db, Signal.TERM);
        assertTrue(h.logs().contains("shutdown: web waits for what will not come, stopping it"));
        assertTrue(killed(h, web));
        h.killed(web, Signal.TERM);
        assertEquals(new Effect.Reply(down, true, ""), h.reply(down));
    }

    @Test
    void startIsRefusedWhileShuttingDownAndASecondShutdownIsAnsweredToo() {
        Harness h = new Harness(service("db").build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        int db = h.spawned("db", Phase.MAIN);
        long first = h.command(Input.Command.shutdown(h.request()));
        long start = h.command(Input.Command.start(h.request(), "db"));
        assertEquals(new Effect.Reply(start, false, "Shutting down, not starting db"), h.reply(start));
        long second = h.command(Input.Command.shutdown(h.request()));
        h.killed(db, Signal.TERM);
        assertTrue(h.reply(first).ok());
        assertTrue(h.reply(second).ok());
    }

    @Test
    void duringTheBootAfterWaitsForABootJobThatHasNotStartedYet() {
        List<Job> jobs = List.of(service("base").startOn(on("started slow")).build(),
                service("slow").startOn(on("startup")).build(),
                service("web").startOn(on("startup")).relation(rel(RelationKind.AFTER, "base")).build());
        // Without the boot's jobs: systemd's rule, base has no pending start, web goes on.
        Harness plain = new Harness(jobs.toArray(Job[]::new));
        plain.boot();
        assertTrue(plain.spawning("web", Phase.MAIN));

        Harness h = new Harness(Set.of("base", "slow", "web"), jobs.toArray(Job[]::new));
        h.boot();
        assertEquals(JobState.STARTING, h.inst("web").state(), "base starts in this boot: web waits for it");
        h.spawned("slow", Phase.MAIN);
        assertFalse(h.spawning("web", Phase.MAIN));
        h.spawned("base", Phase.MAIN);
        assertTrue(h.spawning("web", Phase.MAIN));
    }

    @Test
    void theBootEndsWhenNothingHappensForASecondAndThenAfterIsPendingOnly() {
        // The plan expected base, but it waits for an event nobody sends: web must not wait for ever.
        Harness h = new Harness(Set.of("base", "web"), service("base").startOn(on("never")).build(),
                service("web").startOn(on("startup")).relation(rel(RelationKind.AFTER, "base")).build());
        h.boot();
        assertEquals(JobState.STARTING, h.inst("web").state());
        Effect.ArmTimer settle = (Effect.ArmTimer) h.last.stream().filter(e -> e instanceof Effect.ArmTimer)
                .findFirst().orElseThrow();
        assertEquals(Engine.BOOT_SETTLE.toMillis(), settle.delayMillis());
        h.in(new Input.TimerFired(settle.timer()));
        assertTrue(h.spawning("web", Phase.MAIN));
    }

    @Test
    void aTaskIsWaitedForUntilItIsDone() {
        Harness h = new Harness(job("migrate").task(true).process(exec(Phase.MAIN, "/bin/migrate"))
                        .process(exec(Phase.POST_STOP, "/bin/cleanup")).build(),
                service("app").relation(rel(RelationKind.AFTER, "migrate")).build());
        h.command(Input.Command.start(h.request(), "migrate").noWait());
        h.command(Input.Command.start(h.request(), "app").noWait());
        h.runs("migrate", Phase.MAIN, 0);
        assertEquals(JobState.STARTING, h.inst("app").state(), "migrate is not done before its post-stop ended");
        h.runs("migrate", Phase.POST_STOP, 0);
        assertTrue(h.spawning("app", Phase.MAIN));
    }
}
