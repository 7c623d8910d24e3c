package dev.ordo.planner.engine;

import dev.ordo.planner.rules.ShutdownOrder;
import dev.ordo.planner.rules.StopRelations;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ordering waits (SEMANTICS §5): a job leaving starting waits for its after-targets with a pending
 * start, and one leaving stopping for the jobs ordered after it on their way down; during the boot also
 * for boot jobs not yet started, and at shutdown for the boot's orderings in reverse (not its events:
 * a job stops by its stop_on), less those {@link ShutdownOrder} drops for the stop relations. An event
 * one job holds and another waits on decides instead of the ordering (U§2.4), so no wait is a circle by
 * construction.
 */
final class OrderingWaits {

    private final Engine engine;

    final Set<Instance> orderWaiting = new LinkedHashSet<>();

    /**
     * Classes whose instances changed goal or state since ordering waits were last looked at. Emptied by
     * {@link #clearTouched}, not clear(): a hash set's clear() costs its capacity, which the boot's first
     * pass grows to every class, on every pass after.
     */
    Set<JobClass> touched = new LinkedHashSet<>();
    private long orderSeq;

    /** Every waiting instance is looked at again on the next pass (the boot ended, or shutdown). */
    boolean recheckAll;

    OrderingWaits(Engine engine) {
        this.engine = engine;
    }

    /**
     * Leaves starting or stopping once its event has finished, unless ordering says to wait for other
     * jobs first (SEMANTICS §5: only between jobs that both have a pending start, or a pending stop).
     */
    void advance(Instance inst) {
        JobState n = engine.lifecycle.next(inst);
        if ((inst.state == JobState.STARTING && n == JobState.PRE_START && startBlocked(inst))
                || (inst.state == JobState.STOPPING && n == JobState.KILLED && stopBlocked(inst))) {
            inst.orderWait = true;
            inst.orderSeq = orderSeq++;
            orderWaiting.add(inst);
            return;
        }
        if (inst.state == JobState.STARTING && n == JobState.PRE_START && engine.startChecks.holdBack(inst)) return;
        engine.lifecycle.changeState(inst, n);
    }

    /**
     * Waits for the after-targets that have a pending start; during the boot also for a singleton
     * of the boot that has not started yet, until it is up, done, failed or stopped (as the plan).
     */
    private boolean startBlocked(Instance inst) {
        for (JobClass b : inst.cls.after) {
            // Its on_failure/on_success targets start once it has ended: waiting would be a circle (as the plan).
            if (inst.cls.onFailure.contains(b) || inst.cls.onSuccess.contains(b)) continue;
            for (Instance x : b.instances.values()) {
                // x asked to start again while it stops, held in stopping by an event this one holds:
                // this one waits for x's next start, which cannot come first. (Waiting for a task to
                // finish whose stopping this one holds is a real deadlock; the plan reports it.)
                if (x.orderPending() && !(x.goal == JobGoal.START && holdsEventOf(inst, x))) return true;
            }
            if (engine.bootWindow.stillToCome(b)) return true;
        }
        return false;
    }

    /**
     * Waits for jobs ordered after this one that have a pending stop, unless a stop_on joins the
     * two (as in the plan, the explicit relation decides). At shutdown, for every job ordered after
     * it, until stopped: the boot's orderings in reverse, except where a stop_on joins the two (that
     * relation decides instead) or the stop relations order them the other way ({@link ShutdownOrder}).
     */
    boolean stopBlocked(Instance inst) {
        ShutdownOrder order = engine.shutdown.shuttingDown && !inst.startedInShutdown ? engine.shutdown.order : null;
        for (JobClass a : inst.cls.orderedAfterThis) {
            boolean related = StopRelations.related(inst.cls.job, a.job);
            // Dropped as the plan drops it (between two jobs of the boot): not waited for at all.
            boolean dropped = order != null && order.drops(inst.cls.name, a.name);
            for (Instance x : a.instances.values()) {
                // A wait on x while inst holds the event x waits for would never end (see holdsEventOf).
                if (holdsEventOf(inst, x)) continue;
                // At shutdown, between two jobs of the boot, the plan's rules decide whatever stopped x:
                // a stop_on joining the two takes the reversed order's place, and a dropped one is gone.
                boolean boot = order != null && !x.startedInShutdown;
                if (boot && (related || dropped)) continue;
                // One already on its way down is waited for whatever stopped it: a stop_on naming this
                // job no longer takes this job's stopping event once its goal is stop (a requires or
                // binds_to got there first), so nothing else would hold this job back.
                if (x.pendingStop()) return true;
                // Still up: a stop_on between the two orders their stops by itself; waiting here too
                // would deadlock on a stop_on that waits for this job's stopped.
                if (related) continue;
                if (boot) return true;
            }
        }
        return false;
    }

    /**
     * {@code inst} holds the starting/stopping event {@code x} waits on (it was started by it, U§2.4):
     * x moves only once inst is at rest, so an ordering wait of inst on x would be a circle by
     * construction (a task on {@code stopping x} ordered before x; a job on {@code stopping x} after
     * x while x is asked to start again). The event decides, as a stop_on does in stopping.
     */
    private static boolean holdsEventOf(Instance inst, Instance x) {
        return x.blocker != null && inst.blocking.contains(x.blocker);
    }

    void clearOrderWait(Instance inst) {
        inst.orderWait = false;
        orderWaiting.remove(inst);
    }

    /** Lets go of ordering waits that nothing holds any more; only waits on jobs that changed are looked at. */
    boolean recheckOrder() {
        if (orderWaiting.isEmpty()) {
            clearTouched();
            recheckAll = false;
            return false;
        }
        if (touched.isEmpty() && !recheckAll) return false;
        List<Instance> candidates = new ArrayList<>();
        Set<Instance> seen = new java.util.HashSet<>();
        // At shutdown waits run along recorded instances too, not only along relations: look at all.
        if (recheckAll || engine.shutdown.shuttingDown) candidates.addAll(orderWaiting);
        else for (JobClass d : touched) {
            for (JobClass a : d.orderedAfterThis) {
                for (Instance x : a.instances.values()) if (x.orderWait && x.state == JobState.STARTING && seen.add(x)) candidates.add(x);
            }
            for (JobClass b : d.after) {
                for (Instance x : b.instances.values()) if (x.orderWait && x.state == JobState.STOPPING && seen.add(x)) candidates.add(x);
            }
        }
        clearTouched();
        recheckAll = false;
        candidates.sort(Comparator.comparingLong(x -> x.orderSeq));
        boolean moved = false;
        for (Instance inst : candidates) {
            if (!inst.orderWait || inst.destroyed) continue;
            boolean blocked = inst.state == JobState.STARTING ? startBlocked(inst) : stopBlocked(inst);
            if (!blocked) {
                clearOrderWait(inst);
                moved = true;
                JobState n = engine.lifecycle.next(inst);
                if (inst.state == JobState.STARTING && n == JobState.PRE_START && engine.startChecks.holdBack(inst)) continue;
                engine.lifecycle.changeState(inst, n);
            }
        }
        return moved;
    }

    private void clearTouched() {
        if (touched.isEmpty()) return;
        if (touched.size() > 16) touched = new LinkedHashSet<>();
        else touched.clear();
    }
}
