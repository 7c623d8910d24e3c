package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A job that dies at once and respawns without limit ran 800 times a second: the supervisor now starts
 * one instance's main process no more often than every 100 ms (systemd's default RestartSec=).
 */
class RespawnPaceTest extends SupervisorHarness {

    @Test
    void aCrashLoopIsPacedNotSpun() throws Exception {
        Path stamps = tmp.resolve("stamps");
        Path yaml = yaml("""
                jobs:
                  crasher:
                    exec: sh -c 'date +%s%N >> STAMPS; exit 1'
                    respawn: {limit: unlimited}
                """.replace("STAMPS", stamps.toString()));
        run(List.of(yaml));
        eventually(() -> "six starts", () -> lines(stamps) >= 6);
        List<String> at = Files.readAllLines(stamps);
        // The pace is between spawns; each stamp also carries its own process's start-up time, which
        // varies, so the span is what counts: unpaced, six starts came within a few milliseconds.
        long span = Long.parseLong(at.get(at.size() - 1).trim()) - Long.parseLong(at.get(0).trim());
        long least = (at.size() - 1) * 80_000_000L; // 100 ms, the documented pace, less start-up jitter
        assertTrue(span >= least, at.size() + " starts in " + span / 1_000_000 + " ms");
    }

    static long lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).size() : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }
}
