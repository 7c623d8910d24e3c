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
        assertEquals(List.of("startup"), h.emitted(), "no starting/started of db");
        assertEquals(JobState.RUNNING, h.inst("db").state());
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
        Harness h = dbAndWeb();
        h.in(new Input.Adopt("web", "", 501, List.of()));
        h.in(new Input.Adopt("db", "", 500, List.of()));
        h.boot();
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
    void theAdoptedEnvironmentIsTheInstances() {
        Harness h = new Harness(service("tty").build());
        h.in(new Input.Adopt("tty", "", 9, List.of("TTY=tty1", "bad")));
        assertTrue(h.inst("tty").env().contains("TTY=tty1"), h.inst("tty").env().toString());
    }
}
