package dev.ordo.planner.model;

/**
 * The special prefixes of a systemd command line (systemd.service(5), "Command lines", table 1), each
 * allowed once, in any order, before the executable's path.
 */
public enum ExecPrefix {
    /** {@code -}: a failing exit is recorded but counts as success. */
    IGNORE_FAILURE("-"),
    /** {@code @}: the second word is passed as argv[0], after the path. */
    ARGV0("@"),
    /** {@code :}: no environment variable substitution. */
    NO_EXPANSION(":"),
    /** {@code +}: full privileges: User=, Group= and the file system namespacing options are not applied. */
    FULL_PRIVILEGES("+"),
    /** {@code !}: User=, Group= and SupplementaryGroups= are not applied (the program changes credentials itself). */
    NO_CREDENTIALS("!"),
    /**
     * {@code !!}: like {@code !}, but only "on systems lacking support for ambient process capabilities".
     * ordo does not apply {@code AmbientCapabilities=}, so for its processes the system lacks them, and
     * {@code !!} acts as {@code !}: the one way such a unit's program gets the privileges it is written for.
     */
    NO_CREDENTIALS_WITHOUT_AMBIENT("!!");

    private final String text;

    ExecPrefix(String text) {
        this.text = text;
    }

    /** As written in a unit file. */
    public String text() {
        return text;
    }

    /** Whether User=/Group= are left unapplied for a command with this prefix. */
    public boolean keepsCredentials() {
        return this == FULL_PRIVILEGES || this == NO_CREDENTIALS || this == NO_CREDENTIALS_WITHOUT_AMBIENT;
    }
}
