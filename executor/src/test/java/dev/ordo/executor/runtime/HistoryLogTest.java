package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** history.jsonl: rotated like the logs, written off the loop, and a disk that does not keep up. */
class HistoryLogTest {

    @TempDir
    Path tmp;

    @Test
    void theHistoryIsRotatedBetweenRecordsAtItsSize() throws Exception {
        Path file = tmp.resolve("history.jsonl");
        HistoryLog h = new HistoryLog(file, new LogFiles.Rotation(300, 1), m -> { });
        for (int i = 0; i < 20; i++) {
            h.add("crasher", "", 0.001 * i, Instant.EPOCH, "ok");
            if (i % 3 == 0) h.flushAndWait();
        }
        h.close();
        for (Path p : List.of(file, JobLog.rotated(file, 1))) {
            String text = Files.readString(p);
            assertTrue(text.length() <= 300, p + ": " + text.length());
            for (String l : text.split("\n")) assertTrue(l.startsWith("{\"job\":\"crasher\"") && l.endsWith("}"), l);
        }
        assertFalse(Files.exists(JobLog.rotated(file, 2)));
        assertTrue(Files.readString(file).endsWith("\"seconds\":0.019,\"at\":\"1970-01-01T00:00:00Z\",\"result\":\"ok\"}\n"));
    }

    /** The disk stalls: records wait in a bounded buffer, the rest are dropped and counted, and the loop never waits. */
    @Test
    void recordsTheDiskDoesNotTakeInTimeAreDroppedAndCounted() throws Exception {
        Path path = tmp.resolve("history.jsonl");
        List<String> said = new CopyOnWriteArrayList<>();
        JobLog file = new JobLog(path, LogFiles.Rotation.DEFAULT, said::add);
        HistoryLog h = new HistoryLog(file, said::add, 500);
        int added = 20;
        // The writer waits for the file as it would for a stalled disk, while the records keep coming.
        synchronized (file) {
            for (int i = 0; i < added; i++) {
                h.add("db", "", 0.5, Instant.EPOCH, "ok");
                h.flush();
            }
        }
        h.flushAndWait();
        h.close();
        long written = Files.readAllLines(path).size();
        long lost = 0;
        assertFalse(said.isEmpty(), "the loss is told");
        for (String line : said) {
            Matcher m = Pattern.compile(Pattern.quote(path.toString()) + ": (\\d+) start records lost: the disk did not take them in time")
                    .matcher(line);
            assertTrue(m.matches(), line);
            lost += Long.parseLong(m.group(1));
        }
        assertTrue(lost > 0, "the buffer is bounded");
        assertEquals(added, written + lost, "written + lost");
    }

    @Test
    void aHistoryThatCannotBeWrittenIsSaid() throws Exception {
        Path path = Files.createDirectory(tmp.resolve("history.jsonl"));
        List<String> said = new CopyOnWriteArrayList<>();
        HistoryLog h = new HistoryLog(path, LogFiles.Rotation.DEFAULT, said::add);
        h.add("db", "", 0.5, Instant.EPOCH, "ok");
        h.flushAndWait();
        h.close();
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("cannot append to " + path + ": "), said.get(0));
    }
}
