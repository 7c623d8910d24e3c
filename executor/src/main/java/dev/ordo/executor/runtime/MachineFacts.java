package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The machine the supervisor runs on, as the condition tests read it: the kernel's and the system's files
 * ({@code /proc}, {@code /sys}, {@code /etc}, {@code /run}) under {@code root} ({@code /} in the supervisor, a
 * temporary tree in tests), the supervisor's own environment (systemd tests PID 1's, the manager's), and
 * whether the supervisor is PID 1. Paths named by a unit's path conditions are not taken through
 * {@code root}: they are the unit's, tested where they are.
 *
 * @param audit whether the kernel's audit is there to talk to (a netlink socket, so {@code posix}'s), or null
 *     when that cannot be asked
 */
record MachineFacts(Path root, Map<String, String> env, boolean pid1, Supplier<Boolean> audit) {

    MachineFacts {
        env = Map.copyOf(env);
    }

    /** A machine where audit cannot be asked about (tests). */
    MachineFacts(Path root, Map<String, String> env, boolean pid1) {
        this(root, env, pid1, () -> null);
    }

    /** The machine ordo runs on. */
    static MachineFacts live() {
        return new MachineFacts(Path.of("/"), System.getenv(), ProcessHandle.current().pid() == 1,
                dev.ordo.executor.posix.Audit::inUse);
    }

    /** {@code absolute} ({@code /proc/cmdline}) under the root. */
    Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    /** A small file's text (kernel files report size 0 and are read to their end). */
    String read(String absolute) throws IOException {
        return new String(Files.readAllBytes(path(absolute)), StandardCharsets.UTF_8);
    }

    /** The file's text, or null when it does not exist or cannot be read. */
    String readOrNull(String absolute) {
        try {
            return read(absolute);
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    boolean exists(String absolute) {
        return Files.exists(path(absolute));
    }

    /** A field of {@code /proc/self/status} ({@code Uid}, {@code CapBnd}), without its name; null if absent. */
    String status(String field) throws IOException {
        for (String line : read("/proc/self/status").split("\n")) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1).trim();
        }
        return null;
    }
}
