package dev.ordo.executor.cli;

import java.nio.file.Path;

/**
 * Where the supervisor keeps its state: {@code --state-dir}, else {@code $ORDO_STATE_DIR}, else
 * {@code /var/lib/ordo} for root and {@code $XDG_STATE_HOME/ordo} (by default
 * {@code ~/.local/state/ordo}) for everybody else.
 */
final class StateDirectory {

    private StateDirectory() {
    }

    /** {@code option} ({@code --state-dir}) when given, else {@link #resolve()}. */
    static Path resolve(Path option) {
        return option != null ? option : resolve();
    }

    static Path resolve() {
        String env = System.getenv("ORDO_STATE_DIR");
        if (env != null && !env.isEmpty()) return Path.of(env);
        if ("root".equals(System.getProperty("user.name"))) return Path.of("/var/lib/ordo");
        String xdg = System.getenv("XDG_STATE_HOME");
        if (xdg != null && !xdg.isEmpty()) return Path.of(xdg, "ordo");
        return Path.of(System.getProperty("user.home"), ".local", "state", "ordo");
    }
}
