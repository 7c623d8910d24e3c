package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.plan.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The check the runtime tests lean on catches a run that leaves the plan's order. */
class PlanCheckTest {

    @TempDir
    Path tmp;

    private Plan plan() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  a:
                    exec: sleep 1
                    start_on: startup
                  b:
                    exec: sleep 1
                    start_on: startup
                    after: [a]
                """);
        return PlanCheck.plan(List.of(yaml), null);
    }

    private static void up(List<Effect> fx, String job) {
        for (JobState s : List.of(JobState.STARTING, JobState.PRE_START, JobState.SPAWNED, JobState.POST_START, JobState.RUNNING)) {
            fx.add(new Effect.StateChanged(job, "", JobGoal.START, s));
        }
    }

    private static void down(List<Effect> fx, String job) {
        for (JobState s : List.of(JobState.PRE_STOP, JobState.STOPPING, JobState.KILLED, JobState.POST_STOP, JobState.WAITING)) {
            fx.add(new Effect.StateChanged(job, "", JobGoal.STOP, s));
        }
    }

    @Test
    void theBootInThePlansOrderPassesAndTheReverseFails() throws Exception {
        Plan plan = plan();
        List<Effect> right = new ArrayList<>();
        up(right, "a");
        up(right, "b");
        assertDoesNotThrow(() -> PlanCheck.bootAgrees(plan, right));

        List<Effect> wrong = new ArrayList<>();
        up(wrong, "b");
        up(wrong, "a");
        AssertionError e = assertThrows(AssertionError.class, () -> PlanCheck.bootAgrees(plan, wrong));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("b went on before a (after) was up"), e.getMessage());

        List<Effect> missing = new ArrayList<>();
        up(missing, "a");
        assertThrows(AssertionError.class, () -> PlanCheck.bootAgrees(plan, missing));
    }

    @Test
    void theShutdownInReverseOrderPassesAndTheSameOrderFails() throws Exception {
        Plan plan = plan();
        List<Effect> right = new ArrayList<>();
        down(right, "b");
        down(right, "a");
        assertDoesNotThrow(() -> PlanCheck.shutdownAgrees(plan, right, 0));

        List<Effect> wrong = new ArrayList<>();
        down(wrong, "a");
        down(wrong, "b");
        AssertionError e = assertThrows(AssertionError.class, () -> PlanCheck.shutdownAgrees(plan, wrong, 0));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().startsWith("a was signalled before b"), e.getMessage());
    }
}
