package dev.ordo.planner.engine;

import dev.ordo.planner.model.Expansion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * ordo's dependency relations (SEMANTICS §5), systemd's rules: requires, wants and binds_to pull jobs
 * in, part_of and conflicts stop them, requisite refuses a start when its target is neither up nor on
 * its way (decided once the event at hand has been offered to every job, as one systemd transaction),
 * and on_failure / on_success start jobs when an instance comes to rest.
 */
final class Relations {

    private final Engine engine;

    /** Started by an event or a relation while a requisite was not up: decided once the event is handled. */
    private final Set<Instance> unchecked = new LinkedHashSet<>();

    Relations(Engine engine) {
        this.engine = engine;
    }

    void pullIn(Instance inst) {
        for (JobClass t : inst.cls.pulls) startLikeCommand(t);
    }

    /** Starts {@code t} as {@code ordo start} would (its start_on not waited for), unless it is on its way. */
    void startLikeCommand(JobClass t) {
        if (engine.shutdown.shuttingDown && !engine.shutdown.shutdownStarts.add(t)) return;
        Map<String, String> env = new LinkedHashMap<>(t.env);
        String name;
        try {
            name = Registry.instanceName(t, env);
        } catch (Expansion.UnknownVariable u) {
            engine.out.log("Failed to obtain " + t.name + " instance: " + u.getMessage());
            return;
        }
        Instance x = engine.registry.instanceOf(t, name);
        if (x.goal != JobGoal.STOP) return;
        if (refusedWhileStopping(x)) return;
        x.startedInShutdown = engine.shutdown.shuttingDown;
        x.startEnv = env;
        engine.lifecycle.jobFinished(x, false);
        startChecked(x);
    }

    /**
     * Starts an instance an event or a relation asked for. With a requisite that is not up, the
     * decision waits until the event at hand has been offered to every job: a requisite started by
     * the same event is on its way, as in one systemd transaction.
     */
    void startChecked(Instance inst) {
        // Always put off: a requisite that looks on its way may yet be refused by this same event.
        if (!inst.cls.requisites.isEmpty() && inst.state == JobState.WAITING) {
            unchecked.add(inst);
            return;
        }
        engine.lifecycle.changeGoal(inst, JobGoal.START, Lifecycle.Cause.EXPLICIT);
    }

    /**
     * The first requisite of {@code c} that is neither up nor on its way up: no instance headed for
     * start, not in {@code coming}, and not a boot job the boot has yet to start (the boot is one
     * transaction, as the plan takes it). Null when all are there.
     */
    JobClass missingRequisite(JobClass c, Set<JobClass> coming) {
        return missingRequisite(c, coming, Set.of());
    }

    /** @param refused refused just now: not coming, even though the boot has yet to start them */
    JobClass missingRequisite(JobClass c, Set<JobClass> coming, Set<JobClass> refused) {
        for (JobClass t : c.requisites) {
            if (coming.contains(t)) continue;
            if (refused.contains(t)) return t;
            boolean there = false;
            for (Instance x : t.instances.values()) if (!x.destroyed && x.goal != JobGoal.STOP) there = true;
            if (!there && engine.bootWindow.stillToCome(t)) there = true;
            // A task is a oneshot without RemainAfterExit: inactive once done, so refused, except in the
            // boot, one transaction, where a requisite on it holds once it succeeded (as the plan).
            if (!there && engine.bootWindow.booting && engine.bootWindow.doneInBoot.contains(t)) there = true;
            if (!there) return t;
        }
        return null;
    }

