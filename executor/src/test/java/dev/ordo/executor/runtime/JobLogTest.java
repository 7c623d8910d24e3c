package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Job logs as the supervisor writes them from a process's output pipe: names, rotation between lines at the
 * size, the longest record, unfinished lines, sharing between processes, following, reopening, failures.
 */
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
    void rotatesBeforeALineWouldPassTheSizeAndKeepsN() throws Exception {
        LogFiles logs = new LogFiles(tmp, 20, 2);
        LogStream s = new LogStream(logs.open("hal", ""));
        for (char c = 'a'; c <= 'g'; c++) write(s, String.valueOf(c).repeat(9) + "\n");
        // 7 lines of 10 bytes, 2 per file: a b | c d | e f | g; only two rotated files are kept.
        assertEquals("ggggggggg\n", read("hal.log"));
        assertEquals("eeeeeeeee\nfffffffff\n", read("hal.log.1"));
        assertEquals("ccccccccc\nddddddddd\n", read("hal.log.2"));
        assertEquals(null, read("hal.log.3"));
        assertEquals(List.of("ddddddddd", "eeeeeeeee", "fffffffff", "ggggggggg"), logs.tail("hal", "", 4));
        assertEquals(5, logs.tail("hal", "", -1).size());
        assertEquals(List.of(), logs.tail("nothing", "", -1));
        s.close();
    }

    @Test
    void keepingNoneStartsOver() throws Exception {
        LogStream s = new LogStream(new LogFiles(tmp, 15, 0).open("t", "i"));
        write(s, "0123456789\nabcdefghij\n");
        assertEquals("abcdefghij\n", read("t-i.log"));
        assertFalse(Files.exists(tmp.resolve("t-i.log.1")));
        s.close();
    }

    /** Lines that come cut anywhere between reads still land whole, each in one file, no file over the size. */
    @Test
    void aLineIsNeverSplitBetweenTwoFiles() throws Exception {
        LogStream s = new LogStream(new LogFiles(tmp, 25, 3).open("web", ""));
        for (String piece : List.of("aaaa", "aaaaa\nbbbbbbbbb\ncc", "ccccccc", "\nd", "dddddddd\n")) write(s, piece);
        assertEquals("aaaaaaaaa\nbbbbbbbbb\n", read("web.log.1"));
        assertEquals("ccccccccc\nddddddddd\n", read("web.log"));
        s.close();
    }

    @Test
    void aLineLongerThanTheSizeHasAFileOfItsOwn() throws Exception {
        LogStream s = new LogStream(new LogFiles(tmp, 10, 3).open("web", ""));
        write(s, "short\n" + "x".repeat(29) + "\nnext\n");
        assertEquals("short\n", read("web.log.2"));
        assertEquals("x".repeat(29) + "\n", read("web.log.1"));
        assertEquals("next\n", read("web.log"));
        s.close();
    }

    /** A line longer than 16 KiB is cut into records of 16 KiB: a file may end inside it, never past its size. */
    @Test
    void aVeryLongLineIsCutIntoPiecesOfTheLongestRecord() throws Exception {
        LogFiles logs = new LogFiles(tmp, JobLog.MAX_LINE + 50, 3);
        LogStream s = new LogStream(logs.open("web", ""));
        String line = "y".repeat(2 * JobLog.MAX_LINE + 100);
        write(s, line.substring(0, 5000));
        write(s, line.substring(5000) + "\n");
        s.close();
        assertEquals("y".repeat(JobLog.MAX_LINE), read("web.log.2"));
        assertEquals("y".repeat(JobLog.MAX_LINE), read("web.log.1"));
        assertEquals("y".repeat(100) + "\n", read("web.log"));
        assertEquals(List.of("y".repeat(JobLog.MAX_LINE), "y".repeat(JobLog.MAX_LINE), "y".repeat(100)), logs.tail("web", "", -1));
    }

    @Test
    void anUnfinishedLineWaitsForItsEndTheProcessGoingQuietOrTheEndOfTheOutputWhichEndsIt() throws Exception {
        LogStream s = new LogStream(new LogFiles(tmp, 1000, 1).open("getty", ""));
        write(s, "one\nlogin: ");
        assertEquals("one\n", read("getty.log"), "held until its newline");
        s.quiet();
        assertEquals("one\nlogin: ", read("getty.log"), "written as it is once the process is quiet");
        write(s, "root\nPassword");
        s.close();
        assertEquals("one\nlogin: root\nPassword\n", read("getty.log"), "the last one at the end, ended");
    }

    /** A line the process paused in at a rotation is split between two files; `ordo log` reads it whole. */
    @Test
    void aLineSplitByAPauseAtARotationIsReadWhole() throws Exception {
        LogFiles logs = new LogFiles(tmp, 10, 2);
        LogStream s = new LogStream(logs.open("w", ""));
        write(s, "12345678");
        s.quiet();
        write(s, "9abcdef\n");
        s.close();
        assertEquals("12345678", read("w.log.1"));
        assertEquals("9abcdef\n", read("w.log"));
        assertEquals(List.of("123456789abcdef"), logs.tail("w", "", -1));
        assertEquals(List.of("123456789abcdef"), LogFiles.tailOfFiles(tmp, "w", "", -1));
    }

    /** Two processes of one instance (pre-start and main, say) write at once: their lines never mix inside. */
    @Test
    void processesOfOneInstanceShareTheFileButNotTheirLines() throws Exception {
        LogFiles logs = new LogFiles(tmp);
        LogStream pre = new LogStream(logs.open("db", ""));
        LogStream main = new LogStream(logs.open("db", ""));
        write(pre, "pre: half");
        write(main, "main: whole\n");
        write(pre, " and the rest\n");
        main.close();
        pre.close();
        assertEquals("main: whole\npre: half and the rest\n", read("db.log"));
    }

    @Test
    void theLastProcessToEndClosesTheLog() throws Exception {
        LogFiles logs = new LogFiles(tmp);
        JobLog first = logs.open("hal", "");
        assertSame(first, logs.open("hal", ""));
        first.release();
        assertFalse(first.isClosed(), "one user is left");
        assertSame(first, logs.open("hal", ""));
        first.release();
        first.release();
        assertTrue(first.isClosed());
        JobLog again = logs.open("hal", "");
        assertNotSame(first, again, "a closed log is opened afresh");
        again.release();
    }

    @Test
    void followersGetWholeLinesAcrossRotationsAndRestarts() throws Exception {
        LogFiles logs = new LogFiles(tmp, 12, 1);
        List<String> seen = new ArrayList<>();
        // Followed before the job ever ran: nothing yet, then what it writes.
        Runnable stop = logs.follow("hal", "", -1, seen::add);
        LogStream s = new LogStream(logs.open("hal", ""));
        byte[] euro = "€\n".getBytes(StandardCharsets.UTF_8);
        write(s, "one\r\ntw");
        write(s, "o\nthr");
        s.write(euro, 0, 1); // a character split between two reads
        s.write(euro, 1, euro.length - 1);
        write(s, "four");
        s.close();
        assertEquals(List.of("one", "two", "thr€", "four"), seen);
        // The job starts again: the same follower goes on.
        LogStream again = new LogStream(logs.open("hal", ""));
        write(again, "five\n");
        stop.run();
        write(again, "six\n");
        again.close();
        assertEquals(List.of("one", "two", "thr€", "four", "five"), seen);
        assertEquals("thr€\nfour\n", read("hal.log.1"), "the first run's last line was ended for the next");
        assertEquals("five\nsix\n", read("hal.log"));
    }

    @Test
    void followingGivesTheLastLinesThenTheNewOnesNoneTwice() throws Exception {
        LogFiles logs = new LogFiles(tmp, 1000, 1);
        LogStream s = new LogStream(logs.open("web", ""));
        write(s, "a\nb\nc\n");
        List<String> seen = new ArrayList<>();
        Runnable stop = logs.follow("web", "", 2, seen::add);
        write(s, "d\n");
        s.close();
        stop.run();
        assertEquals(List.of("b", "c", "d"), seen);
        List<String> none = new ArrayList<>();
        logs.follow("web", "", 0, none::add).run();
        assertEquals(List.of(), none);
    }

    @Test
    void reopeningFollowsAnOutsideRotation() throws Exception {
        LogFiles logs = new LogFiles(tmp);
        LogStream s = new LogStream(logs.open("hal", ""));
        write(s, "before\n");
        Files.move(tmp.resolve("hal.log"), tmp.resolve("hal.log.old"));
        logs.reopenAll(m -> { });
        write(s, "after\n");
        assertEquals("before\n", read("hal.log.old"));
        assertEquals("after\n", read("hal.log"));
        s.close();
    }

    /** A rotation that cannot be done starts the file over, so the size holds all the same; it is said. */
    @Test
    void aRotationThatFailsStartsTheFileOverAndSaysSo() throws Exception {
        List<String> said = new ArrayList<>();
        LogStream s = new LogStream(new LogFiles(tmp, new LogFiles.Rotation(10, 1), said::add).open("a", ""));
        // .1 cannot be replaced by a file while it is a directory that is not empty.
        Files.createDirectories(tmp.resolve("a.log.1/x"));
        write(s, "012345678\nabcdefghi\n");
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("cannot rotate " + tmp.resolve("a.log") + ": "), said.get(0));
        assertTrue(said.get(0).endsWith("; it starts over"), said.get(0));
        assertEquals("abcdefghi\n", read("a.log"));
        s.close();
    }

    /** Output that cannot be written is dropped and counted, once told; the count is told when writing works again. */
    @Test
    void outputThatCannotBeWrittenIsCountedAndToldOnce() throws Exception {
        List<String> said = new ArrayList<>();
        LogFiles logs = new LogFiles(tmp, new LogFiles.Rotation(1000, 1), said::add);
        LogStream s = new LogStream(logs.open("a", ""));
        write(s, "kept\n");
        // Something takes the file's name away for a while: it cannot be opened again until it is gone.
        Files.move(tmp.resolve("a.log"), tmp.resolve("a.log.old"));
        Files.createDirectory(tmp.resolve("a.log"));
        List<String> reopen = new ArrayList<>();
        logs.reopenAll(reopen::add);
        assertEquals(1, reopen.size(), reopen.toString());
        write(s, "lost 1\n");
        write(s, "lost 2\n");
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("cannot write " + tmp.resolve("a.log") + ": "), said.get(0));
        assertTrue(said.get(0).endsWith("; its output is dropped until it can be"), said.get(0));
        Files.delete(tmp.resolve("a.log"));
        write(s, "back\n");
        assertEquals(List.of(said.get(0), tmp.resolve("a.log") + ": 14 bytes of output lost while it could not be written"), said);
        assertEquals("back\n", read("a.log"));
        s.close();
    }
}
