package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ordo run} started with INT ignored, as a shell starts {@code cmd &} (and {@code nohup} HUP): the
 * JVM alone would never handle it (notes/jvm-posix.md §9); the supervisor puts the default back first.
 */
class IgnoredSignalsTest {

    static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));
    static final long WAIT_MILLIS = 15_000;

    @TempDir
    Path tmp;

    Process run;
    final List<String> lines = new ArrayList<>();

    @AfterEach
    void end() throws Exception {
        if (run != null && run.isAlive()) {
            run.destroyForcibly();
            run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    void awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (lines().stream().noneMatch(l -> l.startsWith(prefix))) {
            if (System.nanoTime() > deadline || !run.isAlive()) {
                Thread.sleep(100);
                if (lines().stream().anyMatch(l -> l.startsWith(prefix))) return;
                throw new AssertionError("no line `" + prefix + "` in\n" + String.join("\n", lines()));
            }
            Thread.sleep(10);
        }
    }

    /** The signal numbers in a mask line of /proc/PID/status ({@code SigIgn:}, {@code SigCgt:}). */
    static boolean inMask(long pid, String field, int signal) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith(field + ":")) return (Long.parseLong(l.substring(field.length() + 1).trim(), 16) >> (signal - 1) & 1) == 1;
        }
        throw new AssertionError("no " + field);
    }

    @Test
    void intIgnoredAtLaunchStillShutsDownInOrder() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // exec keeps the pid, and the ignored dispositions pass through exec: exactly what `ordo run &` gets.
        String cmd = "trap '' INT HUP; exec \"$0\" -cp \"$1\" " + Main.class.getName() + " run --state-dir \"$2\" \"$3\"";
        // A test may use ProcessBuilder: no reaper of ours runs in this JVM here.
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", cmd, java, System.getProperty("java.class.path"),
                tmp.resolve("state").toString(), TOP.resolve("samples/yaml/dbus-hal.yaml").toString()).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        run = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (java.io.IOException e) {
                // The process ended.
            }
        });
        reader.setDaemon(true);
        reader.start();
        for (String job : List.of("dbus", "hal", "network-manager")) awaitLine("[  OK  ] Started " + job);

        // Caught now, not ignored: the handlers are installed over the reset dispositions.
        for (int sig : new int[] {1, 2}) {
            assertTrue(!inMask(run.pid(), "SigIgn", sig) && inMask(run.pid(), "SigCgt", sig), "signal " + sig);
        }
        ForkedOrdo.signal(run.pid(), "INT");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), String.join("\n", lines()));
        assertEquals(0, run.exitValue(), String.join("\n", lines()));
        List<String> l = lines();
        assertTrue(l.indexOf("[  OK  ] Stopped network-manager") < l.indexOf("[  OK  ] Stopped hal")
                && l.indexOf("[  OK  ] Stopped hal") < l.indexOf("[  OK  ] Stopped dbus")
                && l.indexOf("[  OK  ] Stopped network-manager") >= 0, String.join("\n", l));
        assertTrue(l.contains("ordo: shutdown complete"), String.join("\n", l));
    }
}
