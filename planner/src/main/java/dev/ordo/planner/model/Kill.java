package dev.ordo.planner.model;

import java.time.Duration;

/**
 * How a job is stopped: {@code signal} to the process group, SIGKILL after {@code timeout}
 * (U§1.3 killed). {@code reload} is what {@code ordo reload JOB} sends to the main process.
 */
public record Kill(Signal signal, Duration timeout, Signal reload) {

    public static final Kill DEFAULT = new Kill(Signal.TERM, Duration.ofSeconds(5), Signal.HUP);
}
