package dev.ordo.executor.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo bench boot} on a small unit tree: it waits for the job and the probe (which only the boot makes true),
 * and reports each figure against the seal and a bare JVM, which take less. Figures are printed, never asserted
 * against a clock: only their order, which holds whatever the machine's speed.
 */
class BenchBootTest {

    @BeforeEach
    void sealable() {
        Seal.assumeAvailable();
    }

    private static final Pattern ROW = Pattern.compile("(?m)^%s\\s+([\\d,]+) ms");

    private static long ms(String out, String row) {
        Matcher m = Pattern.compile(String.format(ROW.pattern(), Pattern.quote(row))).matcher(out);
        assertTrue(m.find(), "no row `" + row + "` in\n" + out);
        return Long.parseLong(m.group(1).replace(",", ""));
    }

    @Test
    void aSealedBootIsTimedToItsJobAndProbeAndItsShutdown() throws Exception {
        Path units = Files.createDirectories(Seal.base().resolve("bench-units"));
        // Up only after a second; the probe's file is made by the boot, in the seal's own /tmp.
        Files.writeString(units.resolve("slow.service"), "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
                + "ExecStart=/bin/sh -c 'sleep 1; touch /tmp/booted'\n");
        Files.writeString(units.resolve("default.target"), "[Unit]\nWants=slow.service\nAfter=slow.service\n");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            status = Main.execute(new String[] {"bench", "boot", "--runs", "1", "--until", "default.target", "--probe",
                    "test -e /tmp/booted", "--work", Seal.base().resolve("bench-boot").toString(), units.toString()}, o, e);
        }
        String text = out.toString();
        assertEquals(0, status, err + text);
        System.out.print(text);
        assertTrue(text.startsWith("ordo bench boot: ordo run " + units + " as PID 1 of a seal, until default.target is"
                + " start/running and `test -e /tmp/booted` succeeds; 1 runs\n"), text);
        long up = ms(text, "boot: to default.target start/running");
        long probe = ms(text, "boot: to the probe succeeding");
        assertTrue(up >= 1000 && probe >= 1000, "the boot waited for the job that takes a second: " + text);
        assertTrue(ms(text, "seal alone (unshare, mounts, /bin/true)") < up, text);
        assertTrue(ms(text, "ordo --version in the seal (a JVM's floor)") < up, text);
        ms(text, "shutdown: SIGTERM to PID 1's exit");
        assertTrue(Pattern.compile("(?m)^exit status; \\[FAILED\\] lines +0; 0$").matcher(text).find(), text);
        assertTrue(Files.notExists(Seal.base().resolve("bench-boot/boot-0")), "the work directory is removed");
    }

    @Test
    void aWorkDirectoryTheSealHidesIsRefusedWithTheReason() {
        StringWriter err = new StringWriter();
        int status;
        try (PrintWriter o = new PrintWriter(new StringWriter()); PrintWriter e = new PrintWriter(err)) {
            status = Main.execute(new String[] {"bench", "boot", "--work", "/tmp/x"}, o, e);
        }
        assertEquals(2, status);
        assertEquals("ordo: bench boot: /tmp/x lies under /tmp, which the seal hides; give --work DIR\n", err.toString());
    }
}
