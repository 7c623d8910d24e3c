package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static dev.ordo.planner.engine.Harness.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Signal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Input.Adopt}: a dead supervisor's main processes taken over before the boot (issue 5). */
class AdoptTest {

    private static Job.Builder service(String name) {
        return job(name).process(exec(Phase.MAIN, "/usr/sbin/" + name));
    }

    private static boolean killed(Harness h, int pid) {
        return h.all.contains(new Effect.SendSignal(pid, true, Signal.TERM));
    }

    private static Harness dbAndWeb() {
        return new Harness(Set.of("db", "web"), service("db").startOn(on("startup")).build(),
                service("web").startOn(on("started db")).build());
    }

    @Test
    void anAdoptedJobIsRunningWithItsPidAndTheBootStartsNoSecondCopy() {
        Harness h = dbAndWeb();
        List<Effect> fx = h.in(new Input.Adopt("db", "", 4242, List.of()));
        assertEquals(List.of(new Effect.StateChanged("db", "", JobGoal.START, JobState.RUNNING)), fx, "nothing spawned or emitted");
        assertEquals(Map.of(Phase.MAIN, 4242), h.inst("db").pids());
        h.boot();
        assertFalse(h.spawning("db", Phase.MAIN), "no second copy of db");
        assertEquals(JobState.RUNNING, h.inst("db").state());
        // db is not started again (no starting db), but what waits for it learns that it is up: the crash came
        // before web had started, and the boot starts it now.
        assertEquals(List.of("startup", "started JOB=db INSTANCE="), h.emitted().subList(0, 2));
        assertFalse(h.emitted().contains("starting JOB=db INSTANCE="), h.emitted().toString());
        assertTrue(h.spawning("web", Phase.MAIN), "web starts on started db");
    }

    @Test
    void whatAnAdoptedJobPullsInIsStartedIfItIsNotRunning() {
        Harness h = new Harness(Set.of("app", "cache"), service("app").startOn(on("startup"))
                .relation(StartChecksTest.rel(dev.ordo.planner.model.RelationKind.WANTS, "cache")).build(),
                service("cache").build());
        h.in(new Input.Adopt("app", "", 600, List.of()));
        h.boot();
        assertFalse(h.spawning("app", Phase.MAIN), "app is adopted");
        assertTrue(h.spawning("cache", Phase.MAIN), "cache, which app wants, is started: the crash came before it was");
    }

    /** web (start on started db) and db, both adopted before the boot. */
    private static Harness bothAdoptedAndBooted() {
        Harness h = dbAndWeb();
        h.in(new Input.Adopt("web", "", 501, List.of()));
        h.in(new Input.Adopt("db", "", 500, List.of()));
        h.boot();
        return h;
    }

    @Test
    void aJobAdoptedWithWhatItWaitedForIsNotStartedAgainByTheAnnouncement() {
        Harness h = bothAdoptedAndBooted();
        assertFalse(h.spawning("web", Phase.MAIN), "web is running already");
        assertFalse(h.spawning("db", Phase.MAIN));
        assertEquals(Map.of(Phase.MAIN, 501), h.inst("web").pids());
        assertFalse(h.emitted().stream().anyMatch(e -> e.startsWith("starting")), h.emitted().toString());
    }

    @Test
    void theAdoptedProcessEndingStopsTheJobLikeAChildsWould() {
        Harness h = dbAndWeb();
        h.in(new Input.Adopt("db", "", 4242, List.of()));
        h.boot();
        h.exit(4242, 0);
        assertFalse(h.exists("db"), "a service without respawn whose main ended is gone");
        assertTrue(h.emitted().contains("stopped JOB=db INSTANCE= RESULT=ok"), h.emitted().toString());
    }

    @Test
    void theShutdownStopsAdoptedJobsByTheirStopOnNotByTheirStartOn() {
        // web starts on started db: an event relation, which the shutdown does not reverse (Upstart).
        Harness h = bothAdoptedAndBooted();
        long down = h.command(Input.Command.shutdown(h.request()));
        assertTrue(killed(h, 501));
        assertTrue(killed(h, 500), "db does not wait for web");
        h.killed(501, Signal.TERM);
        h.killed(500, Signal.TERM);
        assertTrue(h.reply(down).ok());
    }

    @Test
    void anUnknownJobOrASecondAdoptionIsRefusedWithALogLine() {
        Harness h = dbAndWeb();
        h.in(new Input.Adopt("gone", "", 77, List.of()));
        h.in(new Input.Adopt("db", "", 78, List.of()));
        h.in(new Input.Adopt("db", "", 79, List.of()));
        assertEquals(List.of("cannot adopt process 77 of gone: no such job",
                "cannot adopt process 79 of db: the instance is already there"), h.logs());
        assertEquals(Map.of(Phase.MAIN, 78), h.inst("db").pids());
    }

    @Test
    void anAdoptedLauncherThatLeavesItsServiceHandsTheJobToIt() {
        Harness h = dbAndWeb();
        h.in(new Input.Adopt("db", "", 4242, List.of()));
        h.boot();
        List<Effect> fx = h.in(new Input.MainMoved(4242, 4300));
        // (the boot window's timer is armed again after any input)
        assertEquals(List.of(new Effect.StateChanged("db", "", JobGoal.START, JobState.RUNNING)),
                fx.stream().filter(e -> !(e instanceof Effect.ArmTimer || e instanceof Effect.CancelTimer)).toList(),
                "nothing spawned, signalled or emitted");
        assertEquals(Map.of(Phase.MAIN, 4300), h.inst("db").pids());
        h.exit(4242, 0);
        assertTrue(h.exists("db"), "the launcher's end is no news");
        assertEquals(JobState.RUNNING, h.inst("db").state());
        h.command(Input.Command.stop(h.request(), "db"));
        assertTrue(h.all.contains(new Effect.SendSignal(4242, true, Signal.TERM)), "the launcher's group, as after a fork");
        assertTrue(h.all.contains(new Effect.SendSignal(4300, false, Signal.TERM)), "and the service itself");
        h.exit(4300, 0);
        assertFalse(h.exists("db"));
        assertTrue(h.in(new Input.MainMoved(777, 778)).stream().noneMatch(e -> e instanceof Effect.StateChanged),
                "no main process 777: ignored");
    }

    @Test
    void theAdoptedEnvironmentIsTheInstances() {
        Harness h = new Harness(service("tty").build());
        h.in(new Input.Adopt("tty", "", 9, List.of("TTY=tty1", "bad")));
        assertTrue(h.inst("tty").env().contains("TTY=tty1"), h.inst("tty").env().toString());
    }
}
