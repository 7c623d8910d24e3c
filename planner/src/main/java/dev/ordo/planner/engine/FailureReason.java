package dev.ordo.planner.engine;

import dev.ordo.planner.model.Phase;

/**
 * Why an instance failed (as dinit's {@code stopped_reason_t}): which of its processes (U§1.4), or what
 * ordo adds to Upstart's list: a requirement that failed before it started (systemd's "dependency" job
 * result, which starts no {@code on_failure}), a readiness signal or probe that never came, and an assert
 * that did not hold. Its word is
 * the {@code PROCESS} variable of the instance's {@code stopping} and {@code stopped} events (U§1.6).
 */
public enum FailureReason {
    /** The condition process (systemd's {@code ExecCondition=}) exited with 255 or was killed by a signal. */
    CONDITION("condition"),
    PRE_START("pre-start"),
    MAIN("main"),
    POST_START("post-start"),
    PRE_STOP("pre-stop"),
    POST_STOP("post-stop"),
    /** The respawn limit was reached (U§1.5); Upstart's own word. */
    RESPAWN("respawn"),
    /** A job it requires and is ordered after failed (SEMANTICS §5). */
    DEPENDENCY("dependency"),
    /** No READY=1 in time, or a readiness probe failed (SEMANTICS §2, readiness). */
    READY("ready"),
    /** An {@code Assert…=} of the unit did not hold when it was to start (systemd's "assert" job result). */
    ASSERT("assert"),
    /** A socket unit's sockets could not be opened (systemd's "resources" result). */
    LISTEN("listen"),
    /** A socket unit was activated more often than its trigger limit allows (systemd's "trigger-limit-hit"). */
    TRIGGER_LIMIT("trigger-limit");

    private final String word;

    FailureReason(String word) {
        this.word = word;
    }

    /** The value of {@code PROCESS=} in the failed instance's events. */
    public String word() {
        return word;
    }

    /** The failure of one of the job's own processes. */
    public static FailureReason of(Phase phase) {
        return switch (phase) {
            case CONDITION -> CONDITION;
            case PRE_START -> PRE_START;
            case MAIN -> MAIN;
            case POST_START -> POST_START;
            case PRE_STOP -> PRE_STOP;
            case POST_STOP -> POST_STOP;
            case RELOAD -> throw new IllegalArgumentException("a failed reload leaves its job running");
        };
    }
}
