package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * A directory made for a job before its first process starts (systemd.exec(5), "Paths":
 * {@code RuntimeDirectory=}, {@code StateDirectory=}, {@code CacheDirectory=}, {@code LogsDirectory=},
 * {@code ConfigurationDirectory=}): its parents as needed, then the directory itself with {@code mode},
 * owned by the job's user and group; its full path is in the process's environment.
 *
 * @param kind which base it is under
 * @param path relative to the base, without {@code ..}
 * @param mode its permission bits ({@code RuntimeDirectoryMode=}, ..., 0755 by default)
 */
public record ServiceDirectory(Base kind, String path, int mode, Source source) {

    /** The five kinds, with systemd's base directories for system services and their environment variables. */
    public enum Base {
        RUNTIME("RuntimeDirectory", "/run", "RUNTIME_DIRECTORY"),
        STATE("StateDirectory", "/var/lib", "STATE_DIRECTORY"),
        CACHE("CacheDirectory", "/var/cache", "CACHE_DIRECTORY"),
        LOGS("LogsDirectory", "/var/log", "LOGS_DIRECTORY"),
        CONFIGURATION("ConfigurationDirectory", "/etc", "CONFIGURATION_DIRECTORY");

        private final String key;
        private final String base;
        private final String variable;

        Base(String key, String base, String variable) {
            this.key = key;
            this.base = base;
            this.variable = variable;
        }

        /** The unit file key: {@code RuntimeDirectory}. */
        public String key() {
            return key;
        }

        public String base() {
            return base;
        }

        /** The variable that lists these directories for the process: {@code RUNTIME_DIRECTORY}. */
        public String variable() {
            return variable;
        }
    }

    /** The directory's full path. */
    public String fullPath() {
        return kind.base() + "/" + path;
    }

    /** What happens to the runtime directories when the job stops ({@code RuntimeDirectoryPreserve=}). */
    public enum Preserve {
        /** Removed at every stop (systemd's default). */
        NO,
        /** Kept. */
        YES,
        /** Kept across a restart, removed at a stop. */
        RESTART
    }
}
