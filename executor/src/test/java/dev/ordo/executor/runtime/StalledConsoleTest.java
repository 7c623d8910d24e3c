package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12: a {@code console: output} job whose reader (whoever reads `ordo run`'s output) stops reading
 * stalled `status` and respawns for as long as the pipe was full: the job's lines went out on a thread that
 * held the output while the loop waited to print its own. Now the output waits on a thread of its own, lines
 * that do not fit its queue are counted, and supervision goes on.
 */
class StalledConsoleTest extends ForkedRun {

    static final int CHATTER = 200_000;
    static final Pattern LOST = Pattern.compile("^ordo: (\\d+) lines? of output lost: the supervisor's output was not read in time$");

    static long lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    @Test
    void aReaderThatStopsReadingLosesLinesWithACountNeverSupervision() throws Exception {
        Path stamps = tmp.resolve("stamps");
        Path yaml = tmp.resolve("ordo.yaml");
        // 200,000 lines (4.6 MB): far more than the pipe to nobody (64 KiB) and the output's queue (1 MiB) hold.
        Files.writeString(yaml, """
                jobs:
                  chatter:
                    exec: sh -c 'yes "chatter line" | head -n CHATTER; exec sleep infinity'
                    console: output
                  crasher:
                    exec: sh -c 'date +%s%N >> STAMPS; exit 1'
                    respawn: {limit: unlimited}
                """.replace("CHATTER", Integer.toString(CHATTER)).replace("STAMPS", stamps.toString()));
        startUnread(List.of(yaml.toString()));
        long up = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (answered("status").status() == 2) {
            assertTrue(System.nanoTime() < up, "ordo run did not come up");
            Thread.sleep(20);
        }

        // Nobody reads: the crash loop goes on being restarted (30 starts, 3 s at its pace) and status answered.
        long deadline = System.nanoTime() + 2 * WAIT_MILLIS * 1_000_000;
        while (lines(stamps) < 30) {
            assertTrue(System.nanoTime() < deadline, "only " + lines(stamps) + " starts of the crash loop while the output was not read");
            int status = answered("status", "crasher").status();
            assertTrue(status == 0 || status == 3, "status " + status);
            Thread.sleep(20);
        }
        assertEquals(0, answered("status", "chatter").status());

        // Read again: every line of the chatter is either there or counted as lost.
        startReading();
        long[] seen = new long[2];
        long until = System.nanoTime() + 2 * WAIT_MILLIS * 1_000_000;
        while (true) {
            seen[0] = 0;
            seen[1] = 0;
            for (String l : output.lines()) {
                if (l.equals("chatter | chatter line")) seen[0]++;
                Matcher m = LOST.matcher(l);
                if (m.matches()) seen[1] += Long.parseLong(m.group(1));
            }
            if (seen[0] + seen[1] >= CHATTER) break;
            assertTrue(System.nanoTime() < until, seen[0] + " lines shown and " + seen[1] + " counted lost, of " + CHATTER);
            Thread.sleep(50);
        }
        assertTrue(seen[1] > 0, "some were lost: the queue is bounded");
        assertEquals(CHATTER, seen[0] + seen[1], "shown + lost");
        assertEquals(0, answered("shutdown").status());
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS));
    }
}
