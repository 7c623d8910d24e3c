package dev.ordo.executor.runtime;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Input;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The engine's timers on the supervisor's scheduler: each one that goes off is fed to the engine on the loop,
 * unless it was cancelled first. Loop thread only.
 */
final class LoopTimers {

    private final Supervisor sup;
    private final Map<Long, ScheduledFuture<?>> timers = new HashMap<>();

    LoopTimers(Supervisor sup) {
        this.sup = sup;
    }

    void arm(Effect.ArmTimer t) {
        long id = t.timer();
        timers.put(id, sup.scheduler.schedule(() -> sup.submit(() -> {
            if (timers.remove(id) != null) sup.feed(new Input.TimerFired(id));
        }), t.delayMillis(), TimeUnit.MILLISECONDS));
    }

    void cancel(long id) {
        ScheduledFuture<?> f = timers.remove(id);
        if (f != null) f.cancel(false);
    }

    void cancelAll() {
        for (ScheduledFuture<?> f : timers.values()) f.cancel(false);
        timers.clear();
    }
}
