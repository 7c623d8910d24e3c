package dev.ordo.executor.runtime;


import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ordo.executor.cli.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * `ordo` in a JVM of its own, for the tests that need real signals to the supervisor. A test may use
 * ProcessBuilder: no reaper of ours runs in the test's JVM there.
 */
final class ForkedOrdo {

    private ForkedOrdo() {
    }

    /** {@code java -cp <this class path> dev.ordo.executor.cli.Main ARGS...}. */
    static List<String> command(String... ordoArgs) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(ordoArgs));
        return cmd;
    }

    /** Sends signal {@code name} (TERM, INT, KILL, ...) to {@code pid} with kill(1), which must succeed. */
    static void signal(long pid, String name) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + name + " " + pid);
    }

    /** {@code ordo ARGS} started with its output and errors in one stream, without colour. */
    static Process start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        return pb.start();
    }
}