    /**
     * Decides the starts {@link #startChecked} put off: those whose requisites are there (or among
     * the other starts that go ahead) start; the others do not, and say why. Nothing is emitted for
     * them: they never left stop/waiting, as with systemd's refused start job.
     */
    boolean checkRequisites() {
        if (unchecked.isEmpty()) return false;
        List<Instance> todo = new ArrayList<>();
        for (Instance x : unchecked) if (!x.destroyed && x.goal == JobGoal.STOP) todo.add(x);
        unchecked.clear();
        Map<Instance, JobClass> refused = new LinkedHashMap<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            Set<JobClass> coming = new java.util.HashSet<>();
            Set<JobClass> no = new java.util.HashSet<>();
            for (Instance x : todo) {
                if (refused.containsKey(x)) no.add(x.cls);
                else coming.add(x.cls);
            }
            for (Instance x : todo) {
                if (refused.containsKey(x)) continue;
                JobClass m = missingRequisite(x.cls, coming, no);
                if (m != null) {
                    refused.put(x, m);
                    changed = true;
                }
            }
        }
        for (Instance x : todo) {
            JobClass m = refused.get(x);
            if (m == null) {
                engine.lifecycle.changeGoal(x, JobGoal.START, Lifecycle.Cause.EXPLICIT);
                continue;
            }
            engine.out.log(x.displayName() + " requisite " + m.name + " is not running, not starting");
            x.cls.lastFailure = "not started: requisite " + m.name + " was not running";
            engine.lifecycle.jobFinished(x, false);
            engine.lifecycle.destroy(x);
            // It took its events and now rests in stop/waiting: say so, as for any instance at rest.
            engine.out.add(engine.out.stateChanged(x));
        }
        return !todo.isEmpty();
    }

    /**
     * An instance still on its way down asked to start again: its requisites are looked at now,
     * before it takes anything (what it holds belongs to its stop), and a refusal leaves it stopping.
     */
    boolean refusedWhileStopping(Instance inst) {
        if (inst.cls.requisites.isEmpty() || inst.state == JobState.WAITING) return false;
        JobClass m = missingRequisite(inst.cls, Set.of());
        if (m == null) return false;
        engine.out.log(inst.displayName() + " requisite " + m.name + " is not running, not starting");
        return true;
    }

    /** Every job {@code c} pulls in, directly or through others. */
    static Set<JobClass> pullClosure(JobClass c) {
        Set<JobClass> seen = new LinkedHashSet<>();
        List<JobClass> todo = new ArrayList<>(c.pulls);
        while (!todo.isEmpty()) {
            JobClass t = todo.remove(todo.size() - 1);
            if (seen.add(t)) todo.addAll(t.pulls);
        }
        return seen;
    }

    /**
     * An instance reached stop/waiting: remember why it failed for {@code status}, and start what
     * its {@code on_failure} or {@code on_success} names. A dependency that failed is not a failure
     * of the job itself (systemd's "dependency" job result: no OnFailure=), nor is an assert that did
     * not hold (systemd's "assert" job result leaves the unit inactive, not failed), and nothing is started
     * while shutting down: the shutdown stops everything, and a job it stopped did not succeed at
     * anything.
     */
    void stoppedForGood(Instance inst) {
        inst.cls.lastFailure = inst.failed ? "failed: " + inst.failure
                : inst.skipText != null ? "skipped: " + inst.skipText : null;
        if (engine.shutdown.shuttingDown) return;
        List<JobClass> next;
        String why;
        if (inst.failed && inst.failedProcess != FailureReason.DEPENDENCY && inst.failedProcess != FailureReason.ASSERT) {
            next = inst.cls.onFailure;
            why = "failed";
        } else if (!inst.failed && inst.wasUp) {
            next = inst.cls.onSuccess;
            why = "stopped successfully";
        } else {
            return;
        }
        for (JobClass t : next) {
            engine.out.log(inst.displayName() + " " + why + ", starting " + t.name);
            startLikeCommand(t);
        }
    }

    void stopAll(JobClass c, Lifecycle.Cause cause) {
        for (Instance x : new ArrayList<>(c.instances.values())) {
            if (x.goal == JobGoal.STOP || x.destroyed) continue;
            engine.lifecycle.jobFinished(x, false);
            engine.lifecycle.changeGoal(x, JobGoal.STOP, cause);
        }
    }

    void restart(Instance inst) {
        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.RESTART);
        engine.lifecycle.changeGoal(inst, JobGoal.START, Lifecycle.Cause.RESTART);
        for (JobClass c : inst.cls.partOfThis) {
            for (Instance x : new ArrayList<>(c.instances.values())) {
                if (x.goal == JobGoal.STOP || x.destroyed) continue;
                engine.lifecycle.jobFinished(x, false);
                x.stopEnv = null;
                restart(x);
            }
        }
    }
}
