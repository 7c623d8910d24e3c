package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.engine.Effect;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real process's log, written by the supervisor from the process's output pipe: rotated between lines at the
 * size while the process runs and writes, followed by {@code ordo log -f} across the rotations, complete when
 * the supervisor ends, and not looked at while nothing is written.
 */
class LogRotationTest extends SupervisorHarness {

    static final long MAX = 40_000;
    static final Pattern CHUNK = Pattern.compile("(?m)^chunk (\\d+)$");
    static final String ZEROS = "0".repeat(199);

    Path log(String suffix) {
        return state().resolve("logs/chatty.log" + suffix);
    }

    /** The chunk numbers in a file, in order; empty if it is missing. */
    static List<Integer> chunksOf(Path p) {
        List<Integer> out = new ArrayList<>();
        try {
            Matcher m = CHUNK.matcher(Files.readString(p, StandardCharsets.ISO_8859_1));
            while (m.find()) out.add(Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            // Missing (or moved away this moment): no chunks.
        }
        return out;
    }

    List<Integer> chunks(String suffix) {
        return chunksOf(log(suffix));
    }

    static int last(List<Integer> l) {
        return l.isEmpty() ? -1 : l.get(l.size() - 1);
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void aJobWritingALotIsRotatedBetweenLinesWhileItRunsAndGoesOnWriting() throws Exception {
        // 100 lines of 200 bytes a round (~20 kB), 20 rounds a second at most: a rotation every other round.
        Path yaml = yaml("""
                jobs:
                  chatty:
                    script: |
                      i=0
                      while true; do
                        i=$((i+1))
                        echo "chunk $i"
                        yes "$(printf '%0199d' 0)" | head -n 100
                        sleep 0.05
                      done
                    start_on: startup
                """);
        rotation = new LogFiles.Rotation(MAX, 3);
        run(List.of(yaml));
        // `ordo log -f` from the start: it must see every chunk once, in order, across the rotations.
        StringWriter followed = new StringWriter();
        Thread follower = new Thread(() -> Main.execute(new String[] {"log", "chatty", "-f", "--state-dir", state().toString()},
                new PrintWriter(followed), new PrintWriter(new StringWriter())));
        follower.start();

        // The live file never passes the size while .1 … .3 appear.
        long biggest = 0;
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!Files.exists(log(".3"))) {
            assertTrue(System.nanoTime() < deadline, "no .3 in time:\n" + output());
            biggest = Math.max(biggest, size(log("")));
            Thread.sleep(5);
        }
        assertTrue(biggest <= MAX, "the live log reached " + biggest + " bytes");
        int oldestBefore = chunks(".3").get(0);

        // The oldest beyond 3 goes: .3 moves on to later chunks, and there is never a .4.
        eventually(() -> ".3 moved on from chunk " + oldestBefore, () -> {
            List<Integer> c = chunks(".3");
            return !c.isEmpty() && c.get(0) > oldestBefore;
        });
        assertFalse(Files.exists(log(".4")));
        int now = last(chunks(""));
        eventually(() -> "the live log goes past chunk " + now, () -> last(chunks("")) > now + 2);
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
        follower.join(WAIT_MILLIS);

        // Newest last, each file within the size, whole lines only: every line is a chunk's or a row of zeros.
        List<List<Integer>> files = List.of(chunks(".3"), chunks(".2"), chunks(".1"), chunks(""));
        for (int i = 0; i + 1 < files.size(); i++) {
            assertTrue(last(files.get(i)) < files.get(i + 1).get(0), files.toString());
        }
        for (String suffix : List.of(".3", ".2", ".1", "")) {
            String text = Files.readString(log(suffix), StandardCharsets.ISO_8859_1);
            assertTrue(text.length() <= MAX, suffix + ": " + text.length() + " bytes");
            assertTrue(text.endsWith("\n"), suffix + " ends inside a line");
            for (String line : text.split("\n")) assertTrue(line.equals(ZEROS) || CHUNK.matcher(line).matches(), suffix + ": `" + line + "`");
        }
        // Rotated when the next line would not fit: full but for less than a line.
        for (String suffix : List.of(".3", ".2", ".1")) assertTrue(size(log(suffix)) > MAX - 200, suffix + ": " + size(log(suffix)));

        List<Integer> seen = chunksOf(Files.writeString(tmp.resolve("followed"), followed.toString()));
        assertTrue(seen.size() > 4, followed.toString().length() + " bytes followed");
        for (int i = 0; i + 1 < seen.size(); i++) assertEquals(seen.get(i) + 1, seen.get(i + 1), "followed: " + seen);
        assertEquals(last(chunks("")), last(seen), "followed to the end");

        // One process all along: rotation never restarted the job.
        long spawns = effects().stream().filter(e -> e instanceof Effect.Spawn s && s.job().equals("chatty")).count();
        assertEquals(1, spawns);
        assertFalse(output().contains("cannot rotate"), output());
    }

    /** The output thread sleeps in poll(2) while no job writes: an idle supervisor does not wake for its logs. */
    @Test
    void theOutputIsNotLookedAtWhileNothingIsWritten() throws Exception {
        Path yaml = yaml("""
                jobs:
                  quiet:
                    script: |
                      echo "chunk 1"
                      printf "unfinished"
                      exec sleep infinity
                    start_on: startup
                """);
        run(List.of(yaml));
        Path live = state().resolve("logs/quiet.log");
        // The unfinished line is written once the job has been quiet for a moment.
        eventually(() -> "the job's lines are in its log", () -> readOrEmpty(live).equals("chunk 1\nunfinished"));
        Thread.sleep(200);
        long before = supervisor.outputRounds();
        Thread.sleep(1000);
        assertEquals(before, supervisor.outputRounds(), "the output thread woke while nothing was written");
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
        assertEquals("chunk 1\nunfinished\n", readOrEmpty(live), "the last line is ended at the end");
    }

    /**
     * Issue 12: everything a job wrote before it stopped is in its log when the supervisor ends, even what it
     * wrote in its last moment: its pipe is read to the end before awaitExit returns.
     */
    @Test
    void everythingAJobWroteBeforeItStoppedIsInItsLogWhenTheSupervisorEnds() throws Exception {
        Path yaml = yaml("""
                jobs:
                  talker:
                    script: |
                      trap 'i=0; while [ $i -lt 3000 ]; do echo "bye $i"; i=$((i+1)); done; printf "last words"; exit 0' TERM
                      echo started
                      while :; do sleep 0.1; done
                    start_on: startup
                """);
        run(List.of(yaml));
        Path live = state().resolve("logs/talker.log");
        eventually(() -> "the job has started", () -> readOrEmpty(live).startsWith("started\n"));
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
        // Read once, at once: no waiting after the end.
        String text = readOrEmpty(live);
        assertTrue(text.contains("\nbye 0\n") && text.contains("\nbye 2999\n"), text.length() + " bytes");
        assertTrue(text.endsWith("bye 2999\nlast words\n"), text.substring(Math.max(0, text.length() - 100)));
    }

    /** A process left running (kill mode process) holds its pipe: the end waits a moment for it, no more, and says so. */
    @Test
    void aProcessLeftRunningHoldsItsPipeAndTheEndSaysSo() throws Exception {
        Path yaml = yaml("""
                jobs:
                  parent:
                    script: |
                      sleep 600 &
                      echo "left $!"
                      exec sleep infinity
                    start_on: startup
                    kill: {mode: process}
                """);
        run(List.of(yaml));
        Path live = state().resolve("logs/parent.log");
        eventually(() -> "the job said what it left", () -> readOrEmpty(live).startsWith("left "));
        long left = Long.parseLong(readOrEmpty(live).trim().substring("left ".length()));
        try {
            supervisor.shutdown();
            assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
            assertTrue(lines().contains("ordo: 1 output pipe(s) still open at the end: processes left running hold them;"
                    + " what they write now is lost"), output());
        } finally {
            ProcessHandle.of(left).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
