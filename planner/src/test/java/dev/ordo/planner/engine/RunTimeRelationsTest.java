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
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * requisite, on_failure and on_success at run time (systemd's Requisite=, OnFailure=, OnSuccess=),
 * why a stopped job failed in status and list, and the READY=1 timeout of {@code ready: notify}.
 */
class RunTimeRelationsTest {

    private static Relation rel(RelationKind kind, String target) {
        return Relation.declared(kind, target, Harness.AT);
    }

    private static Job.Builder service(String name) {
        return job(name).process(exec(Phase.MAIN, "/usr/sbin/" + name));
    }

    private static Job.Builder task(String name) {
        return service(name).task(true);
    }

    // ---- requisite --------------------------------------------------------------------------------

    @Test
    void aStartIsRefusedWhenTheRequisiteIsNotRunningAndNothingHappens() {
        Harness h = new Harness(service("db").build(), service("web").relation(rel(RelationKind.REQUISITE, "db")).build());
        long start = h.command(Input.Command.start(h.request(), "web"));
        assertEquals(new Effect.Reply(start, false,
                "Job failed to start: web needs db running (requisite), and it is not; start db first"), h.reply(start));
        assertFalse(h.exists("web"));
        assertFalse(h.exists("db"), "a requisite is not pulled in");
        assertEquals(List.of(), h.emitted(), "a refused start emits nothing");
        assertEquals("web stop/waiting", h.status("web"));
    }

    @Test
    void aStartGoesAheadWhenTheRequisiteIsRunningOrPulledInByTheSameStart() {
        Harness h = new Harness(service("db").build(), service("web").relation(rel(RelationKind.REQUISITE, "db")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        int db = h.spawned("db", Phase.MAIN);
        long start = h.command(Input.Command.start(h.request(), "web"));
        h.spawned("web", Phase.MAIN);
        assertTrue(h.reply(start).ok());
        assertEquals(db, h.inst("db").pids().get(Phase.MAIN), "db is not started a second time");

        Harness p = new Harness(service("db").build(),
                service("web").relation(rel(RelationKind.REQUISITE, "db")).relation(rel(RelationKind.WANTS, "db")).build());
        p.command(Input.Command.start(p.request(), "web").noWait());
        assertTrue(p.spawning("web", Phase.MAIN));
        assertTrue(p.spawning("db", Phase.MAIN));
    }

    @Test
    void aRequisiteStartedByTheSameEventIsOnItsWay() {
        // api comes before db in class order: the decision waits until the event reached db too.
        Harness h = new Harness(service("api").relation(rel(RelationKind.REQUISITE, "db")).startOn(on("go")).build(),
                service("db").startOn(on("go")).build());
        h.emitNoWait("go");
        assertEquals(JobGoal.START, h.inst("api").goal());
        assertEquals(JobGoal.START, h.inst("db").goal());
    }

    @Test
    void anEventStartWithoutItsRequisiteIsRefusedAndStatusSaysWhy() {
        Harness h = new Harness(service("api").relation(rel(RelationKind.REQUISITE, "db")).startOn(on("go")).build(),
                service("db").build());
        long emit = h.emit("go");
        assertFalse(h.exists("api"));
        assertTrue(h.logs().contains("api requisite db is not running, not starting"));
        assertFalse(h.emitted().stream().anyMatch(e -> e.startsWith("starting")), "nothing left stop/waiting");
        assertTrue(h.reply(emit).ok(), "the event is not failed: no job failed");
        assertEquals("api stop/waiting, not started: requisite db was not running", h.status("api"));
        long list = h.command(Input.Command.list(h.request()));
        assertEquals("api stop/waiting, not started: requisite db was not running\ndb stop/waiting", h.reply(list).text());
    }

    @Test
    void inTheBootARequisiteTheBootWillStartIsOnItsWay() {
        Harness h = new Harness(Set.of("api", "db"),
                service("api").relation(rel(RelationKind.REQUISITE, "db")).relation(rel(RelationKind.AFTER, "db"))
                        .startOn(on("startup")).build(),
                service("db").startOn(on("started x")).build(),
                service("x").build());
        // api starts with startup; db only later (after x, here by hand): api waits for it, not refused.
        h.boot();
        assertEquals(JobState.STARTING, h.inst("api").state());
        h.command(Input.Command.start(h.request(), "db").noWait());
        h.spawned("db", Phase.MAIN);
        assertEquals(JobState.SPAWNED, h.inst("api").state());
    }

    @Test
    void aTaskDoneInTheBootIsThereForARequisiteUntilTheBootIsOverThenNot() {
        // migrate is a oneshot without RemainAfterExit: inactive once done. The boot is one transaction
        // (as the plan takes it): api, started by migrate's own stopped event, still finds it there.
        Harness h = new Harness(Set.of("migrate", "api", "web"),
                task("migrate").startOn(on("startup")).build(),
                service("api").startOn(on("stopped migrate")).relation(rel(RelationKind.REQUISITE, "migrate")).build(),
                service("web").startOn(on("startup")).build(),
                service("late").relation(rel(RelationKind.REQUISITE, "migrate")).build());
        h.boot();
        h.spawned("web", Phase.MAIN);
        h.runs("migrate", Phase.MAIN, 0);
        h.spawned("api", Phase.MAIN);
        assertEquals(JobGoal.START, h.inst("api").goal());
        assertFalse(h.logs().stream().anyMatch(l -> l.contains("the boot is over")), h.logs()::toString);
        // Every boot job is up or done: the boot is over, and a done task is inactive for later starts.
        long start = h.command(Input.Command.start(h.request(), "late"));
        assertEquals(new Effect.Reply(start, false,
                "Job failed to start: late needs migrate running (requisite), and it is not; start migrate first"), h.reply(start));
    }

    @Test
    void aFailedRequisiteFailsAJobOrderedAfterItAndStoppingItStopsTheJob() {
        Harness h = new Harness(service("db").process(exec(Phase.PRE_START, "/bin/check")).build(),
                service("web").relation(rel(RelationKind.REQUISITE, "db")).relation(rel(RelationKind.AFTER, "db")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        long start = h.command(Input.Command.start(h.request(), "web"));
        h.runs("db", Phase.PRE_START, 1);
        assertEquals(new Effect.Reply(start, false, "Job failed to start: web: dependency failed: db (pre-start process exited with status 1) → web"), h.reply(start));
        assertTrue(h.emitted().contains("stopped JOB=web INSTANCE= RESULT=failed PROCESS=dependency"));
        assertEquals("web stop/waiting, failed: dependency failed: db (pre-start process exited with status 1) → web", h.status("web"));

        Harness s = new Harness(service("db").build(), service("web").relation(rel(RelationKind.REQUISITE, "db")).build());
        s.command(Input.Command.start(s.request(), "db").noWait());
        s.spawned("db", Phase.MAIN);
        s.command(Input.Command.start(s.request(), "web").noWait());
        int web = s.spawned("web", Phase.MAIN);
        s.command(Input.Command.stop(s.request(), "db").noWait());
        assertTrue(s.last.contains(new Effect.SendSignal(web, true, Signal.TERM)), "an explicit stop reaches the dependant");
    }

    @Test
    void aDependantAskedToStartAgainWhileStillStoppingFailsWhenItsRequisiteFailsAgain() {
        // db pulls web in; web needs db running and starts after it. db fails; web, still in its
        // post-stop, is pulled in again by db's second start, and db fails again before web is round.
        Harness h = new Harness(service("db").relation(rel(RelationKind.REQUIRES, "web")).build(),
                service("web").process(exec(Phase.POST_STOP, "/bin/cleanup"))
                        .relation(rel(RelationKind.REQUISITE, "db")).relation(rel(RelationKind.AFTER, "db")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        h.spawnFails("db", Phase.MAIN);
        assertEquals(JobState.POST_STOP, h.inst("web").state());
        h.command(Input.Command.start(h.request(), "db").noWait());
        assertEquals(JobGoal.START, h.inst("web").goal(), "pulled in again while it stops");
        h.spawnFails("db", Phase.MAIN);
        assertEquals(JobGoal.STOP, h.inst("web").goal(), "the second failure reaches it too");
        h.runs("web", Phase.POST_STOP, 0);
        assertFalse(h.spawning("web", Phase.MAIN), "web never starts without db");
        assertEquals(2, h.logs().stream().filter("web not starting: dependency failed: db (main process could not be started: No such file or directory) → web"::equals).count(), h.logs()::toString);
        assertEquals("web stop/waiting, failed: dependency failed: db (main process could not be started: No such file or directory) → web",
                h.status("web"));
    }

    @Test
    void aTaskOnTheStoppingOfAJobOrderedAfterItFinishesAndTheJobStops() {
        // snapshot holds db's stopping event (U§2.4) and is ordered before db: waiting for db's stop
        // before its own would be a circle, as db's stop waits for snapshot to finish.
        Harness h = new Harness(service("db").build(),
                task("snapshot").startOn(on("stopping db")).relation(rel(RelationKind.BEFORE, "db")).build());
        h.command(Input.Command.start(h.request(), "db").noWait());
        h.spawnFails("db", Phase.MAIN);
        assertEquals(JobGoal.START, h.inst("snapshot").goal());
        h.runs("snapshot", Phase.MAIN, 0);
        assertFalse(h.exists("snapshot"), "snapshot is done: " + h.status("snapshot"));
        assertFalse(h.exists("db"), "db has stopped: " + h.status("db"));
        int done = h.emitted().indexOf("stopped JOB=snapshot INSTANCE= RESULT=ok");
        int dbStopped = h.emitted().indexOf("stopped JOB=db INSTANCE= RESULT=failed PROCESS=main");
        assertTrue(done >= 0 && dbStopped > done, "db stops once snapshot is done: " + h.emitted());
    }

    @Test
    void aJobOnTheStoppingOfAJobItIsOrderedAfterDoesNotWaitForThatJobsNextStart() {
        // report holds db's stopping event and is ordered after db (and cache, so it is still starting
        // when db is asked to start again); db waits in stopping for that event: report goes on once
        // cache is up (the event decides), then db goes round.
        Harness h = new Harness(service("db").build(), service("cache").build(),
                service("report").startOn(on("stopping db"))
                        .relation(rel(RelationKind.AFTER, "db")).relation(rel(RelationKind.AFTER, "cache")).build());
        h.command(Input.Command.start(h.request(), "cache").noWait());
        h.command(Input.Command.start(h.request(), "db").noWait());
        h.spawnFails("db", Phase.MAIN);
        assertEquals(JobState.STARTING, h.inst("report").state());
        h.command(Input.Command.start(h.request(), "db").noWait());
        assertEquals(JobGoal.START, h.inst("db").goal());
        assertEquals(JobState.STOPPING, h.inst("db").state());
        h.spawned("cache", Phase.MAIN);
        h.spawned("report", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("report").state());
        h.spawned("db", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("db").state());
    }

    // ---- on_failure, on_success -------------------------------------------------------------------

    @Test
    void onFailureStartsItsTargetWhenTheJobHasStoppedFailed() {
        Harness h = new Harness(service("alert").manual(true).build(),
                service("web").process(exec(Phase.PRE_START, "/bin/check")).relation(rel(RelationKind.ON_FAILURE, "alert")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        h.runs("web", Phase.PRE_START, 3);
        assertTrue(h.logs().contains("web failed, starting alert"));
        assertEquals(JobGoal.START, h.inst("alert").goal());
        assertTrue(h.spawning("alert", Phase.MAIN));
        int stopped = h.emitted().indexOf("stopped JOB=web INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=3");
        int alert = h.emitted().indexOf("starting JOB=alert INSTANCE=");
        assertTrue(stopped >= 0 && alert > stopped, "after web has stopped: " + h.emitted());
        assertEquals("web stop/waiting, failed: pre-start process exited with status 3", h.status("web"));
    }

    @Test
    void onFailureIsNotForADependencyThatFailedNorForACleanStop() {
        Harness h = new Harness(service("db").process(exec(Phase.PRE_START, "/bin/check")).build(), service("alert").build(),
                service("web").relation(rel(RelationKind.REQUIRES, "db")).relation(rel(RelationKind.AFTER, "db"))
                        .relation(rel(RelationKind.ON_FAILURE, "alert")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        h.runs("db", Phase.PRE_START, 1);
        assertFalse(h.exists("web"));
        assertFalse(h.exists("alert"), "web did not fail itself: its dependency did");

        Harness c = new Harness(service("alert").build(), service("web").relation(rel(RelationKind.ON_FAILURE, "alert")).build());
        c.command(Input.Command.start(c.request(), "web").noWait());
        int web = c.spawned("web", Phase.MAIN);
        c.command(Input.Command.stop(c.request(), "web").noWait());
        c.killed(web, Signal.TERM);
        assertFalse(c.exists("alert"));
    }

    @Test
    void inTheBootAJobDoesNotWaitForItsOwnOnSuccessOrOnFailureTarget() {
        // report is a boot job (migrate's success starts it) and migrate is ordered after it: as in the
        // plan, migrate does not wait for what only its own end starts (no 1 s stall until the boot is over).
        Harness h = new Harness(Set.of("migrate", "report"),
                task("migrate").startOn(on("startup")).relation(rel(RelationKind.AFTER, "report"))
                        .relation(rel(RelationKind.ON_SUCCESS, "report")).build(),
                service("report").manual(true).build());
        h.boot();
        assertTrue(h.spawning("migrate", Phase.MAIN), "not held for report");
        h.runs("migrate", Phase.MAIN, 0);
        assertTrue(h.spawning("report", Phase.MAIN));

        Harness f = new Harness(Set.of("db"),
                service("db").startOn(on("startup")).process(exec(Phase.PRE_START, "/bin/check"))
                        .relation(rel(RelationKind.AFTER, "alert")).relation(rel(RelationKind.ON_FAILURE, "alert")).build(),
                service("alert").manual(true).build());
        f.boot();
        assertTrue(f.spawning("db", Phase.PRE_START));
        f.runs("db", Phase.PRE_START, 1);
        assertTrue(f.spawning("alert", Phase.MAIN));
    }

    @Test
    void onSuccessStartsItsTargetWhenATaskEndsWellOrAServiceStopsCleanly() {
        Harness t = new Harness(service("next").build(), task("migrate").relation(rel(RelationKind.ON_SUCCESS, "next")).build());
        t.command(Input.Command.start(t.request(), "migrate").noWait());
        t.runs("migrate", Phase.MAIN, 0);
        assertTrue(t.logs().contains("migrate stopped successfully, starting next"));
        assertEquals(JobGoal.START, t.inst("next").goal());

        Harness f = new Harness(service("next").build(), task("migrate").relation(rel(RelationKind.ON_SUCCESS, "next")).build());
        f.command(Input.Command.start(f.request(), "migrate").noWait());
        f.runs("migrate", Phase.MAIN, 1);
        assertFalse(f.exists("next"), "a failed task is no success");

        Harness s = new Harness(service("next").build(), service("web").relation(rel(RelationKind.ON_SUCCESS, "next")).build());
        s.command(Input.Command.start(s.request(), "web").noWait());
        int web = s.spawned("web", Phase.MAIN);
        s.command(Input.Command.stop(s.request(), "web").noWait());
        assertFalse(s.exists("next"), "not before web has stopped");
        s.killed(web, Signal.TERM);
        assertEquals(JobGoal.START, s.inst("next").goal());
    }

    @Test
    void nothingIsStartedForAJobTheShutdownStopped() {
        Harness h = new Harness(service("next").build(), service("web").relation(rel(RelationKind.ON_SUCCESS, "next")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        int web = h.spawned("web", Phase.MAIN);
        long down = h.command(Input.Command.shutdown(h.request()));
        h.killed(web, Signal.TERM);
        assertFalse(h.exists("next"));
        assertTrue(h.reply(down).ok());
    }

    // ---- status after a failure ---------------------------------------------------------------------

    @Test
    void statusSaysAJobHitItsRespawnLimitAndHowItLastEnded() {
        Harness h = new Harness(service("web").respawn(new Respawn(true, 2, Duration.ofSeconds(5), null)).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        for (int i = 0; i < 2; i++) h.exit(h.spawned("web", Phase.MAIN), 1);
        assertTrue(h.status("web").startsWith("web start/"), "still respawning: " + h.status("web"));
        h.killed(h.spawned("web", Phase.MAIN), Signal.parse("SEGV"));
        assertEquals("web stop/waiting, failed: respawn limit (2 in 5s), main process was killed by signal SEGV",
                h.status("web"));
        long list = h.command(Input.Command.list(h.request()));
        assertEquals("web stop/waiting, failed: respawn limit (2 in 5s), main process was killed by signal SEGV",
                h.reply(list).text());
        // Starting it again forgets the old failure.
        h.command(Input.Command.start(h.request(), "web").noWait());
        int pid = h.spawned("web", Phase.MAIN);
        assertEquals("web start/running, process " + pid, h.status("web"));
    }

    @Test
    void theInstanceViewCarriesTheFailureWhileTheJobStops() {
        Harness h = new Harness(service("web").process(exec(Phase.POST_STOP, "/bin/cleanup")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        h.exit(h.spawned("web", Phase.MAIN), 7);
        assertEquals("main process exited with status 7", h.inst("web").failure());
        int post = h.spawned("web", Phase.POST_STOP);
        assertEquals("web stop/post-stop, process " + post + ", failed: main process exited with status 7", h.status("web"));
        h.exit(post, 0);
        assertEquals("web stop/waiting, failed: main process exited with status 7", h.status("web"));
    }

    @Test
    void aSpawnFailureSaysWhy() {
        Harness h = new Harness(service("web").build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        h.spawnFails("web", Phase.MAIN);
        assertEquals("web stop/waiting, failed: main process could not be started: No such file or directory", h.status("web"));
    }

    // ---- ready: notify timeout ----------------------------------------------------------------------

    @Test
    void notifyWithoutReadyWithinItsTimeoutFailsTheJobLikeAProbe() {
        Harness h = new Harness(service("d").ready(new Readiness.Notify(Duration.ofSeconds(1))).build());
        long start = h.command(Input.Command.start(h.request(), "d"));
        int pid = h.spawned("d", Phase.MAIN);
        Effect.ArmTimer timer = (Effect.ArmTimer) h.last.stream().filter(e -> e instanceof Effect.ArmTimer).findFirst().orElseThrow();
        assertEquals(1000, timer.delayMillis());
        assertNull(h.reply(start));
        h.in(new Input.TimerFired(timer.timer()));
        assertTrue(h.logs().contains("d sent no READY=1 within 1s, stopping it"));
        assertTrue(h.last.contains(new Effect.SendSignal(pid, true, Signal.TERM)));
        assertEquals(new Effect.Reply(start, false, "Job failed to start: d: no READY=1 within 1s"), h.reply(start));
        h.killed(pid, Signal.TERM);
        assertTrue(h.emitted().contains("stopped JOB=d INSTANCE= RESULT=failed PROCESS=ready"));
        assertEquals("d stop/waiting, failed: no READY=1 within 1s", h.status("d"));
    }

    @Test
    void readyInTimeCancelsTheTimeoutWhichDefaultsToNinetySeconds() {
        Harness h = new Harness(service("d").ready(new Readiness.Notify()).build());
        h.command(Input.Command.start(h.request(), "d").noWait());
        h.spawned("d", Phase.MAIN);
        Effect.ArmTimer timer = (Effect.ArmTimer) h.last.stream().filter(e -> e instanceof Effect.ArmTimer).findFirst().orElseThrow();
        assertEquals(90_000, timer.delayMillis());
        h.in(new Input.Ready("d", ""));
        assertTrue(h.last.contains(new Effect.CancelTimer(timer.timer())));
        h.in(new Input.TimerFired(timer.timer())); // (had it raced the cancel)
        assertEquals(JobState.RUNNING, h.inst("d").state());
    }
}
