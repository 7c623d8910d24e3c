package dev.ordo.planner.engine;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.rules.ShutdownOrder;
import dev.ordo.planner.rules.StopRelations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;

/**
 * The shutdown (docs/semantics.md, Plans, Shutdown): every job is asked to stop, each in its turn, a
 * job whose stop_on names another's stopping or stopped is left to that event, nothing starts again, and
 * when nothing can move a wait is let go and said so; the shutdown is answered when nothing is left.
 */
final class ShutdownSequence {

    private final Engine engine;

    boolean shuttingDown;
    private final List<Long> shutdownRequests = new ArrayList<>(1);

    /** The reversed orderings the shutdown keeps, as the plan keeps them (set when it begins). */
    ShutdownOrder order;

    /** At shutdown: the jobs that were there, and those a shutdown event started; none starts again. */
    final Set<JobClass> shutdownStarts = new java.util.HashSet<>();

    ShutdownSequence(Engine engine) {
        this.engine = engine;
    }

    /**
     * The shutdown (docs/semantics.md, Plans, Shutdown): a job whose stop_on names the stopping or
     * stopped event of another job that is there to stop is left to that event; every other job is
     * asked to stop now. Who may be signalled when is {@link OrderingWaits#stopBlocked}'s business. A
     * job that was there does not start again, and one that a shutdown event starts starts once, as in
     * the plan: otherwise a start_on on a stopped event could go round for ever.
     */
    void shutdown(long request) {
        shutdownRequests.add(request);
        if (shuttingDown) return;
        shuttingDown = true;
        engine.bootWindow.endBoot();
        Set<String> live = new java.util.HashSet<>();
        List<Job> liveJobs = new ArrayList<>();
        for (JobClass k : engine.registry.classes) {
            if (!k.instances.isEmpty()) {
                live.add(k.name);
                liveJobs.add(k.job);
                shutdownStarts.add(k);
            }
        }
        order = ShutdownOrder.of(liveJobs);
        for (ShutdownOrder.Dropped d : order.dropped()) {
            engine.out.log("Not reversing " + d.relation().kind().name().toLowerCase(java.util.Locale.ROOT) + " at shutdown: "
                    + d.waiter() + " does not wait for " + d.first() + ", which its stop relations stop after it ("
                    + String.join(" -> ", d.through()) + ")");
        }
        for (JobClass k : engine.registry.classes) {
            for (Instance x : new ArrayList<>(k.instances.values())) {
                if (x.destroyed || x.goal == JobGoal.STOP) continue;
                if (StopRelations.leftToStopOn(x.job, live)) {
                    x.leftToStopOn = true;
                    continue;
                }
                stopForShutdown(x);
            }
        }
    }

    private void stopForShutdown(Instance x) {
        x.stopEnv = new LinkedHashMap<>();
        engine.lifecycle.jobFinished(x, false);
        engine.lifecycle.changeGoal(x, JobGoal.STOP, Lifecycle.Cause.SHUTDOWN);
    }

    /**
     * After each pass while shutting down: a service a shutdown event started is stopped once it is
     * up; when nothing is left, the shutdown is answered; when nothing can move, a wait is let go.
     *
     * @return true when something changed
     */
    boolean shutdownProgress() {
        if (!shuttingDown) return false;
        boolean any = false;
        boolean moved = false;
        for (JobClass k : engine.registry.classes) {
            if (k.instances.isEmpty()) continue;
            any = true;
            // Copied only where one is stopped (stopping may change the map): this runs after every pass.
            boolean due = false;
            for (Instance x : k.instances.values()) due |= dueForShutdown(x);
            if (!due) continue;
            for (Instance x : new ArrayList<>(k.instances.values())) {
                if (dueForShutdown(x)) {
                    stopForShutdown(x);
                    moved = true;
                }
            }
        }
        if (moved) return true;
        if (!any) {
            for (long r : shutdownRequests) engine.out.reply(r, true, "");
            shutdownRequests.clear();
            return false;
        }
        return engine.bootWindow.quiet() && breakShutdownWait();
    }

    /** A service the shutdown has not asked to stop yet (a shutdown event started it, or it is left over). */
    private static boolean dueForShutdown(Instance x) {
        return !x.leftToStopOn && !x.destroyed && x.goal == JobGoal.START && x.state == JobState.RUNNING && !x.job.task();
    }

    /**
     * The shutdown cannot go on by itself. Lets go of the first of these there is, and says so in
     * the log: events held by partial {@code and} matches (the match stays: the rest may still
     * come, but the event finishes, as the plan's shutdown has it), jobs left to a stop_on that will
     * not come, a circle of ordering waits (the oldest wait goes first).
     */
    private boolean breakShutdownWait() {
        boolean released = false;
        for (JobClass k : engine.registry.classes) {
            if (k.startOn != null && k.startOn.holding()) {
                k.startOn.release();
                released = true;
            }
            for (Instance x : k.instances.values()) {
                if (x.stopOn != null && x.stopOn.holding()) {
                    x.stopOn.release();
                    released = true;
                }
            }
        }
        if (released) {
            engine.out.log("shutdown: letting go of events held by partial matches");
            return true;
        }
        // Jobs left to a stop_on that will not come go first, then plain orderings.
        List<Instance> heading = new ArrayList<>();
        for (JobClass k : engine.registry.classes) {
            for (Instance x : k.instances.values()) if (x.goal != JobGoal.STOP) heading.add(x);
        }
        if (!heading.isEmpty()) {
            for (Instance x : heading) {
                engine.out.log("shutdown: " + x.displayName() + " waits for what will not come, stopping it");
                stopForShutdown(x);
            }
            return true;
        }
        Instance weakest = null;
        for (Instance x : engine.ordering.orderWaiting) if (weakest == null || x.orderSeq < weakest.orderSeq) weakest = x;
        if (weakest == null) return false;
        engine.out.log("shutdown: " + weakest.displayName() + " waits in a circle, going on");
        engine.ordering.clearOrderWait(weakest);
        engine.lifecycle.changeState(weakest, engine.lifecycle.next(weakest));
        return true;
    }
}
