package dev.ordo.planner.engine;

import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import java.time.Duration;

/**
 * Readiness beyond Upstart's {@code expect} (SEMANTICS §2): {@code READY=1} with its start timeout
 * (systemd's TimeoutStartSec=), and the probes (tcp, exec, log) run in post-start with their timeout; a
 * readiness that does not come fails the job like a process would.
 */
final class ReadinessWatch {

    private final Engine engine;

    ReadinessWatch(Engine engine) {
        this.engine = engine;
    }

    /**
     * READY=1 has {@code timeout} to come (systemd's TimeoutStartSec=, 90 s by default); the probes'
     * timer slot holds it, as a notify job has no probe.
     */
    void armReadyTimeout(Instance inst, Readiness.Notify n) {
        Duration d = notifyTimeout(n);
        if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) return; // infinity: wait for ever, as systemd does
        engine.timers.cancelTimer(inst.probeTimer);
        inst.probeTimer = engine.timers.arm(d, new Timers.TimerRef(inst, Timers.TimerKind.PROBE));
    }

    private static Duration notifyTimeout(Readiness.Notify n) {
        return n.timeout() == null ? Readiness.DEFAULT_TIMEOUT : n.timeout();
    }

    /** No READY=1 in time: the job fails like a probe that timed out ({@code PROCESS=ready}) and is stopped. */
    void readyTimedOut(Instance inst) {
        String within = dev.ordo.planner.model.Timespan.format(notifyTimeout((Readiness.Notify) inst.job.ready()));
        engine.out.log(inst.displayName() + " sent no READY=1 within " + within + ", stopping it");
        engine.lifecycle.jobFailed(inst, FailureReason.READY, null, "no READY=1 within " + within);
        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
    }

    void ready(Input.Ready r) {
        Instance inst = engine.registry.find(r.job(), r.instance());
        if (inst == null) return;
        if (inst.state == JobState.SPAWNED && inst.job.ready() instanceof Readiness.Notify
                && inst.pid[Phase.MAIN.ordinal()] > 0) {
            engine.timers.cancelTimer(inst.probeTimer);
            inst.probeTimer = 0;
            engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
        } else if (inst.state == JobState.POST_START && inst.probing) {
            stopProbe(inst);
            if (!inst.running(Phase.POST_START)) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
        }
    }

    void probeFailedInput(Input.ProbeFailed p) {
        Instance inst = engine.registry.find(p.job(), p.instance());
        if (inst != null && inst.state == JobState.POST_START && inst.probing) probeFailed(inst, p.reason());
    }

    void probeFailed(Instance inst, String reason) {
        stopProbe(inst);
        engine.out.log(inst.displayName() + " readiness probe failed: " + reason);
        engine.lifecycle.jobFailed(inst, FailureReason.READY, null, "readiness probe failed: " + reason);
        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        if (!inst.destroyed && inst.state == JobState.POST_START && !inst.running(Phase.POST_START)) {
            engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
        }
    }

    void startProbe(Instance inst) {
        Readiness r = inst.job.ready();
        inst.probing = true;
        engine.out.add(new Effect.StartProbe(inst.cls.name, inst.name, r));
        inst.probeTimer = engine.timers.arm(r.probeTimeout(), new Timers.TimerRef(inst, Timers.TimerKind.PROBE));
    }

    void stopProbe(Instance inst) {
        if (!inst.probing) return;
        inst.probing = false;
        engine.out.add(new Effect.StopProbe(inst.cls.name, inst.name));
        engine.timers.cancelTimer(inst.probeTimer);
        inst.probeTimer = 0;
    }
}
