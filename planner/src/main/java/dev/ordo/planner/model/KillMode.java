package dev.ordo.planner.model;

/**
 * Which processes a stop signals (systemd.kill(5) {@code KillMode=}, and Upstart's rule). Without cgroups,
 * "the unit's processes" are those of its current start: each carries the start's {@code INVOCATION_ID}
 * in its environment, as systemd gives every service process one, so a child that left the process
 * group (setsid) is still found; one that empties its environment is not.
 */
public enum KillMode {
    /** Upstart's rule: the stop signal, and SIGKILL after the timeout, go to the main process's group. */
    PROCESS_GROUP("process-group"),
    /** systemd's default: every process of the unit gets the stop signal, then the final signal. */
    CONTROL_GROUP("control-group"),
    /** The stop signal to the main process only; the final signal to every process of the unit. */
    MIXED("mixed"),
    /** Only the main process is signalled; what it started is left running. */
    PROCESS("process"),
    /** Nothing is signalled: the stop runs ExecStop= and leaves every process running (deprecated in systemd). */
    NONE("none");

    private final String word;

    KillMode(String word) {
        this.word = word;
    }

    /** As a unit file or ordo.yaml writes it. */
    public String word() {
        return word;
    }

    /** Whether the unit's processes are found by their start's mark (so each process gets one). */
    public boolean marksProcesses() {
        return this == CONTROL_GROUP || this == MIXED;
    }
}
