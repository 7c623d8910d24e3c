package dev.ordo.executor.posix;

import dev.ordo.planner.model.Readiness;

/** What the reaper watches a main process for, beyond its exit (SEMANTICS §2 readiness). */
public enum Follow {
    /** Only the exit. */
    NONE,
    /** One fork: when the process exits, its child is reported as {@link ProcessEvent.LeftChild}. */
    FORK,
    /**
     * systemd's {@code Type=forking}: the main process's exit is the readiness, and the process it
     * leaves is the service. Never traced: the fork itself says nothing, so it is found at the exit.
     */
    EXIT,
    /** Two forks (a classic daemon): both steps are reported. */
    DAEMON,
    /** Its SIGSTOP is reported as {@link ProcessEvent.Halted} (stops are reported for every tracked process). */
    STOP;

    /** Forks to report for this mode. */
    int forks() {
        return this == FORK || this == EXIT ? 1 : this == DAEMON ? 2 : 0;
    }

    /** The mode for a job's {@code ready}; probes and notify need no following. */
    public static Follow of(Readiness ready) {
        if (ready instanceof Readiness.Fork) return FORK;
        if (ready instanceof Readiness.Forking) return EXIT;
        if (ready instanceof Readiness.Daemon) return DAEMON;
        if (ready instanceof Readiness.Stop) return STOP;
        return NONE;
    }
}
