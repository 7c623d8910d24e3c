package dev.ordo.planner.model;

/** Where a job's output goes. */
public enum Console {
    /** A log file per job (the default). */
    LOG,
    /** The supervisor's own output, each line prefixed with the job's name. */
    OUTPUT,
    /** Like output, and the job owns the terminal (Upstart's {@code console owner}). */
    OWNER,
    /** Discarded. */
    NONE
}
