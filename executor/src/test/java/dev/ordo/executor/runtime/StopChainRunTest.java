package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's Upstart job set, which Upstart 1.13 runs and ordo used to refuse (ORD302, a reversed
 * `started j0` closing a circle with the stop relations): checked clean, run with real processes, and
 * shut down in the plan's order by the stop relations alone, with no wait let go.
 */
class StopChainRunTest extends SupervisorHarness {

    @Test
    void upstartsStopChainRunsAndShutsDownInThePlansOrder() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("jobs"));
        Files.writeString(dir.resolve("j0.conf"), "start on startup\nexec sleep 300\n");
        Files.writeString(dir.resolve("j1.conf"), "start on started j0\nstop on stopped j0\nexec sleep 300\n");
        Files.writeString(dir.resolve("j2.conf"), "start on started j1\nstop on stopping j1\nexec sleep 300\n");
        Files.writeString(dir.resolve("j3.conf"), "start on started j2 or started j0\nstop on stopped j2\nexec sleep 300\n");
        List<Path> paths = List.of(dir);
        assertEquals(List.of(), Planner.check(ConfigLoader.load(paths, null)).diagnostics());
        Plan plan = Planner.plan(ConfigLoader.load(paths, null), Planner.Request.defaults());

        run(paths);
        for (String job : List.of("j0", "j1", "j2", "j3")) awaitLine("[  OK  ] Started " + job);
        PlanCheck.bootAgrees(plan, effects());
        int from = effects().size();
        assertEquals(new Run(0, "", ""), ordo("shutdown"));
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));

        List<Effect> fx = effects();
        PlanCheck.shutdownAgrees(plan, fx, from);
        int j0 = PlanCheck.state(fx, "j0", JobState.WAITING, from);
        int j1Asked = PlanCheck.state(fx, "j1", JobState.STOPPING, from);
        int j2 = PlanCheck.state(fx, "j2", JobState.WAITING, from);
        int j1Signalled = PlanCheck.state(fx, "j1", JobState.KILLED, from);
        int j3Asked = PlanCheck.state(fx, "j3", JobState.STOPPING, from);
        assertTrue(j0 >= 0 && j0 < j1Asked, "j1 stops on stopped j0\n" + fx);
        assertTrue(j2 >= 0 && j2 < j1Signalled, "j2 holds j1's stopping until it has stopped\n" + fx);
        assertTrue(j2 < j3Asked, "j3 stops on stopped j2\n" + fx);
        for (Effect e : fx.subList(from, fx.size())) {
            assertTrue(!(e instanceof Effect.LogLine l && l.line().startsWith("shutdown: ")), "no wait let go: " + e);
        }
        assertTrue(output().contains("[  OK  ] Stopped j3"), output());
    }
}
