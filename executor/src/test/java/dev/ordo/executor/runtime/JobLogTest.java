package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Job logs: names, rotation at the size, following, reopening; console output with names and colour. */
class JobLogTest {

    @TempDir
    Path tmp;

    static void write(OutputSink s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.write(b, 0, b.length);
    }

    String read(String name) throws Exception {
        Path p = tmp.resolve(name);
        return Files.exists(p) ? Files.readString(p) : null;
    }

    @Test
    void fileNames() {
        assertEquals("hal.log", LogFiles.fileName("hal", ""));
        assertEquals("getty-tty1.log", LogFiles.fileName("getty", "tty1"));
        assertEquals("mount-_dev_sda1.log", LogFiles.fileName("mount", "/dev/sda1"));
        assertEquals("a-.._.._etc.log", LogFiles.fileName("a", "../../etc"));
    }

    @Test
    void rotatesBeforeAWriteWouldPassTheSizeAndKeepsN() throws Exception {
        LogFiles logs = new LogFiles(tmp, 20, 2);
        JobLog l = logs.open("hal", "");
        for (char c = 'a'; c <= 'g'; c++) write(l, String.valueOf(c).repeat(9) + "\n");
        // 7 lines of 10 bytes, 2 per file: a b | c d | e f | g; only two rotated files are kept.
        assertEquals("ggggggggg\n", read("hal.log"));
        assertEquals("eeeeeeeee\nfffffffff\n", read("hal.log.1"));
        assertEquals("ccccccccc\nddddddddd\n", read("hal.log.2"));
        assertEquals(null, read("hal.log.3"));
        assertEquals(List.of("ddddddddd", "eeeeeeeee", "fffffffff", "ggggggggg"), logs.tail("hal", "", 4));
        assertEquals(5, logs.tail("hal", "", -1).size());
        assertEquals(List.of(), logs.tail("nothing", "", -1));
        l.close();
    }

    @Test
    void keepingNoneStartsOver() throws Exception {
        JobLog l = new LogFiles(tmp, 15, 0).open("t", "i");
        write(l, "0123456789\n");
        write(l, "abcdefghij\n");
        assertEquals("abcdefghij\n", read("t-i.log"));
        assertFalse(Files.exists(tmp.resolve("t-i.log.1")));
        l.close();
    }

    @Test
    void aLogOfTheRightSizeIsRotatedWhenAskedBeforeASpawn() throws Exception {
        JobLog l = new LogFiles(tmp, 10, 1).open("hal", "");
        write(l, "0123456789");
        l.rotateIfOver();
        assertEquals("", read("hal.log"));
        assertEquals("0123456789", read("hal.log.1"));
        l.close();
    }

