package dev.ordo.planner.model;

/**
 * The processes a job may have: six in the order a full start and stop runs them, and the one
 * {@code ordo reload} runs (systemd's {@code ExecReload=}) instead of sending the reload signal. The first,
 * systemd's {@code ExecCondition=}, decides whether the start goes on at all: it runs after the unit's
 * conditions, before pre-start, and an exit of 1 to 254 skips the start without failing it.
 */
public enum Phase {
    CONDITION("condition", "condition"),
    PRE_START("pre_start", "pre-start"),
    MAIN("exec", "main"),
    POST_START("post_start", "post-start"),
    PRE_STOP("pre_stop", "pre-stop"),
    POST_STOP("post_stop", "post-stop"),
    RELOAD("reload", "reload");

    private final String yamlKey;
    private final String processName;

    Phase(String yamlKey, String processName) {
        this.yamlKey = yamlKey;
        this.processName = processName;
    }

    /** The key in ordo.yaml ({@code exec}/{@code script} for the main process). */
    public String yamlKey() {
        return yamlKey;
    }

    /** The name in {@code PROCESS=} and in Upstart stanzas: {@code pre-start}, {@code main}, ... */
    public String processName() {
        return processName;
    }
}
