package dev.ordo.planner.engine;

/**
 * Where an instance is heading (U§1.1). {@link #RESPAWN} is only a marker for a respawn that waits
 * for a running post-start or pre-stop process; it turns back into {@link #START} at the next step.
 */
public enum JobGoal {
    STOP, START, RESPAWN;

    /** The word {@code status} prints. */
    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
