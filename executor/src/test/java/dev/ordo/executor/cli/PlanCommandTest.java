package dev.ordo.executor.cli;


import static dev.ordo.executor.cli.CheckCommandTest.TOP;
import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ordo plan` and `ordo explain` as a user meets them. */
class PlanCommandTest {

    static final String SAMPLES = TOP.resolve("samples/yaml").toString();

    @Test
    void textShowsWavesCriticalPathNotStartedAndShutdown() {
        CheckCommandTest.Run r = ordo("plan", SAMPLES, "--shutdown");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("Boot (emit startup): 7 jobs, 3 waves, all up at 3.3s\n  wave 0\n"), out);
        assertTrue(out.contains("  critical path: dbus 0s→0.3s ─started→ hal 0.3s→1.3s ─started→ network-manager 1.3s→3.3s\n"),
                out);
        assertTrue(out.contains("\nNot started\n  getty          waits for `tty-added`, which nothing emits (plan with --emit tty-added)\n"),
                out);
        assertTrue(out.contains("\nShutdown (every job up at the end of the boot): 7 jobs, 3 waves, all stopped at 3s\n"), out);
    }

    @Test
    void goalsComeFromEmitStartAndFail() {
        CheckCommandTest.Run r = ordo("plan", SAMPLES, "--emit", "tty-added", "TTY=tty1", "--emit", "tty-added TTY=tty2");
        assertTrue(r.out().contains("getty (tty1)  tty-added TTY=tty1"), r.out());
        assertTrue(r.out().contains("getty (tty2)  tty-added TTY=tty2"), r.out());
        CheckCommandTest.Run f = ordo("plan", SAMPLES, "--fail", "hersql");
        assertTrue(f.out().contains("hersql-backup    stopping hersql"), f.out());
        CheckCommandTest.Run bad = ordo("plan", SAMPLES, "--fail", "hersq");
        assertEquals(2, bad.status());
        assertEquals("ordo: --fail hersq: no such job in this configuration; did you mean `hersql`?\n", bad.err());
    }

    @Test
    void failHowIsAnExitStatusOrASignalNeverSilentlyNothing() {
        CheckCommandTest.Run bogus = ordo("plan", SAMPLES, "--fail", "hersql=SIGBOGUS");
        assertEquals(2, bogus.status());
        assertEquals("ordo: --fail hersql=SIGBOGUS: not an exit status or a signal\n", bogus.err());
        CheckCommandTest.Run typo = ordo("plan", SAMPLES, "--fail", "hersql=SIGSEGF");
        assertEquals(2, typo.status());
        assertEquals("ordo: --fail hersql=SIGSEGF: not an exit status or a signal; did you mean `SEGV`?\n", typo.err());
        assertEquals(2, ordo("plan", SAMPLES, "--fail", "hersql=256").status());
        assertEquals(2, ordo("plan", SAMPLES, "--fail", "hersql=").status());
        // SIGSEGV and segv are the signal the job file names as EXIT_SIGNAL=SEGV: the backup task runs.
        for (String how : new String[] {"SEGV", "SIGSEGV", "segv"}) {
            CheckCommandTest.Run r = ordo("plan", SAMPLES, "--fail", "hersql=" + how);
            assertEquals(0, r.status(), how + ": " + r.err());
            assertTrue(r.out().contains("hersql-backup    stopping hersql"), how + ": " + r.out());
        }
        // A number is an exit status (EXIT_STATUS), never a signal: the backup task waits for a SEGV only.
        for (String how : new String[] {"3", "11"}) {
            String out = ordo("plan", SAMPLES, "--fail", "hersql=" + how).out();
            assertTrue(out.lines().anyMatch(l -> l.matches("  hersql-backup +waits for `stopping hersql .*")), how + ": " + out);
        }
    }

    @Test
    void jsonIsTheDocumentedFormatAndTheSameBytesWhateverTheOrderOfPaths() throws IOException {
        String a = TOP.resolve("samples/yaml/dbus-hal.yaml").toString();
        String b = TOP.resolve("samples/yaml/nfs.yaml").toString();
        CheckCommandTest.Run one = ordo("plan", "--format", "json", a, b);
        CheckCommandTest.Run two = ordo("plan", "--format", "json", b, a);
        assertEquals(one.out(), two.out());
        JsonNode root = new ObjectMapper().readTree(one.out());
        assertEquals("ordo.plan/1", root.get("format").asText());
        for (String key : new String[] {"goal", "boot", "shutdown", "not_started", "assumptions", "diagnostics"}) {
            assertTrue(root.has(key), key);
        }
        JsonNode nfs = null;
        for (JsonNode s : root.at("/boot/steps")) if (s.get("id").asText().equals("nfs-server")) nfs = s;
        assertEquals(0.5, nfs.get("start").asDouble());
        assertEquals("portmap", nfs.at("/waits_for/0/id").asText());
        assertEquals("starting", nfs.at("/waits_for/0/kind").asText());
    }

    @Test
    void picturesAndOutputFile(@TempDir Path dir) throws IOException {
        Path svg = dir.resolve("plan.svg");
        CheckCommandTest.Run r = ordo("plan", SAMPLES, "--format", "svg", "-o", svg.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals("", r.out());
        assertTrue(Files.readString(svg).startsWith("<?xml"));
        assertTrue(ordo("plan", SAMPLES, "--format", "dot").out().startsWith("digraph"));
        assertTrue(ordo("plan", SAMPLES, "--format", "mermaid").out().startsWith("gantt"));
    }

    @Test
    void theOutputFilesExtensionChoosesTheFormatWhenNoneIsGiven(@TempDir Path dir) throws IOException {
        for (String[] c : new String[][] {{"plan.svg", "<?xml"}, {"plan.json", "{"}, {"plan.dot", "digraph"},
            {"plan.gv", "digraph"}, {"plan.mmd", "gantt"}, {"plan.txt", "Boot"}, {"plan.out", "Boot"}}) {
            Path out = dir.resolve(c[0]);
            CheckCommandTest.Run r = ordo("plan", SAMPLES, "-o", out.toString());
            assertEquals(0, r.status(), r.err());
            assertTrue(Files.readString(out).startsWith(c[1]), c[0] + ": " + Files.readString(out));
        }
        // An explicit --format wins over the name.
        Path svgNamed = dir.resolve("really-dot.svg");
        assertEquals(0, ordo("plan", SAMPLES, "--format", "dot", "-o", svgNamed.toString()).status());
        assertTrue(Files.readString(svgNamed).startsWith("digraph"));
    }

    @Test
    void aDeadlockMakesThePlanFail(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("ordo.yaml");
        Files.writeString(f, "jobs:\n  c: {exec: x, start_on: started d}\n  d: {exec: x, after: [c]}\n");
        CheckCommandTest.Run r = ordo("plan", f.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith(f + ":3:24: error[ORD302]: deadlock c → d → c"), r.out());
    }

    @Test
    void learnedDurationsComeFromTheHistory(@TempDir Path dir) throws IOException {
        Path h = dir.resolve("history.jsonl");
        Files.writeString(h, "{\"job\":\"dbus\",\"seconds\":2}\n{\"job\":\"dbus\",\"seconds\":4}\n{\"job\":\"dbus\",\"seconds\":3}\n");
        String a = TOP.resolve("samples/yaml/dbus-hal.yaml").toString();
        CheckCommandTest.Run r = ordo("plan", a, "--learned", "--history", h.toString());
        assertTrue(r.out().contains("    0s → 3s  dbus             startup\n"), r.out());
        Files.writeString(h, "{\"job\":\"dbus\",\"seconds\":2}\nnot json\n");
        CheckCommandTest.Run bad = ordo("plan", a, "--learned", "--history", h.toString());
        assertEquals(2, bad.status());
        assertEquals("ordo: " + h + ": line 2 is not JSON\n", bad.err());
        CheckCommandTest.Run none = ordo("plan", a, "--learned", "--history", dir.resolve("nope").toString());
        assertEquals(2, none.status());
        assertTrue(none.err().startsWith("ordo: no history at "), none.err());
    }

    /** The supervisor rotates its history like its logs: the rotated files count too, and an error names its file. */
    @Test
    void learnedDurationsComeFromTheRotatedHistoryToo(@TempDir Path dir) throws IOException {
        Path h = dir.resolve("history.jsonl");
        Files.writeString(dir.resolve("history.jsonl.2"), "{\"job\":\"dbus\",\"seconds\":5}\n");
        Files.writeString(dir.resolve("history.jsonl.1"), "{\"job\":\"dbus\",\"seconds\":6}\n");
        Files.writeString(h, "{\"job\":\"dbus\",\"seconds\":1}\n");
        String a = TOP.resolve("samples/yaml/dbus-hal.yaml").toString();
        CheckCommandTest.Run r = ordo("plan", a, "--learned", "--history", h.toString());
        assertTrue(r.out().contains("    0s → 5s  dbus             startup\n"), r.out());
        Files.writeString(dir.resolve("history.jsonl.1"), "{\"job\":\"dbus\",\"seconds\":6}\n{\"job\":3}\n");
        CheckCommandTest.Run bad = ordo("plan", a, "--learned", "--history", h.toString());
        assertEquals(new CheckCommandTest.Run(2, "", "ordo: " + dir.resolve("history.jsonl.1")
                + ": line 2 is not a history record {\"job\":…,\"seconds\":…}\n"), bad);
    }

    @Test
    void explainTellsTheChainTheWaitsAndTheShutdown() {
        CheckCommandTest.Run r = ordo("explain", "network-manager", SAMPLES);
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.startsWith("network-manager starts at 1.3s, up at 3.3s (wave 2), on the critical path\n"), out);
        assertTrue(out.contains("  goal: emit startup\n  └─ dbus  on `startup`"), out);
        assertTrue(out.contains("     └─ hal  on `started dbus` (" + TOP.resolve("samples/yaml/dbus-hal.yaml") + ":14:15)"), out);
        assertTrue(out.contains("It waits for\n  hal  after ("), out);
        assertTrue(out.contains("Shutdown\n  asked to stop at 0s (stopping hal)"), out);
        CheckCommandTest.Run getty = ordo("explain", "getty", SAMPLES);
        assertEquals("getty does not start: waits for `tty-added`, which nothing emits (plan with --emit tty-added)\n",
                getty.out());
        CheckCommandTest.Run unknown = ordo("explain", "hall", SAMPLES);
        assertEquals(2, unknown.status());
        assertEquals("ordo: no job `hall` in this configuration; did you mean `hal`?\n", unknown.err());
    }

    @Test
    void explainSaysWhatIsLookedAtWhenAUnitStarts(@TempDir Path tmp) throws IOException {
        Path units = Files.createDirectories(tmp.resolve("units"));
        Files.writeString(units.resolve("default.target"), "[Unit]\nWants=a.service\n");
        Files.writeString(units.resolve("sysinit.target"), "[Unit]\nWants=early.service\n");
        Files.writeString(units.resolve("early.service"), "[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/bin/true\n");
        Files.writeString(units.resolve("a.service"), "[Unit]\nConditionPathExists=|/etc/a\nAssertUser=root\n"
                + "[Service]\nExecStart=/bin/true\n");
        CheckCommandTest.Run r = ordo("explain", "a.service", units.toString());
        assertEquals(0, r.status(), r.err());
        String where = tmp.resolve("units/a.service").toString();
        assertTrue(r.out().endsWith("\nWhen it starts\n"
                + "  ConditionPathExists=|/etc/a (" + where + ":2:1): tested then; the plan takes it to hold\n"
                + "  AssertUser=root (" + where + ":3:1): tested then; the plan takes it to hold\n"), r.out());
        CheckCommandTest.Run early = ordo("explain", "early.service", units.toString(), "--start", "sysinit.target");
        assertTrue(early.out().endsWith("\nWhen it starts\n  ordo run skips it unless ordo is PID 1 or is given --early-boot:"
                + " it is part of the early boot (sysinit.target)\n"), early.out());
    }

    /**
     * DESIGN: the offline commands reach only the planner, so they never load native code or the supervisor.
     * The engine is part of the planner (pure: the plan is to run it in a simulator), so it may load.
     */
    @Test
    void checkPlanAndExplainLoadNoNativeCodeInAJvmOfTheirOwn() throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String[] args : new String[][] {{"check", SAMPLES}, {"plan", SAMPLES, "--format", "json"},
            {"explain", "hal", SAMPLES}}) {
            java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "-verbose:class", "-cp",
                    System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(java.util.List.of(args));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), out);
            java.util.List<String> loaded = out.lines().filter(l -> l.contains("[class,load]")).toList();
            assertTrue(loaded.size() > 100, "-verbose:class worked: " + loaded.size());
            java.util.List<String> forbidden = loaded.stream().filter(l -> l.contains(" jnr.")
                    || l.contains("dev.ordo.executor.posix.") || l.contains("dev.ordo.executor.runtime.")).toList();
            assertEquals(java.util.List.of(), forbidden, String.join(" ", args));
        }
    }
}
