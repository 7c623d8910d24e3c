package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, "never stop supervising", with real processes and `ordo run` in a JVM of its own: a job that floods
 * its log at full speed, and a job in a crash loop, each with the disk they take asserted while they go on; and
 * supervision answered all the while. (Before: a 4 GB live log in 15 s with --log-size 1M --log-keep 5, and a
 * history file growing without end.)
 */
class LogFloodTest extends ForkedRun {

    static final Pattern PID = Pattern.compile("process (\\d+)");

    /** The bytes of a log and its rotated files, oldest first: a rotation meanwhile can hide bytes, never count them twice. */
    static long total(Path live, int keep) {
        long sum = 0;
        for (int i = keep + 1; i >= 0; i--) {
            try {
                sum += Files.size(i == 0 ? live : JobLog.rotated(live, i));
            } catch (IOException e) {
                // not there (yet, or this moment)
            }
        }
        return sum;
    }

    /** What process {@code pid} has written so far (/proc/PID/io), or -1 once it is gone. */
    static long written(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
                if (l.startsWith("wchar: ")) return Long.parseLong(l.substring(7).trim());
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    long pidOf(String job) throws Exception {
        ClientRun r = answered("status", job);
        Matcher m = PID.matcher(r.out());
        assertTrue(m.find(), r.toString());
        return Long.parseLong(m.group(1));
    }

    @Test
    void aJobFloodingItsLogKeepsItsFilesWithinSizeTimesCountAndStatusIsAnsweredMeanwhile() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        // Lines of 101 bytes, as fast as yes(1) writes them.
        Files.writeString(yaml, """
                jobs:
                  flood:
                    exec: sh -c 'exec yes "$(printf %0100d 0)"'
                """);
        long size = 64 * 1024;
        int keep = 3;
        start(List.of("--log-size", "64K", "--log-keep", Integer.toString(keep), yaml.toString()));
        awaitLine("[  OK  ] Started flood");
        long pid = pidOf("flood");
        Path live = state().resolve("logs/flood.log");
        long bound = size * (keep + 1) + 101;

        // Until the job has written 100 times what the logs may keep: each round, the disk taken and a status.
        long most = 0;
        int answers = 0;
        long deadline = System.nanoTime() + 4 * WAIT_MILLIS * 1_000_000;
        while (written(pid) < 100 * bound) {
            assertTrue(System.nanoTime() < deadline, "the job wrote only " + written(pid) + " bytes:\n" + output.text());
            most = Math.max(most, total(live, keep));
            ClientRun st = answered("status", "flood");
            assertEquals(0, st.status(), st.toString());
            assertTrue(st.out().startsWith("flood start/running, process " + pid), st.out());
            answers++;
        }
        most = Math.max(most, total(live, keep));
        assertTrue(most <= bound, "the logs took " + most + " bytes, more than " + bound);
        assertTrue(answers > 0);
        assertFalse(Files.exists(JobLog.rotated(live, keep + 1)), "no file beyond --log-keep");
        assertEquals(0, answered("shutdown").status());
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), output.text());
        assertTrue(total(live, keep) <= bound, "at the end: " + total(live, keep));
        // The rotated files are whole lines of the job's, and full: a rotation never cut a line.
        String zeros = "0".repeat(100);
        for (int i = keep; i >= 1; i--) {
            String text = Files.readString(JobLog.rotated(live, i));
            assertTrue(text.endsWith("\n") && text.length() > size - 101, "file ." + i + ": " + text.length() + " bytes");
            for (String l : text.split("\n")) assertEquals(zeros, l, "a line of file ." + i);
        }
    }

    /**
     * A crash loop (respawn without limit on a job that exits at once) is paced at 100 ms, and its history
     * (one start record each) is rotated like the logs: the files it takes stay within size × (count + 1).
     */
    @Test
    void aCrashLoopIsPacedAndItsHistoryRotated() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  crasher:
                    exec: /bin/false
                    respawn: {limit: unlimited}
                """);
        start(List.of("--log-size", "1K", "--log-keep", "1", yaml.toString()));
        awaitLine("ordo: running as pid");
        Path history = state().resolve("history.jsonl");
        // history.jsonl.1 is replaced twice over: the loop went on long enough for the bound to matter.
        long most = 0;
        List<String> firstOfRotated = new ArrayList<>();
        long deadline = System.nanoTime() + 4 * WAIT_MILLIS * 1_000_000;
        while (firstOfRotated.size() < 3) {
            assertTrue(System.nanoTime() < deadline, "history.jsonl.1 was replaced " + firstOfRotated.size() + " times");
            most = Math.max(most, total(history, 1));
            String first = firstLine(JobLog.rotated(history, 1));
            if (first != null && !firstOfRotated.contains(first)) firstOfRotated.add(first);
            int status = answered("status", "crasher").status();
            assertTrue(status == 0 || status == 3, "status " + status);
            Thread.sleep(20);
        }
        assertTrue(most <= 2 * 1024, "the history took " + most + " bytes");
        assertFalse(Files.exists(JobLog.rotated(history, 2)));
        // The pace: the starts a file records are 100 ms apart or more (less a little start-up jitter).
        List<Long> at = new ArrayList<>();
        Pattern when = Pattern.compile("\"at\":\"([^\"]+)\"");
        for (String l : Files.readAllLines(JobLog.rotated(history, 1))) {
            Matcher m = when.matcher(l);
            assertTrue(m.find(), l);
            at.add(java.time.Instant.parse(m.group(1)).toEpochMilli());
        }
        assertTrue(at.size() >= 5, at.toString());
        long span = at.get(at.size() - 1) - at.get(0);
        assertTrue(span >= (at.size() - 1) * 80L, at.size() + " starts in " + span + " ms");
        assertEquals(0, answered("shutdown").status());
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), output.text());
    }

    static String firstLine(Path p) {
        try {
            List<String> l = Files.readAllLines(p);
            return l.isEmpty() ? null : l.get(0);
        } catch (IOException e) {
            return null;
        }
    }
}
