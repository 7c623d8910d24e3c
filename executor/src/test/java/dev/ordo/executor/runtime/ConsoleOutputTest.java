package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The supervisor's output: jobs' lines with their names and colour, and a reader that stops reading. */
class ConsoleOutputTest {

    static final long WAIT_MILLIS = 15_000;

    static void write(OutputSink s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.write(b, 0, b.length);
    }

    @Test
    void consoleOutputPrefixesEachLineWithTheJob() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleOutput c = new ConsoleOutput(out, false);
        OutputSink hal = c.sink("hal", "");
        OutputSink getty = c.sink("getty", "tty1");
        write(hal, "hello\nwor");
        write(getty, "login: ");
        write(hal, "ld\n");
        getty.close();
        c.line("ordo: own line");
        assertTrue(c.flush(WAIT_MILLIS));
        assertEquals("hal | hello\nhal | world\ngetty (tty1) | login: \nordo: own line\n", out.toString(StandardCharsets.UTF_8));
        c.close();
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() throws Exception {
        assertTrue(ConsoleOutput.colourWanted(true, Map.of()));
        assertTrue(ConsoleOutput.colourWanted(true, Map.of("NO_COLOR", "")));
        assertFalse(ConsoleOutput.colourWanted(true, Map.of("NO_COLOR", "1")));
        assertFalse(ConsoleOutput.colourWanted(false, Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleOutput c = new ConsoleOutput(out, true);
        write(c.sink("hal", ""), "x\ny\n");
        c.close();
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.matches("(\\x1b\\[\\d+mhal\\x1b\\[0m \\| [xy]\n){2}"), s);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        ConsoleOutput d = new ConsoleOutput(again, true);
        write(d.sink("hal", ""), "x\n");
        d.close();
        assertTrue(s.startsWith(again.toString(StandardCharsets.UTF_8)), "a job keeps its colour");
    }

    /** Stands for a terminal or pipe nobody reads: each write waits until the test lets it go. */
    static final class StalledOutput extends OutputStream {
        final CountDownLatch go = new CountDownLatch(1);
        final CountDownLatch stuck = new CountDownLatch(1);
        final ByteArrayOutputStream taken = new ByteArrayOutputStream();

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            stuck.countDown();
            try {
                go.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            synchronized (taken) {
                taken.write(b, off, len);
            }
        }

        String text() {
            synchronized (taken) {
                return taken.toString(StandardCharsets.UTF_8);
            }
        }
    }

    /**
     * Nobody reads the output: whoever prints never waits; lines past the queue's bound are dropped and counted,
     * and the count is written where they went missing once the output is read again. The supervisor's own
     * lines have room after the jobs' have filled theirs.
     */
    @Test
    void aReaderThatStopsReadingLosesLinesWithACountNeverTheWriter() throws Exception {
        StalledOutput out = new StalledOutput();
        // 100 bytes for the jobs' lines: the first (16 bytes) goes to the writer, which waits.
        ConsoleOutput c = new ConsoleOutput(out, false, 100);
        OutputSink web = c.sink("web", "");
        write(web, "web first\n");
        assertTrue(out.stuck.await(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        for (int i = 10; i < 30; i++) write(web, "line " + i + "\n");
        c.line("ordo: the supervisor's own line");
        write(web, "last\n");
        assertFalse(c.flush(50), "nothing is written while the reader does not read");
        out.go.countDown();
        assertTrue(c.flush(WAIT_MILLIS));
        List<String> lines = List.of(out.text().split("\n"));
        // The first, then 6 lines of 14 bytes (16 + 84 = 100), 14 lost, the own line (room up to 200), 1 lost.
        assertEquals(List.of("web | web first", "web | line 10", "web | line 11", "web | line 12", "web | line 13",
                "web | line 14", "web | line 15",
                "ordo: 14 lines of output lost: the supervisor's output was not read in time",
                "ordo: the supervisor's own line",
                "ordo: 1 line of output lost: the supervisor's output was not read in time"), lines);
        c.close();
    }
}
