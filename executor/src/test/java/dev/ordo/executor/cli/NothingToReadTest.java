package dev.ordo.executor.cli;

import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No false all-clear and no hang: paths that hold no configuration, and files that are not files. */
class NothingToReadTest {

    @Test
    void anEmptyDirectoryIsNothingToCheckNotNoProblems(@TempDir Path dir) {
        for (String command : new String[] {"check", "plan"}) {
            CheckCommandTest.Run r = ordo(command, dir.toString());
            assertEquals(2, r.status(), command + ": " + r.out() + r.err());
            assertEquals("", r.out());
            assertTrue(r.err().startsWith("ordo: no configuration in " + dir + ": ordo reads *.yaml"), r.err());
        }
    }

    @Test
    void aReadmeIsNotAConfigurationAndSaysSo(@TempDir Path dir) throws IOException {
        Path readme = Files.writeString(dir.resolve("README.md"), "# hello\n");
        CheckCommandTest.Run r = ordo("check", readme.toString());
        assertEquals(2, r.status());
        assertEquals("ordo: " + readme + ": not a configuration file ordo reads; ignored\n"
                + "ordo: no configuration in " + readme + ": ordo reads *.yaml and *.yml, Upstart *.conf and systemd"
                + " units (*.service, *.target, ...)\n", r.err());
    }

    @Test
    void aFifoNamedLikeAConfigurationIsRefusedNotWaitedOn(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("jobs.yaml");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Files.writeString(dir.resolve("ok.yaml"), "jobs:\n  a: {exec: sleep 1}\n");
        CheckCommandTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ordo("check", dir.toString()));
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("jobs.yaml: error[ORD001]: cannot read file: not a regular file (a FIFO, device or socket)"),
                r.out());
        CheckCommandTest.Run alone = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ordo("plan", fifo.toString()));
        assertEquals(1, alone.status(), alone.err());
        assertTrue(alone.out().contains("jobs.yaml: error[ORD001]: cannot read file: not a regular file"), alone.out());
    }

    @Test
    void aFileLargerThanAnyConfigurationIsRefusedBeforeItIsRead(@TempDir Path dir) throws IOException {
        Path huge = dir.resolve("huge.yaml");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(16L * 1024 * 1024 + 1); // sparse: no disk used
        }
        Files.writeString(dir.resolve("ok.yaml"), "jobs:\n  a: {exec: sleep 1}\n");
        CheckCommandTest.Run r = ordo("check", dir.toString());
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("huge.yaml: error[ORD001]: cannot read file: larger than 16 MiB: not read"), r.out());
    }

    @Test
    void bytesThatAreNotUtf8AreSaidWithTheirPlaceAndTheRestIsRead(@TempDir Path dir) throws IOException {
        // "café" in Latin-1: the file is read (the job is there), and the first bad byte is said (it was accepted
        // without a word).
        Path yaml = dir.resolve("latin1.yaml");
        Files.write(yaml, "jobs:\n  web:\n    description: caf\u00e9\n    exec: sleep 1\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CheckCommandTest.Run r = ordo("check", yaml.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("latin1.yaml:3:21: warning[ORD001]: not valid UTF-8 (byte 0xe9): read with U+FFFD in place"
                + " of what is not"), r.out());
        assertTrue(r.out().contains("checked 1 file, 1 job: 0 errors, 1 warning"), r.out());
        // The same in a unit file of a tree.
        Path units = Files.createDirectories(dir.resolve("units"));
        Files.write(units.resolve("web.service"), "[Unit]\nDescription=caf\u00e9\n[Service]\nExecStart=/bin/sleep 1\n"
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        CheckCommandTest.Run u = ordo("check", units.toString());
        assertTrue(u.out().contains("web.service:2:16: warning[ORD001]: not valid UTF-8 (byte 0xe9)"), u.out());
    }

    @Test
    void aLineLongerThanAnyConfigurationHasIsRefusedWithItsNumber(@TempDir Path dir) throws IOException {
        Path yaml = dir.resolve("long.yaml");
        Files.writeString(yaml, "jobs:\n  web:\n    description: " + "x".repeat(1 << 20) + "\n    exec: sleep 1\n");
        CheckCommandTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> ordo("check", yaml.toString()));
        assertEquals(1, r.status(), r.out());
        assertTrue(r.out().contains("long.yaml: error[ORD001]: cannot read file: line 3 is longer than 1 MiB: not read"), r.out());
    }
}
