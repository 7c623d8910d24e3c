package dev.ordo.planner.engine;

/**
 * Why an instance was skipped: its start went through {@code starting}, and instead of running anything it
 * went on to {@code stopping} and {@code stopped} without failing (systemd's unit "inactive (dead)" with its
 * start job done). Jobs ordered after it, and those that require it, go on as if it had started.
 */
public enum SkipReason {
    /** A {@code Condition…=} of the unit did not hold when it was to start (systemd.unit(5)). */
    CONDITION,
    /**
     * Its condition process ({@code ExecCondition=}) exited with 1 to 254. Unlike a {@code Condition…=}, which
     * is tested before anything runs, a process ran: its post-stop runs too, as systemd goes on to stop-post.
     */
    CONDITION_PROCESS,
    /** An early-boot unit, and ordo is not PID 1 and was not told {@code --early-boot} ({@link SkipPolicy}). */
    EARLY_BOOT,
    /** Its main program works only under systemd as PID 1 ({@link dev.ordo.planner.rules.NeedsSystemd}). */
    NEEDS_SYSTEMD
}
