package dev.ordo.planner.model;

import java.time.Duration;

/**
 * How a job is stopped: {@code signal} to the processes {@code mode} names, {@code finalSignal} after
 * {@code timeout} (U§1.3 killed; systemd.kill(5)). {@code reload} is what {@code ordo reload JOB} sends to
 * the main process.
 *
 * @param sendHangup SIGHUP right after the stop signal ({@code SendSIGHUP=}, for shells)
 * @param sendFinal whether {@code finalSignal} is sent when the timeout passes ({@code SendSIGKILL=})
 */
public record Kill(Signal signal, Duration timeout, Signal reload, KillMode mode, boolean sendHangup, boolean sendFinal,
                   Signal finalSignal) {

    public static final Kill DEFAULT = new Kill(Signal.TERM, Duration.ofSeconds(5), Signal.HUP);

    /** Upstart's: the process group, SIGKILL after the timeout. */
    public Kill(Signal signal, Duration timeout, Signal reload) {
        this(signal, timeout, reload, KillMode.PROCESS_GROUP, false, true, Signal.KILL);
    }
}
