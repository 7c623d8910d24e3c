package dev.ordo.executor.cli;

import static dev.ordo.executor.cli.CheckCommandTest.TOP;
import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.executor.cli.CheckCommandTest.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ordo diff OLD NEW` as a user meets it: exit codes 0/1/2, saved plans, goals, formats, determinism. */
class DiffCommandTest {

    static final String BASE = """
            jobs:
              a:
                exec: sleep infinity
                start_on: startup
                estimate: 1s
              b:
                exec: sleep infinity
                start_on: started a
                estimate: 1s
              c:
                exec: sleep infinity
                start_on: startup
                estimate: 500ms
              g:
                exec: sleep infinity
                start_on: tty-added
            """;

    @TempDir
    Path tmp;

    String dir(String name, String yaml) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        Files.writeString(d.resolve("ordo.yaml"), yaml);
        return d.toString();
    }

    @Test
    void theSameConfigurationIsEqual() throws IOException {
        String a = dir("a", BASE);
        Run r = ordo("diff", a, dir("b", BASE));
        assertEquals(0, r.status(), r.err());
        assertEquals("No differences: emit startup, 3 jobs, 2 waves, all up at 2s\n", r.out());
        assertEquals("", r.err());
    }

    @Test
    void aChangedConfigurationDiffersAndSaysHow() throws IOException {
        String a = dir("a", BASE);
        String b = dir("b", BASE.replace("    estimate: 500ms\n", "    estimate: 500ms\n    after: [b]\n")
                + "  d:\n    exec: sleep infinity\n    start_on: started c\n");
        Run r = ordo("diff", a, b);
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().startsWith("""
                Boot: 3 → 4 jobs, 2 → 4 waves, all up at 2s → 3.5s
                  + d  wave 3, 2.5s → 3.5s
                  ~ c  wave 0 → 2, start 0s → 2s, up 0.5s → 2.5s
                  critical path
                    - a → b
                    + a → b → c → d
                """), r.out());
        // The shutdown reverses only the new after (b waits for c); d on started c is not reversed.
        assertTrue(r.out().endsWith("\n1 added, 1 changed, 2 shutdown changes, boot 2s → 3.5s\n"), r.out());
        assertTrue(r.out().contains("\n  ~ b  wave 0 → 1, start 0s → 1s, stopped 1s → 2s\n"), r.out());
    }

    @Test
    void aSavedPlanEqualsTheConfigurationItCameFrom() throws IOException {
        Path saved = tmp.resolve("plan.json");
        String yaml = TOP.resolve("samples/yaml").toString();
        assertEquals(0, ordo("plan", yaml, "--format", "json", "-o", saved.toString()).status());
        Run r = ordo("diff", saved.toString(), yaml);
        assertEquals(0, r.status(), r.out() + r.err());
        assertEquals(0, ordo("diff", yaml, saved.toString()).status());
        assertEquals(0, ordo("diff", saved.toString(), saved.toString()).status());
    }

    @Test
    void aSavedPlansGoalIsTheGoalUnlessOptionsSayOtherwise() throws IOException {
        String a = dir("a", BASE);
        Path saved = tmp.resolve("tty.json");
        assertEquals(0, ordo("plan", a, "--emit", "tty-added", "TTY=tty1", "--format", "json", "-o", saved.toString())
                .status());
        assertEquals(0, ordo("diff", saved.toString(), a).status(), "without options the saved goal is used");
        Run other = ordo("diff", saved.toString(), a, "--emit", "startup");
        assertEquals(1, other.status());
        assertTrue(other.out().startsWith("Goal: emit tty-added TTY=tty1 → emit startup\n\n"), other.out());
    }

    @Test
    void systemdUnitsAndSavedPlansOfThemAreEqualToo() throws IOException {
        Path saved = tmp.resolve("units.json");
        String units = TOP.resolve("samples/systemd").toString();
        ordo("plan", units, "--format", "json", "-o", saved.toString());
        Run r = ordo("diff", saved.toString(), units);
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().contains("start seed.target"), r.out());
    }

    @Test
    void theDebianTreeEqualsItselfAndItsSavedPlan() throws IOException {
        String tree = CheckCommandTest.debian12();
        Path saved = tmp.resolve("debian.json");
        ordo("plan", tree, "--format", "json", "-o", saved.toString());
        Run r = ordo("diff", tree, saved.toString());
        assertEquals(0, r.status(), r.out());
        assertTrue(r.out().startsWith("No differences: emit startup, start graphical.target, "), r.out());
    }

    @Test
    void theOrderOfFilesInADirectoryChangesNothing() throws IOException {
        String one = "jobs:\n  a:\n    exec: x\n    start_on: startup\n  b:\n    exec: x\n    start_on: started a\n";
        String two = "jobs:\n  c:\n    exec: x\n    start_on: started b\n    after: [a]\n";
        Path p = Files.createDirectories(tmp.resolve("p"));
        Files.writeString(p.resolve("x.yaml"), one);
        Files.writeString(p.resolve("y.yaml"), two);
        Path q = Files.createDirectories(tmp.resolve("q"));
        Files.writeString(q.resolve("x.yaml"), two);
        Files.writeString(q.resolve("y.yaml"), one);
        Run r = ordo("diff", p.toString(), q.toString());
        assertEquals(0, r.status(), r.out());

        String changed = dir("changed", one.replace("started a", "started a and net-up") + two.substring("jobs:\n".length()));
        Run pq = ordo("diff", "--format", "json", p.toString(), changed);
        assertEquals(1, pq.status());
        assertEquals(pq.out(), ordo("diff", "--format", "json", q.toString(), changed).out());
        assertEquals(pq.out(), ordo("diff", "--format", "json", p.toString(), changed).out(), "same input, same bytes");
    }

    @Test
    void jsonOutput() throws IOException {
        String a = dir("a", BASE);
        String b = dir("b", BASE.replace("start_on: started a", "start_on: started a and net-up"));
        Run r = ordo("diff", "--format", "json", a, b);
        assertEquals(1, r.status());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("ordo.diff/1", root.get("format").asText());
        assertFalse(root.get("equal").asBoolean());
        assertEquals("b", root.at("/boot/removed/0/id").asText());
        assertEquals("b", root.at("/not_started/added/0/id").asText());
        assertEquals("waits for `net-up`, which nothing emits (plan with --emit net-up)",
                root.at("/not_started/added/0/why").asText());
        Run same = ordo("diff", "--format", "json", a, a);
        assertEquals(0, same.status());
        assertTrue(new ObjectMapper().readTree(same.out()).get("equal").asBoolean());
    }

    @Test
    void aJobOnlyTheNewSideHasCanBeStarted() throws IOException {
        String a = dir("a", BASE);
        String b = dir("b", BASE + "  manual:\n    exec: x\n");
        Run r = ordo("diff", a, b, "--start", "manual");
        assertEquals(1, r.status(), r.err());
        assertTrue(r.out().contains("\n  + manual  wave 0, 0s → 1s\n"), r.out());
    }

    // ---- usage errors: exit 2, one line, nothing on stdout ------------------------------------------

    @Test
    void aMissingPathIsAUsageError() throws IOException {
        Run r = ordo("diff", dir("a", BASE), "no/such/dir");
        assertEquals(2, r.status());
        assertEquals("ordo: cannot read 'no/such/dir': no such file or directory\n", r.err());
        assertEquals("", r.out());
    }

    @Test
    void aJsonFileThatIsNotAPlanIsAUsageError() throws IOException {
        Path check = tmp.resolve("check.json");
        Files.writeString(check, "{\"format\" : \"ordo.check/1\", \"diagnostics\": []}");
        Run r = ordo("diff", check.toString(), dir("a", BASE));
        assertEquals(2, r.status());
        assertEquals("ordo: " + check + ": not a saved plan: not an ordo.plan/1 document (its \"format\" is"
                + " \"ordo.check/1\")\n", r.err());
        assertEquals("", r.out());

        Path broken = tmp.resolve("broken.json");
        Files.writeString(broken, "{\"format\": \"ordo.plan/1\",");
        Run b = ordo("diff", dir("b", BASE), broken.toString());
        assertEquals(2, b.status());
        assertTrue(b.err().startsWith("ordo: " + broken + ": not a saved plan: not JSON: "), b.err());
        assertEquals(1, b.err().lines().count(), b.err());

        Path binary = tmp.resolve("binary.json");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        Run c = ordo("diff", binary.toString(), binary.toString());
        assertEquals(2, c.status());
        assertEquals("ordo: " + binary + ": not a saved plan: the file is not UTF-8 text\n", c.err());
    }

    @Test
    void goalOptionsWithTwoSavedPlansAreAUsageError() throws IOException {
        Path saved = tmp.resolve("plan.json");
        ordo("plan", dir("a", BASE), "--format", "json", "-o", saved.toString());
        Run r = ordo("diff", saved.toString(), saved.toString(), "--emit", "tty-added");
        assertEquals(2, r.status());
        assertEquals("ordo: OLD and NEW are both saved plans; --emit, --start, --fail and --learned apply only to"
                + " configurations\n", r.err());
    }

    @Test
    void aJobNeitherSideHasIsAUsageErrorWithAHint() throws IOException {
        Run r = ordo("diff", dir("a", BASE), dir("b", BASE), "--fail", "bb");
        assertEquals(2, r.status());
        assertEquals("ordo: --fail bb: no such job in this configuration; did you mean `b`?\n", r.err());
    }

    @Test
    void wrongArgumentsAreUsageErrors() throws IOException {
        assertEquals(2, ordo("diff", dir("a", BASE)).status());
        Run fmt = ordo("diff", "--format", "dot", dir("b", BASE), dir("c", BASE));
        assertEquals(2, fmt.status());
        assertTrue(fmt.err().startsWith("ordo: Invalid value for option '--format'"), fmt.err());
        Run learned = ordo("diff", "--learned", "--history", tmp.resolve("none.jsonl").toString(), dir("d", BASE),
                dir("e", BASE));
        assertEquals(2, learned.status());
        assertTrue(learned.err().startsWith("ordo: no history at "), learned.err());
        Run help = ordo("diff", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("OLD") && help.out().contains("ordo.diff/1"), help.out());
    }
}
