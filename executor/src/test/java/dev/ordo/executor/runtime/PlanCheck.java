package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a real supervisor did, held against {@code ordo plan} for the same configuration: the jobs that
 * came up are the plan's boot steps, each went on only after everything the plan has it wait for was
 * up, and at shutdown each was signalled only after everything the plan stops first had stopped. The
 * order is read from the effects the supervisor's loop carried out, in the order it carried them out.
 */
final class PlanCheck {

    private PlanCheck() {
    }

    /** The plan of {@code paths} for the default goal, or for {@code goal}. */
    static Plan plan(List<Path> paths, Goal goal) {
        Planner.Request request = goal == null ? Planner.Request.defaults() : new Planner.Request(goal, Map.of());
        return Planner.plan(ConfigLoader.load(paths, null), request);
    }

    /** A goal of events, each written as {@code name K=V...}, and jobs made to fail ({@code job=HOW}). */
    static Goal goal(List<String> events, List<String> fail) {
        List<Goal.GoalEvent> ev = events.stream().map(e -> {
            List<String> words = List.of(e.split(" "));
            return new Goal.GoalEvent(words.get(0), words.subList(1, words.size()));
        }).toList();
        List<Goal.Failure> f = fail.stream().map(x -> {
            int eq = x.indexOf('=');
            return eq < 0 ? new Goal.Failure(x, null) : new Goal.Failure(x.substring(0, eq), x.substring(eq + 1));
        }).toList();
        return new Goal(ev, List.of(), f);
    }

    /**
     * The boot agrees with the plan: the ids that came up (a service running, a task finished after it
     * ran) are exactly the plan's boot steps, apart from jobs the goal makes fail (they really started
     * before failing); every wait of a step was up before the step left {@code starting} (a task's
     * wait on its own {@code stopping} hold: before it was signalled).
     */
    static void bootAgrees(Plan plan, List<Effect> fx) {
        Set<String> up = new TreeSet<>();
        Set<String> failing = new TreeSet<>();
        for (Goal.Failure f : plan.goal().fail()) failing.add(f.job());
        for (int i = 0; i < fx.size(); i++) {
            if (fx.get(i) instanceof Effect.StateChanged c && upAt(fx, id(c), i)) up.add(id(c));
        }
        up.removeIf(id -> failing.contains(id.contains(" (") ? id.substring(0, id.indexOf(" (")) : id));
        Set<String> planned = new TreeSet<>();
        for (Step s : plan.boot().steps()) planned.add(s.id());
        assertEquals(planned, up, () -> "the jobs that came up are the plan's boot steps\n" + fx);
        for (Step s : plan.boot().steps()) {
            int leaves = state(fx, s.id(), JobState.PRE_START, 0);
            assertTrue(leaves >= 0, () -> s.id() + " never left starting\n" + fx);
            for (Wait w : s.waitsFor()) {
                Step target = plan.boot().step(w.id());
                int ready = target == null ? -1 : up(fx, target.id(), target.task());
                int until = w.kind() == EdgeKind.STOPPING && s.task() ? state(fx, s.id(), JobState.KILLED, leaves) : leaves;
                assertTrue(ready >= 0 && ready < until, () -> s.id() + " went on before " + w.id() + " ("
                        + w.kind().label() + ") was up\n" + fx);
            }
        }
    }

    /**
     * The shutdown agrees with the plan's: every step stopped after {@code from}, and none was
     * signalled before each job it waits for (stop relations, reversed boot order) had stopped.
     */
    static void shutdownAgrees(Plan plan, List<Effect> fx, int from) {
        assertTrue(!plan.shutdown().steps().isEmpty(), "the plan has a shutdown");
        for (Step s : plan.shutdown().steps()) {
            if (s.task()) continue;
            int stopped = state(fx, s.id(), JobState.WAITING, from);
            assertTrue(stopped >= 0, () -> s.id() + " did not stop\n" + fx);
            int signalled = state(fx, s.id(), JobState.KILLED, from);
            for (Wait w : s.waitsFor()) {
                int done = state(fx, w.id(), JobState.WAITING, from);
                int limit = signalled >= 0 ? signalled : stopped;
                assertTrue(done >= 0 && done < limit, () -> s.id() + " was signalled before " + w.id() + " ("
                        + w.kind().label() + ") had stopped\n" + fx);
            }
        }
    }

    private static boolean upAt(List<Effect> fx, String id, int i) {
        Effect.StateChanged c = (Effect.StateChanged) fx.get(i);
        if (c.state() == JobState.RUNNING) return true;
        return c.state() == JobState.WAITING && state(fx, id, JobState.RUNNING, 0) >= 0 && state(fx, id, JobState.RUNNING, 0) < i;
    }

    /** When {@code id} was first up: running, or for a task, back to waiting after it ran. */
    static int up(List<Effect> fx, String id, boolean task) {
        int running = state(fx, id, JobState.RUNNING, 0);
        if (!task || running < 0) return running;
        return state(fx, id, JobState.WAITING, running);
    }

    /** The first change of {@code id} to {@code state} at or after {@code from}, or -1. */
    static int state(List<Effect> fx, String id, JobState state, int from) {
        for (int i = Math.max(0, from); i < fx.size(); i++) {
            if (fx.get(i) instanceof Effect.StateChanged c && id(c).equals(id) && c.state() == state) return i;
        }
        return -1;
    }

    private static String id(Effect.StateChanged c) {
        return Step.id(c.job(), c.instance());
    }
}
