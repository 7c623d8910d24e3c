package dev.ordo.executor.runtime;

import dev.ordo.executor.ProcessLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo run} started with INT ignored, as a shell starts {@code cmd &} (and {@code nohup} HUP): the
 * JVM alone would never handle it (docs/notes/jvm-posix.md §9); the supervisor puts the default back first.
 */
class IgnoredSignalsTest extends ForkedRun {

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
        output = ProcessLines.of(run);
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
