package dev.ordo.planner.engine;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.UnitCondition;
import dev.ordo.planner.rules.EarlyBoot;
import dev.ordo.planner.rules.NeedsSystemd;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is looked at when a start is due, after its ordering and before pre-start (systemd's unit_start:
 * the start job runs): whether the unit is one the machine does not let ordo run ({@link SkipPolicy}), then
 * its conditions and asserts (systemd.unit(5), "Conditions and Asserts"), tested by the process layer and
 * judged here, and last its condition process ({@code ExecCondition=}), whose exit status is judged here too. A condition not met skips the instance: it goes through stopping to stopped without failing,
 * runs nothing (no pre-start, no post-stop), and those ordered after it or requiring it go on as if it had
 * started (systemd's start job result "done"). An assert not met fails the start ({@code PROCESS=assert}),
 * which reaches the jobs that require it and start after it, as any failure does; like systemd's "assert"
 * job result it starts no {@code on_failure}.
 */
final class StartChecks {

    private final Engine engine;
    private SkipPolicy policy = SkipPolicy.NONE;
    /** The early boot's units (computed when the policy skips them). */
    private Set<String> earlyBoot = Set.of();
    /** Condition tests asked for and not answered yet. */
    private final Map<Long, Instance> tests = new HashMap<>();
    private long nextTest = 1;

    StartChecks(Engine engine) {
        this.engine = engine;
    }

    void policy(SkipPolicy p) {
        policy = p;
        configured();
    }

    /** The jobs changed (construction, reload): the early boot is worked out again. */
    void configured() {
        if (!policy.earlyBoot()) return;
        List<Job> jobs = new ArrayList<>();
        for (JobClass c : engine.registry.classes) jobs.add(c.job);
        earlyBoot = EarlyBoot.units(jobs);
    }

    /** Its conditions and asserts (systemd units only), conditions first. */
    static List<UnitCondition> conditions(Job j) {
        return j.unit() == null ? List.of() : j.unit().conditions();
    }

    /**
     * Called when {@code inst} would leave starting for pre-start: true when it may not go on now, because
     * it was skipped just now, or its conditions are being tested (it goes on when the answer comes).
     */
    boolean holdBack(Instance inst) {
        if (inst.startChecked) return false;
        if (inst.conditionTest != 0) return true;
        // What the machine forbids comes first: systemd tests no condition of a unit it does not start.
        if (policy.earlyBoot() && earlyBoot.contains(inst.cls.name) && EarlyBoot.skipped(inst.job)) {
            skip(inst, SkipReason.EARLY_BOOT, EarlyBoot.skipText());
            return true;
        }
        NeedsSystemd needs = policy.systemdOnly() ? NeedsSystemd.of(inst.job) : null;
        if (needs != null) {
            skip(inst, SkipReason.NEEDS_SYSTEMD, needs.skipText());
            return true;
        }
        // A socket whose service is skipped for the same reason listens for nobody: the first traffic would only
        // try the service again, and journald's would take /dev/log from the syslog daemon that can serve it.
        JobClass service = policy.systemdOnly() && inst.job.unit() != null && inst.job.unit().socket() != null
                ? engine.registry.named(inst.job.unit().socket().service()) : null;
        NeedsSystemd serviceNeeds = service == null ? null : NeedsSystemd.of(service.job);
        if (serviceNeeds != null) {
            skip(inst, SkipReason.NEEDS_SYSTEMD, "its service " + service.name + " is skipped: " + serviceNeeds.skipText());
            return true;
        }
        List<UnitCondition> cs = conditions(inst.job);
        if (cs.isEmpty()) return conditionProcess(inst);
        long id = nextTest++;
        inst.conditionTest = id;
        tests.put(id, inst);
        engine.out.add(new Effect.TestConditions(id, inst.cls.name, inst.name, cs));
        return true;
    }

    /** The instance is no longer waiting for its test (it was asked to stop, or it is gone). */
    void forget(Instance inst) {
        if (inst.conditionTest != 0) tests.remove(inst.conditionTest);
        inst.conditionTest = 0;
    }

    /** The process layer's answer: skip, fail, or go on to pre-start. */
    void tested(Input.ConditionsTested t) {
        Instance inst = tests.remove(t.test());
        if (inst == null || inst.destroyed || inst.conditionTest != t.test()) return;
        inst.conditionTest = 0;
        if (inst.state != JobState.STARTING || inst.goal == JobGoal.STOP) return;
        ConditionVerdict v = ConditionVerdict.of(conditions(inst.job), t.answers());
        if (v.met()) {
            if (!conditionProcess(inst)) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
        } else if (!v.assertion()) {
            skip(inst, SkipReason.CONDITION, v.text());
        } else {
            engine.out.log(inst.displayName() + " " + v.text() + ", failing its start");
            engine.lifecycle.jobFailed(inst, FailureReason.ASSERT, null, v.text());
            stop(inst);
        }
    }

    /**
     * The conditions are met: the condition process (systemd's {@code ExecCondition=}) runs when the job has
     * one, and the start goes on when it ends. False when there is none and the start may go on now.
     */
    private boolean conditionProcess(Instance inst) {
        if (!inst.job.processes().containsKey(Phase.CONDITION)) {
            inst.startChecked = true;
            return false;
        }
        engine.processes.run(inst, Phase.CONDITION);
        return true;
    }

    /**
     * The condition process ended (its last line, or the first that did not succeed; a {@code -} prefix has
     * already made a failure a success). systemd.service(5), ExecCondition=: "If the executable ... exits with
     * a code between 1 and 254 (inclusive), the remaining commands are skipped and the unit will not be marked
     * as failed. However, if ... exits with 255 or abnormally (e.g. killed by a signal ...), the unit will be
     * marked as failed".
     */
    void conditionExited(Instance inst, ExitStatus status) {
        if (inst.state != JobState.STARTING || inst.goal == JobGoal.STOP) return;
        Integer code = status.code();
        String what = inst.job.unit() != null ? "ExecCondition=" : "condition process";
        if (code != null && code == 0) {
            inst.startChecked = true;
            engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
        } else if (code != null && code < 255) {
            skip(inst, SkipReason.CONDITION_PROCESS, what + " exited with status " + code);
        } else {
            engine.out.log(inst.displayName() + " " + what + " " + Lifecycle.ended(status) + ", failing its start");
            engine.lifecycle.jobFailed(inst, FailureReason.CONDITION, status, what + " " + Lifecycle.ended(status));
            stop(inst);
        }
    }

    private void skip(Instance inst, SkipReason reason, String text) {
        inst.skipped = reason;
        inst.skipText = text;
        engine.out.log(inst.displayName() + " skipped: " + text);
        engine.out.add(new Effect.Skipped(inst.cls.name, inst.name, reason, text));
        stop(inst);
    }

    /** From starting on to stopping, its ordering already behind it. */
    private void stop(Instance inst) {
        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        if (!inst.destroyed && inst.state == JobState.STARTING) engine.lifecycle.changeState(inst, JobState.STOPPING);
    }
}
