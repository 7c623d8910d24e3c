package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copy-truncate rotation of a real process's log while it runs and writes. */
class LogRotationTest {

    static final long WAIT_MILLIS = 15_000;
    static final long MAX = 40_000;
    static final Pattern CHUNK = Pattern.compile("(?m)^chunk (\\d+)$");

    @TempDir
    Path tmp;

    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    final List<Effect> effects = new ArrayList<>();
    Supervisor supervisor;

    @AfterEach
    void end() throws Exception {
        if (supervisor != null && supervisor.awaitExit(0) < 0) {
            supervisor.interrupt();
            supervisor.interrupt();
            supervisor.awaitExit(WAIT_MILLIS);
        }
    }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    static void eventually(Supplier<String> what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what.get());
            Thread.sleep(10);
        }
    }

    Path log(String suffix) {
        return tmp.resolve("state/logs/chatty.log" + suffix);
    }

    /** The chunk numbers in a file, in order; empty if it is missing. */
    List<Integer> chunks(String suffix) {
        List<Integer> out = new ArrayList<>();
        try {
            Matcher m = CHUNK.matcher(Files.readString(log(suffix), StandardCharsets.ISO_8859_1));
            while (m.find()) out.add(Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            // Missing (or moved away this moment): no chunks.
        }
        return out;
    }

    static int last(List<Integer> l) {
        return l.isEmpty() ? -1 : l.get(l.size() - 1);
    }

    @Test
    void aJobWritingALotIsRotatedWhileItRunsAndGoesOnWriting() throws Exception {
        Path file = tmp.resolve("jobs.yaml");
        // ~20 kB a round, 20 rounds a second at most: a few rounds between two checks.
        Files.writeString(file, """
                jobs:
                  chatty:
                    script: |
                      i=0
                      while true; do
                        i=$((i+1))
                        echo "chunk $i"
                        yes | head -c 20000
                        sleep 0.05
                      done
                    start_on: startup
                """);
        Config config = ConfigLoader.load(List.of(file), null);
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        supervisor = Supervisor.start(config, new SupervisorSettings(tmp.resolve("state"), List.of(file), null, out, false,
                e -> {
                    synchronized (effects) {
                        effects.add(e);
                    }
                }).logRotation(new LogFiles.Rotation(MAX, 3, Duration.ofMillis(100))));

        // The live file stays bounded while .1 … .3 appear: size + what a round and a period can add.
        long biggest = 0;
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!Files.exists(log(".3"))) {
            assertTrue(System.nanoTime() < deadline, "no .3 in time:\n" + output());
            if (Files.exists(log(""))) biggest = Math.max(biggest, Files.size(log("")));
            Thread.sleep(5);
        }
        assertTrue(biggest < 4 * MAX, "the live log reached " + biggest + " bytes");
        int oldestBefore = chunks(".3").get(0);

        // The oldest beyond 3 goes: .3 moves on to later chunks, and there is never a .4.
        eventually(() -> ".3 moved on from chunk " + oldestBefore, () -> {
            List<Integer> c = chunks(".3");
            return !c.isEmpty() && c.get(0) > oldestBefore;
        });
        assertFalse(Files.exists(log(".4")));

        // Newest last: every rotated file's chunks come before the next one's, and the job goes on writing.
        int now = last(chunks(""));
        eventually(() -> "the live log goes past chunk " + now, () -> last(chunks("")) > now + 2);
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
        List<Integer> c3 = chunks(".3");
        List<Integer> c2 = chunks(".2");
        List<Integer> c1 = chunks(".1");
        List<Integer> c0 = chunks("");
        assertTrue(last(c3) < c2.get(0) && last(c2) < c1.get(0) && last(c1) < c0.get(0),
                c3 + " " + c2 + " " + c1 + " " + c0);
        for (Path p : List.of(log(".1"), log(".2"), log(".3"))) {
            assertTrue(Files.size(p) >= MAX, p + " was rotated under the size: " + Files.size(p));
        }
        // One process all along: rotation never restarted the job.
        long spawns;
        synchronized (effects) {
            spawns = effects.stream().filter(e -> e instanceof Effect.Spawn s && s.job().equals("chatty")).count();
        }
        assertEquals(1, spawns);
        assertFalse(output().contains("cannot rotate"), output());
    }

    /** The logs are looked at when a job writes, and not at all while nothing is written (an idle supervisor sleeps). */
    @Test
    void theLogsAreLookedAtOnlyWhenWrittenTo() throws Exception {
        Path file = tmp.resolve("jobs.yaml");
        Files.writeString(file, """
                jobs:
                  quiet:
                    script: |
                      echo "chunk 1"
                      exec sleep infinity
                    start_on: startup
                """);
        Config config = ConfigLoader.load(List.of(file), null);
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        // A 20 ms period: the periodic check this replaced would look 50 times in the quiet second below.
        supervisor = Supervisor.start(config, new SupervisorSettings(tmp.resolve("state"), List.of(file), null, out, false)
                .logRotation(new LogFiles.Rotation(MAX, 3, Duration.ofMillis(20))));
        Path live = tmp.resolve("state/logs/quiet.log");
        eventually(() -> "the job wrote its line", () -> List.of(1).equals(chunksOf(live)));
        eventually(() -> "the write was looked at", () -> supervisor.logChecks() > 0);
        Thread.sleep(200);
        long before = supervisor.logChecks();
        Thread.sleep(1000);
        assertEquals(before, supervisor.logChecks(), "the logs were looked at while nothing was written");
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
    }

    static List<Integer> chunksOf(Path p) {
        List<Integer> out = new ArrayList<>();
        try {
            Matcher m = CHUNK.matcher(Files.readString(p, StandardCharsets.ISO_8859_1));
            while (m.find()) out.add(Integer.parseInt(m.group(1)));
        } catch (IOException e) {
            // not there yet
        }
        return out;
    }
}
