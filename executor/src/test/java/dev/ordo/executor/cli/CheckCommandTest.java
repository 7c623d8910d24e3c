package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The `ordo check` command as a user meets it: exit codes, output formats, determinism. */
class CheckCommandTest {

    static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));
    static final Path SHARED = Path.of(System.getProperty("ordo.shared", "../shared"));

    /** The Debian 12 tree of the shared corpus; skipped, with the reason, in a clone that has none beside it. */
    static String debian12() {
        Path p = SHARED.resolve("corpus/systemd/debian-12");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(p),
                () -> "skipped: " + p + " is not beside this clone (the shared corpus; CI lays it there)");
        return p.toString();
    }

    record Run(int status, String out, String err) {
    }

    static Run ordo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void versionAndHelp() {
        Run v = ordo("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("ordo 0."), v.out());
        Run h = ordo("check", "--help");
        assertEquals(0, h.status());
        assertTrue(h.out().contains("--strict"), h.out());
    }

    @Test
    void unreadablePathIsAUsageError() {
        Run r = ordo("check", "no/such/dir");
        assertEquals(2, r.status());
        assertEquals("ordo: cannot read 'no/such/dir': no such file or directory\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void unknownOptionIsAUsageErrorInOneLineAndAHint() {
        Run r = ordo("check", "--formt", "json");
        assertEquals(2, r.status());
        assertEquals("ordo: unknown option `--formt`; did you mean `--format`?\nTry 'ordo check --help' for more information.\n",
                r.err());
        Run far = ordo("check", "--zzzzzz");
        assertEquals("ordo: Unknown option: '--zzzzzz'\nTry 'ordo check --help' for more information.\n", far.err());
    }

    @Test
    void aMistypedCommandGetsADidYouMean() {
        Run r = ordo("plna", "samples/yaml");
        assertEquals(2, r.status());
        assertEquals("ordo: no command `plna`; did you mean `plan`?\nTry 'ordo --help' for more information.\n", r.err());
        assertEquals("ordo: no command `frobnicate`\nTry 'ordo --help' for more information.\n", ordo("frobnicate").err());
    }

    @Test
    void badFormatValueIsAUsageError() {
        Run r = ordo("check", "--format", "xml", TOP.resolve("samples/yaml").toString());
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ordo: Invalid value for option '--format'"), r.err());
        // One list of formats for every command, but a check is a report: no picture formats.
        Run dot = ordo("check", "--format", "dot", TOP.resolve("samples/yaml").toString());
        assertEquals(2, dot.status());
        assertTrue(dot.err().startsWith("ordo: Invalid value for option '--format'"), dot.err());
        assertTrue(dot.err().contains("expected text or json, not 'dot'"), dot.err());
        assertEquals(2, ordo("diff", "--format", "svg", TOP.resolve("samples/yaml").toString(),
                TOP.resolve("samples/yaml").toString()).status());
    }

    @Test
    void errorsExitOneAndWarningsOnlyWithStrict(@TempDir Path dir) throws IOException {
        Path ok = dir.resolve("ok.yaml");
        Files.writeString(ok, "jobs:\n  a:\n    exec: sleep 1\n    start_on: custom-event\n");
        Run warnOnly = ordo("check", ok.toString());
        assertEquals(0, warnOnly.status(), warnOnly.out());
        assertTrue(warnOnly.out().contains("warning[ORD103]"), warnOnly.out());
        assertEquals(1, ordo("check", "--strict", ok.toString()).status());

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "jobs:\n  a:\n    exec: sleep 1\n    after: [b]\n");
        Run r = ordo("check", bad.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith(bad + ":4:13: error[ORD101]: `after` names job `b`, which does not exist\n"
                + " 4 |     after: [b]\n"
                + "   |             ^\n"), r.out());
        assertTrue(r.out().endsWith("checked 1 file, 1 job: 1 error, 0 warnings\n"), r.out());
    }

    @Test
    void jsonFollowsTheDocumentedShape() throws IOException {
        Run r = ordo("check", "--format", "json", TOP.resolve("samples/broken").toString());
        assertEquals(1, r.status());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("ordo.check/1", root.get("format").asText());
        assertEquals(1, root.get("files").asInt());
        assertEquals(4, root.get("jobs").asInt());
        int errors = 0;
        for (JsonNode d : root.get("diagnostics")) {
            for (String f : new String[] {"severity", "code", "name", "message", "file", "line", "column", "hint"}) {
                assertTrue(d.has(f), () -> "missing " + f + " in " + d);
            }
            assertTrue(d.get("code").asText().matches("ORD\\d{3}"));
            assertTrue(d.get("line").asInt() >= 1);
            if (d.get("severity").asText().equals("error")) errors++;
        }
        assertEquals(errors, root.get("errors").asInt());
        assertEquals(root.get("diagnostics").size() - errors, root.get("warnings").asInt());
    }

    @Test
    void outputIsByteIdenticalWhateverTheOrderOfPaths() {
        String a = TOP.resolve("samples/yaml/dbus-hal.yaml").toString();
        String b = TOP.resolve("samples/yaml/nfs.yaml").toString();
        String c = TOP.resolve("samples/broken").toString();
        Run one = ordo("check", "--format", "json", a, b, c);
        Run two = ordo("check", "--format", "json", c, b, a);
        assertEquals(one.out(), two.out());
        assertEquals(ordo("check", a, b, c).out(), ordo("check", b, c, a).out());
    }

    @Test
    void theSamplesCheckWithoutErrors() {
        for (String s : new String[] {"samples/yaml", "samples/upstart", "samples/systemd"}) {
            Run r = ordo("check", TOP.resolve(s).toString());
            assertEquals(0, r.status(), () -> s + ":\n" + r.out());
            assertFalse(r.out().contains("error["), r.out());
        }
    }

    @Test
    void theWholeDebianTreeChecksWithoutErrors() {
        Run r = ordo("check", "--root", debian12());
        assertEquals(0, r.status(), r.out());
        // Its warnings are all ORD025, what ordo run does not apply: --strict fails on them, as on any warning.
        assertTrue(r.out().lines().filter(l -> l.contains(": warning[")).allMatch(l -> l.contains("warning[ORD025]")), r.out());
        assertTrue(r.out().matches("(?s).*: 0 errors, (\\d+) warnings\nORD025: \\1 directives that ordo run does not apply.*"),
                r.out());
        assertEquals(1, ordo("check", "--strict", "--root", debian12()).status());
    }
}
