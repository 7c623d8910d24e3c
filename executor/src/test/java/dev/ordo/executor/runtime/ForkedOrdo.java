package dev.ordo.executor.runtime;


import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ordo.executor.cli.Main;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    /**
     * What a forked ordo writes, line by line, read by a thread of its own as it comes (a pipe left
     * unread would stop the supervisor once full).
     */
    static final class Output {

        static final long WAIT_MILLIS = 15_000;

        private final Process process;
        private final List<String> lines = new ArrayList<>();
        private final Thread reader;

        private Output(Process process) {
            this.process = process;
            this.reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        synchronized (lines) {
                            lines.add(l);
                        }
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        /** Starts reading {@code process}'s output. */
        static Output of(Process process) {
            return new Output(process);
        }

        List<String> lines() {
            synchronized (lines) {
                return new ArrayList<>(lines);
            }
        }

        String text() {
            return String.join("\n", lines());
        }

        boolean has(String prefix) {
            return lines().stream().anyMatch(l -> l.startsWith(prefix));
        }

        /** Waits for a line starting with {@code prefix}; fails when the process ends or 15 s pass without one. */
        void awaitLine(String prefix) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
            while (!has(prefix)) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    // The last lines may still be on their way through the pipe.
                    reader.join(1000);
                    if (has(prefix)) return;
                    throw new AssertionError("no line `" + prefix + "` in\n" + text());
                }
                Thread.sleep(10);
            }
        }

        /** The position of the first line starting with {@code prefix}. */
        int index(String prefix) {
            List<String> l = lines();
            for (int i = 0; i < l.size(); i++) if (l.get(i).startsWith(prefix)) return i;
            throw new AssertionError("no line `" + prefix + "` in\n" + String.join("\n", l));
        }

        /** Waits until everything the process wrote has been read. */
        void join(long millis) throws InterruptedException {
            reader.join(millis);
        }
    }
}
