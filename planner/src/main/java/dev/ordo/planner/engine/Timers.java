package dev.ordo.planner.engine;

import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The engine's timers: it reads no clock of its own, so a delay is an {@link Effect.ArmTimer} and its end
 * an {@link Input.TimerFired}. A timer is the kill timeout (U§1.3 killed), a probe's or READY=1's
 * timeout, or the boot's settle time; the timer says which.
 */
final class Timers {

    private final Engine engine;

    enum TimerKind { KILL, PROBE, BOOT, RESPAWN }

    record TimerRef(Instance inst, TimerKind kind) {
    }

    private final Map<Long, TimerRef> timers = new HashMap<>();
    private long nextTimer = 1;

    Timers(Engine engine) {
        this.engine = engine;
    }

    long arm(Duration delay, TimerRef ref) {
        long id = nextTimer++;
        timers.put(id, ref);
        engine.out.add(new Effect.ArmTimer(id, Math.max(0, delay.toMillis())));
        return id;
    }

    void cancelTimer(long id) {
        if (id != 0 && timers.remove(id) != null) engine.out.add(new Effect.CancelTimer(id));
    }

    void timerFired(Input.TimerFired t) {
        TimerRef ref = timers.remove(t.timer());
        if (ref != null && ref.kind == TimerKind.BOOT) {
            engine.bootWindow.settleTimerFired();
            return;
        }
        if (ref == null || ref.inst.destroyed) return;
        Instance inst = ref.inst;
        if (ref.kind == TimerKind.RESPAWN) {
            inst.respawnTimer = 0;
            if (inst.state == JobState.POST_STOP && inst.goal == JobGoal.START) {
                engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
            }
        } else if (ref.kind == TimerKind.KILL) {
            inst.killTimer = 0;
            int pid = inst.pid[Phase.MAIN.ordinal()];
            if (inst.state == JobState.KILLED && pid > 0) engine.processes.killTimedOut(inst);
        } else if (inst.state == JobState.SPAWNED && t.timer() == inst.probeTimer) {
            inst.probeTimer = 0;
            if (inst.job.ready() instanceof Readiness.Notify) engine.readiness.readyTimedOut(inst);
        } else {
            inst.probeTimer = 0;
            if (inst.state == JobState.POST_START && inst.probing) {
                String within = dev.ordo.planner.model.Timespan.format(inst.job.ready().probeTimeout());
                engine.readiness.probeFailed(inst, "no answer within " + within);
            }
        }
    }
}
