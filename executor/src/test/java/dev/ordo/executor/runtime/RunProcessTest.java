package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ordo run} as its own JVM, stopped by real signals. */
class RunProcessTest extends ForkedRun {

    void start(String... args) throws Exception {
        start(List.of(args));
    }

    record Run(int status, String out, String err) {
    }

    Run ordo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", state().toString()));
        int status = Main.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        for (String l : ordo("list").out().split("\n")) {
            if (l.contains(", process ")) pids.add(Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)));
        }
        return pids;
    }

    /**
     * Ended: no such process, or a zombie (a killed job outlives ordo run only as a zombie of whoever
     * inherited it, which may be this JVM if an earlier test made it a subreaper).
     */
    static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (java.io.IOException e) {
            return true;
        }
    }

    static void signal(long pid, String name) throws Exception {
        ForkedOrdo.signal(pid, name);
    }

    @Test
    void logSizeAndKeepFromTheCommandLineRotateTheLogs() throws Exception {
        // Each run of the task writes 40 lines, ~2.3 KiB: a log of 1K is rotated between its lines.
        Path yaml = tmp.resolve("ordo.yaml");
        String dots = "........................................";
        Files.writeString(yaml, """
                jobs:
                  chatty:
                    task: true
                    manual: true
                    exec: sh -c 'i=0; while [ $i -lt 40 ]; do echo "run $RUN line $i DOTS"; i=$((i+1)); done'
                """.replace("DOTS", dots));
        start("--log-size", "1K", "--log-keep", "2", yaml.toString());
        awaitLine("ordo: running as pid");
        StringBuilder all = new StringBuilder();
        for (int i = 1; i <= 4; i++) {
            Run r = ordo("start", "chatty", "RUN=" + i);
            assertEquals(0, r.status(), r.err());
            for (int l = 0; l < 40; l++) all.append("run ").append(i).append(" line ").append(l).append(' ').append(dots).append('\n');
        }
        Path logs = state().resolve("logs");
        // A task is done when its process has exited; the supervisor writes what it left in the pipe just after.
        String last = "run 4 line 39 " + dots + "\n";
        SupervisorHarness.eventually(() -> "the last line reaches chatty.log", () -> {
            try {
                return Files.readString(logs.resolve("chatty.log")).endsWith(last);
            } catch (java.io.IOException e) {
                return false;
            }
        });
        StringBuilder kept = new StringBuilder();
        for (String name : List.of("chatty.log.2", "chatty.log.1", "chatty.log")) {
            String text = Files.readString(logs.resolve(name));
            assertTrue(text.length() <= 1024, name + ": " + text.length() + " bytes");
            assertTrue(text.endsWith("\n") && text.startsWith("run "), name + " is whole lines: " + text);
            // A rotated file was full: the next line (at most 56 bytes) did not fit.
            if (!name.equals("chatty.log")) assertTrue(text.length() > 1024 - 56, name + ": " + text.length() + " bytes");
            kept.append(text);
        }
        assertTrue(Files.notExists(logs.resolve("chatty.log.3")), "only two rotated files are kept");
        assertTrue(all.toString().endsWith(kept.toString()), "the files are the end of the output, in order:\n" + kept);
        assertEquals(0, ordo("shutdown").status());
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), output.text());
    }

    @Test
    void termShutsDownInOrderAndASecondRunIsRefused() throws Exception {
        start(TOP.resolve("samples/yaml/dbus-hal.yaml").toString(), TOP.resolve("samples/yaml/nfs.yaml").toString());
        for (String job : List.of("dbus", "hal", "network-manager", "nfs-server", "portmap")) awaitLine("[  OK  ] Started " + job);
        List<Long> pids = pids();
        assertEquals(5, pids.size(), ordo("list").toString());

        Run second = ordo("run", TOP.resolve("samples/yaml/dbus-hal.yaml").toString());
        assertEquals(new Run(2, "", "ordo: " + state() + " is in use by ordo run (pid " + run.pid() + ")\n"), second);

        signal(run.pid(), "TERM");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run ended");
        assertEquals(0, run.exitValue(), String.join("\n", lines()));
        awaitLine("ordo: shutdown complete");
        assertTrue(index("[  OK  ] Stopped hal") < index("[  OK  ] Stopped dbus"));
        assertTrue(index("[  OK  ] Stopped network-manager") < index("[  OK  ] Stopped hal"));
        assertTrue(index("[  OK  ] Stopped nfs-server") < index("[  OK  ] Stopped portmap"));
        for (long pid : pids) assertTrue(gone(pid), "pid " + pid);
        assertFalse(Files.exists(state().resolve("control/socket")));
    }

    @Test
    void aSecondInterruptKillsEverythingAtOnce() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  stubborn:
                    exec: sh -c 'trap "" TERM; sleep 600'
                    start_on: startup
                    kill: {signal: TERM, timeout: 60s}
                """);
        start(yaml.toString());
        awaitLine("[  OK  ] Started stubborn");
        List<Long> pids = pids();
        assertEquals(1, pids.size());

        long first = System.nanoTime();
        signal(run.pid(), "INT");
        awaitLine("ordo: shutting down");
        assertTrue(run.isAlive(), "the job ignores TERM: the first interrupt waits for it");
        // A second Ctrl-C a moment later (not one that comes with the first: see the test below).
        while (System.nanoTime() - first < Supervisor.INTERRUPT_MOMENT_NANOS + 100_000_000L) Thread.sleep(20);
        signal(run.pid(), "INT");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run ended");
        assertEquals(1, run.exitValue(), String.join("\n", lines()));
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!gone(pids.get(0)) && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue(gone(pids.get(0)), "the job was killed");
    }

    /** timeout -s INT, or a terminal's Ctrl-C sent to a whole process group: two at once are one, an ordered stop. */
    @Test
    void twoInterruptsTogetherAreOneOrderedStop() throws Exception {
        start(TOP.resolve("samples/yaml").toString());
        awaitLine("[  OK  ] Started network-manager");
        signal(run.pid(), "INT");
        signal(run.pid(), "INT");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run ended");
        assertEquals(0, run.exitValue(), String.join("\n", lines()));
        assertTrue(lines().contains("ordo: shutdown complete"), String.join("\n", lines()));
        assertTrue(lines().stream().noneMatch(l -> l.contains("killing every process")), String.join("\n", lines()));
        assertTrue(index("[  OK  ] Stopped network-manager") < index("[  OK  ] Stopped hal"), "in order");
    }
}