    /** A child's {@code O_APPEND} descriptor, as the process layer hands it over. */
    static void append(Path p, String text) throws Exception {
        Files.writeString(p, text, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Test
    void copyTruncateRotatesAFileAChildKeepsAppendingTo() throws Exception {
        JobLog l = new LogFiles(tmp, 10, 2).open("hal", "");
        Path live = tmp.resolve("hal.log");
        try (FileChannel child = FileChannel.open(live, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            child.write(ByteBuffer.wrap("012345678".getBytes(StandardCharsets.UTF_8)));
            assertFalse(l.copyTruncateIfOver(), "under the size");
            assertEquals("012345678", read("hal.log"));
            child.write(ByteBuffer.wrap("9\n".getBytes(StandardCharsets.UTF_8)));
            assertTrue(l.copyTruncateIfOver());
            assertEquals("0123456789\n", read("hal.log.1"));
            assertEquals("", read("hal.log"));
            // The same descriptor writes on at the new end: no hole of zeros where the old bytes were.
            child.write(ByteBuffer.wrap("second....\n".getBytes(StandardCharsets.UTF_8)));
            assertEquals("second....\n", read("hal.log"));
            assertTrue(l.copyTruncateIfOver());
            child.write(ByteBuffer.wrap("third.....\n".getBytes(StandardCharsets.UTF_8)));
            assertTrue(l.copyTruncateIfOver());
        }
        // Two kept: the oldest went.
        assertEquals("third.....\n", read("hal.log.1"));
        assertEquals("second....\n", read("hal.log.2"));
        assertEquals(null, read("hal.log.3"));
        assertEquals(null, read("hal.log.1.tmp"));
        assertEquals("", read("hal.log"));
        l.close();
    }

    @Test
    void copyTruncateKeepingNoneOnlyTruncates() throws Exception {
        JobLog l = new LogFiles(tmp, 5, 0).open("t", "");
        append(tmp.resolve("t.log"), "0123456789");
        assertTrue(l.copyTruncateIfOver());
        assertEquals("", read("t.log"));
        assertFalse(Files.exists(tmp.resolve("t.log.1")));
        l.close();
        assertFalse(l.copyTruncateIfOver(), "a closed log is left alone");
    }

    @Test
    void everyOpenLogIsCheckedAndAFailureIsReported() throws Exception {
        LogFiles files = new LogFiles(tmp, 5, 1);
        files.open("a", "");
        files.open("b", "");
        append(tmp.resolve("a.log"), "over the size");
        append(tmp.resolve("b.log"), "ok");
        List<String> said = new ArrayList<>();
        files.rotateOpenLogs(said::add);
        assertEquals(List.of(), said);
        assertEquals("over the size", read("a.log.1"));
        assertEquals("ok", read("b.log"));
        // .1 cannot be replaced by a file while it is a directory that is not empty.
        append(tmp.resolve("a.log"), "again, over");
        Files.delete(tmp.resolve("a.log.1"));
        Files.createDirectories(tmp.resolve("a.log.1/x"));
        files.rotateOpenLogs(said::add);
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("cannot rotate " + tmp.resolve("a.log") + ": "), said.get(0));
    }

    @Test
    void followersGetWholeLines() throws Exception {
        LogFiles logs = new LogFiles(tmp);
        JobLog l = logs.open("hal", "");
        assertSame(l, logs.open("hal", ""));
        List<String> seen = new ArrayList<>();
        AutoCloseable f = l.follow(seen::add);
        byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
        write(l, "one\r\ntw");
        write(l, "o\nthr");
        l.write(euro, 0, 1); // a character split between two reads
        l.write(euro, 1, euro.length - 1);
        write(l, "four");
        l.close();
        assertEquals(List.of("one", "two", "thr€", "four"), seen);
        f.close();
        assertEquals("one\r\ntwo\nthr€\nfour", read("hal.log"));
        assertNotSame(l, logs.open("hal", ""), "a closed log is opened afresh");
    }

    @Test
    void reopeningFollowsAnOutsideRotation() throws Exception {
        LogFiles logs = new LogFiles(tmp);
        JobLog l = logs.open("hal", "");
        write(l, "before\n");
        Files.move(tmp.resolve("hal.log"), tmp.resolve("hal.log.old"));
        logs.reopenAll(m -> { });
        write(l, "after\n");
        assertEquals("before\n", read("hal.log.old"));
        assertEquals("after\n", read("hal.log"));
        l.close();
    }

    @Test
    void consoleOutputPrefixesEachLineWithTheJob() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ConsoleOutput c = new ConsoleOutput(out, false);
        OutputSink hal = c.sink("hal", "");
        OutputSink getty = c.sink("getty", "tty1");
        write(hal, "hello\nwor");
        write(getty, "login: ");
        write(hal, "ld\n");
        getty.close();
        assertEquals("hal | hello\nhal | world\ngetty (tty1) | login: \n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void colourOnlyOnATerminalAndNeverWithNoColor() {
        assertTrue(ConsoleOutput.colourWanted(true, Map.of()));
        assertTrue(ConsoleOutput.colourWanted(true, Map.of("NO_COLOR", "")));
        assertFalse(ConsoleOutput.colourWanted(true, Map.of("NO_COLOR", "1")));
        assertFalse(ConsoleOutput.colourWanted(false, Map.of()));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OutputSink hal = new ConsoleOutput(out, true).sink("hal", "");
        write(hal, "x\ny\n");
        String s = out.toString(StandardCharsets.UTF_8);
        assertTrue(s.matches("(\\x1b\\[\\d+mhal\\x1b\\[0m \\| [xy]\n){2}"), s);
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        write(new ConsoleOutput(again, true).sink("hal", ""), "x\n");
        assertTrue(s.startsWith(again.toString(StandardCharsets.UTF_8)), "a job keeps its colour");
    }
}
