package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static dev.ordo.planner.engine.Harness.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Signal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Dependency relations at run time (SEMANTICS §5), readiness probes, kill timeouts, status and list. */
class RelationsAndReadinessTest {

    private static Relation rel(RelationKind kind, String target) {
        return Relation.declared(kind, target, Harness.AT);
    }

    private static Job.Builder service(String name) {
        return job(name).process(exec(Phase.MAIN, "/usr/sbin/" + name));
    }

    @Test
    void requiresPullsInAndAfterOrdersTheStart() {
        Harness h = new Harness(service("db").build(),
                service("web").relation(rel(RelationKind.REQUIRES, "db")).relation(rel(RelationKind.AFTER, "db"))
                        .startOn(on("go")).build());
        h.emitNoWait("go");
        assertEquals(JobGoal.START, h.inst("db").goal(), "pulled in, although db has no start_on");
        assertEquals(JobState.STARTING, h.inst("web").state(), "web waits in starting for db");
        assertFalse(h.spawning("web", Phase.MAIN));
        h.spawned("db", Phase.MAIN);
        assertEquals(JobState.SPAWNED, h.inst("web").state());
    }

    @Test
    void wantsWithoutAfterStartsBothAtOnce() {
        Harness h = new Harness(service("db").build(),
                service("web").relation(rel(RelationKind.WANTS, "db")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        assertTrue(h.spawning("web", Phase.MAIN));
        assertTrue(h.spawning("db", Phase.MAIN));
    }

    @Test
    void failedRequiredDependencyFailsTheDependantsStart() {
        Harness h = new Harness(service("db").process(exec(Phase.PRE_START, "/bin/check-db")).build(),
                service("web").relation(rel(RelationKind.REQUIRES, "db")).relation(rel(RelationKind.AFTER, "db")).build());
        long start = h.command(Input.Command.start(h.request(), "web"));
        h.runs("db", Phase.PRE_START, 1);
        assertEquals(new Effect.Reply(start, false, "Job failed to start: web: dependency failed: db (pre-start process exited with status 1) → web"), h.reply(start));
        assertTrue(h.logs().contains("web not starting: dependency failed: db (pre-start process exited with status 1) → web"));
        assertTrue(h.emitted().contains("stopped JOB=web INSTANCE= RESULT=failed PROCESS=dependency"));
        assertFalse(h.spawning("web", Phase.MAIN));
    }

    @Test
    void stoppingARequiredJobStopsItsDependantsFirst() {
        Harness h = new Harness(service("db").build(),
                service("web").relation(rel(RelationKind.REQUIRES, "db")).relation(rel(RelationKind.AFTER, "db")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        int db = h.spawned("db", Phase.MAIN);
        int web = h.spawned("web", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "db").noWait());
        assertTrue(h.last.contains(new Effect.SendSignal(web, true, Signal.TERM)));
        assertFalse(h.last.contains(new Effect.SendSignal(db, true, Signal.TERM)), "db waits until web has stopped");
        h.killed(web, Signal.TERM);
        assertTrue(h.last.contains(new Effect.SendSignal(db, true, Signal.TERM)));
    }

    /**
     * {@code ordo stop x} with a dependant n ordered after x: n is at rest before x gets its signal,
     * however n was reached (requires or binds_to, its own stop_on, or both at once).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"requires+after+stop_on", "requires+after", "after+stop_on", "binds_to+after",
            "binds_to+after+stop_on", "requires+before-on-x+stop_on"})
    void anExplicitStopSignalsTheJobOnlyAfterItsDependantsOrderedAfterItStopped(String variant) {
        Job.Builder n = service("n").startOn(on("started x"));
        Job.Builder x = service("x");
        if (variant.contains("requires")) n.relation(rel(RelationKind.REQUIRES, "x"));
        if (variant.contains("binds_to")) n.relation(rel(RelationKind.BINDS_TO, "x"));
        if (variant.contains("+after")) n.relation(rel(RelationKind.AFTER, "x"));
        if (variant.contains("before-on-x")) x.relation(rel(RelationKind.BEFORE, "n"));
        if (variant.contains("stop_on")) n.stopOn(on("stopping x"));
        Harness h = new Harness(x.build(), n.build());
        h.command(Input.Command.start(h.request(), "x").noWait());
        int xPid = h.spawned("x", Phase.MAIN);
        int nPid = h.spawned("n", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("n").state());
        long stop = h.command(Input.Command.stop(h.request(), "x"));
        assertEquals(JobGoal.STOP, h.inst("n").goal());
        assertTrue(h.all.contains(new Effect.SendSignal(nPid, true, Signal.TERM)));
        assertFalse(h.all.contains(new Effect.SendSignal(xPid, true, Signal.TERM)), "x waits until n has stopped");
        assertNull(h.reply(stop));
        h.killed(nPid, Signal.TERM);
        int nAtRest = h.all.indexOf(new Effect.StateChanged("n", "", JobGoal.STOP, JobState.WAITING));
        int xKilled = h.all.indexOf(new Effect.SendSignal(xPid, true, Signal.TERM));
        assertTrue(nAtRest >= 0 && xKilled > nAtRest, "n reached waiting (" + nAtRest + ") before x's kill (" + xKilled + ")");
        h.killed(xPid, Signal.TERM);
        assertEquals(new Effect.Reply(stop, true, "x stop/waiting"), h.reply(stop));
        assertTrue(h.engine.instances().isEmpty());
    }

    @Test
    void conflictsStopTheOtherSide() {
        Harness h = new Harness(service("a").relation(rel(RelationKind.CONFLICTS, "b")).build(), service("b").build());
        h.command(Input.Command.start(h.request(), "b").noWait());
        int b = h.spawned("b", Phase.MAIN);
        h.command(Input.Command.start(h.request(), "a").noWait());
        assertEquals(JobGoal.STOP, h.inst("b").goal());
        assertTrue(h.last.contains(new Effect.SendSignal(b, true, Signal.TERM)));
    }

    @Test
    void probeMustPassBeforeRunningAndTimesOutAsFailure() {
        Readiness tcp = new Readiness.Tcp("127.0.0.1", 5432, Duration.ofSeconds(3));
        Harness h = new Harness(service("db").ready(tcp).build());
        long start = h.command(Input.Command.start(h.request(), "db"));
        h.spawned("db", Phase.MAIN);
        assertTrue(h.last.contains(new Effect.StartProbe("db", "", tcp)));
        assertEquals(JobState.POST_START, h.inst("db").state());
        assertNull(h.reply(start));
        h.in(new Input.Ready("db", ""));
        assertEquals(JobState.RUNNING, h.inst("db").state());
        assertTrue(h.reply(start).ok());

        Harness t = new Harness(service("db").ready(tcp).build());
        long s2 = t.command(Input.Command.start(t.request(), "db"));
        t.spawned("db", Phase.MAIN);
        long timer = t.last.stream().filter(e -> e instanceof Effect.ArmTimer).map(e -> ((Effect.ArmTimer) e).timer())
                .findFirst().orElseThrow();
        assertTrue(t.last.contains(new Effect.ArmTimer(timer, 3000)));
        t.in(new Input.TimerFired(timer));
        assertTrue(t.logs().contains("db readiness probe failed: no answer within 3s"));
        assertEquals(new Effect.Reply(s2, false, "Job failed to start: db: readiness probe failed: no answer within 3s"), t.reply(s2));
        assertTrue(t.emitted().contains("stopping JOB=db INSTANCE= RESULT=failed PROCESS=ready"));
    }

    @Test
    void notifyWaitsForReady() {
        Harness h = new Harness(service("d").ready(new Readiness.Notify()).build());
        h.command(Input.Command.start(h.request(), "d").noWait());
        h.spawned("d", Phase.MAIN);
        assertEquals(JobState.SPAWNED, h.inst("d").state());
        h.in(new Input.Ready("d", ""));
        assertEquals(JobState.RUNNING, h.inst("d").state());
    }

    @Test
    void stopDoesNotWaitForReadinessThatNeverComes() {
        Harness h = new Harness(service("d").ready(new Readiness.Notify()).build());
        h.command(Input.Command.start(h.request(), "d").noWait());
        int pid = h.spawned("d", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "d").noWait());
        assertTrue(h.last.contains(new Effect.SendSignal(pid, true, Signal.TERM)));
    }

    @Test
    void killTimeoutSendsSigkill() {
        Harness h = new Harness(service("d").kill(new Kill(Signal.parse("PWR"), Duration.ofSeconds(120), Signal.HUP)).build());
        h.command(Input.Command.start(h.request(), "d").noWait());
        int pid = h.spawned("d", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "d").noWait());
        assertTrue(h.last.contains(new Effect.SendSignal(pid, true, Signal.parse("PWR"))));
        Effect.ArmTimer timer = (Effect.ArmTimer) h.last.stream().filter(e -> e instanceof Effect.ArmTimer).findFirst().orElseThrow();
        assertEquals(120_000, timer.delayMillis());
        h.in(new Input.TimerFired(timer.timer()));
        assertTrue(h.last.contains(new Effect.SendSignal(pid, true, Signal.KILL)));
        assertEquals(List.of(new Effect.LogLine("Sending KILL signal to d main process (" + pid + ")")),
                h.last.stream().filter(e -> e instanceof Effect.LogLine).toList());
    }

    @Test
    void statusAndListInUpstartShape() {
        Harness h = new Harness(service("getty").instance(new dev.ordo.planner.model.Template("$TTY", Harness.AT))
                .process(exec(Phase.POST_START, "/bin/settle")).build(), service("hal").build());
        h.command(Input.Command.start(h.request(), "getty", "TTY=tty1").noWait());
        int main = h.spawned("getty", Phase.MAIN);
        int post = h.spawned("getty", Phase.POST_START);
        assertEquals("getty (tty1) start/post-start, process " + main + "\n\tpost-start process " + post,
                h.status("getty", "TTY=tty1"));
        assertEquals("hal stop/waiting", h.status("hal"));
        long unknown = h.command(Input.Command.status(h.request(), "getty", "TTY=tty9"));
        assertEquals(new Effect.Reply(unknown, false, "Unknown instance: tty9"), h.reply(unknown));
        long missing = h.command(Input.Command.start(h.request(), "getty"));
        assertEquals(new Effect.Reply(missing, false, "unknown variable $TTY"), h.reply(missing));
        long list = h.command(Input.Command.list(h.request()));
        assertEquals("getty (tty1) start/post-start, process " + main + "\n\tpost-start process " + post
                + "\nhal stop/waiting", h.reply(list).text());
        long bad = h.command(Input.Command.start(h.request(), "hal", "oops"));
        assertEquals(new Effect.Reply(bad, false, "Env must be KEY=VALUE pairs"), h.reply(bad));
    }
}
