package dev.ordo.executor.cli;

import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The manual pages made from the command definitions: one per command, every option in it, groff-clean. */
class ManPagesTest {

    @TempDir
    Path dir;

    /** Every command at any depth, as picocli models it. */
    private static List<CommandSpec> commands() {
        List<CommandSpec> out = new ArrayList<>();
        walk(Main.commandLine(), out);
        return out;
    }

    private static void walk(CommandLine c, List<CommandSpec> out) {
        out.add(c.getCommandSpec());
        for (CommandLine sub : c.getSubcommands().values()) walk(sub, out);
    }

    private Map<String, String> written() throws IOException {
        CheckCommandTest.Run r = ordo("man", "--dir", dir.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, String> pages = new java.util.TreeMap<>();
        try (Stream<Path> files = Files.list(dir.resolve("man1"))) {
            for (Path p : files.toList()) pages.put(p.getFileName().toString(), Files.readString(p, StandardCharsets.UTF_8));
        }
        assertEquals(pages.size(), r.out().lines().count(), "each page written is listed:\n" + r.out());
        return pages;
    }

    @Test
    void everyCommandHasItsPage() throws IOException {
        TreeSet<String> expected = new TreeSet<>();
        for (CommandSpec c : commands()) expected.add(c.qualifiedName("-") + ".1");
        assertTrue(expected.containsAll(List.of("ordo.1", "ordo-plan.1", "ordo-run.1", "ordo-completion.1",
                "ordo-man.1", "ordo-bench-plan.1")), expected.toString());
        assertEquals(expected, new TreeSet<>(written().keySet()));
    }

    @Test
    void everyOptionAndArgumentOfACommandIsInItsPage() throws IOException {
        Map<String, String> pages = written();
        int options = 0;
        for (CommandSpec c : commands()) {
            String page = pages.get(c.qualifiedName("-") + ".1");
            String described = page.substring(page.indexOf(".SH SYNOPSIS"));
            for (OptionSpec o : c.options()) {
                if (o.hidden()) continue;
                for (String name : o.names()) {
                    String troff = "\\fB" + name.replace("-", "\\-") + "\\fR";
                    assertTrue(described.contains(troff), c.qualifiedName() + ": " + troff + " missing in\n" + page);
                    options++;
                }
            }
            for (PositionalParamSpec p : c.positionalParameters()) {
                if (!p.hidden()) assertTrue(page.contains("\\fI" + p.paramLabel() + "\\fR"), c.qualifiedName() + ": " + p.paramLabel());
            }
            for (String sub : c.subcommands().keySet()) {
                assertTrue(page.contains(".TP\n\\fB" + sub + "\\fR\n"), c.qualifiedName() + ": command " + sub);
            }
        }
        assertTrue(options > 100, "options seen: " + options);
    }

    @Test
    void aPageSaysNameSynopsisAndOptionsInTroffAndTheSameBytesEachTime() throws IOException {
        String page = ordo("man", "check").out();
        assertEquals(written().get("ordo-check.1"), page);
        assertEquals(page, ordo("man", "check").out());
        List<String> lines = page.lines().toList();
        assertEquals(".TH \"ORDO-CHECK\" \"1\" \"\" \"ordo " + Version.current() + "\" \"ordo manual\"", lines.get(1),
                "no date: the same bytes from the same commands");
        assertTrue(page.contains(".SH NAME\nordo-check \\- Check configurations without running anything"), page);
        assertTrue(page.contains(".SH SYNOPSIS\n.B ordo check\n[\\fB\\-\\-root\\fR=\\fIDIR\\fR]\n"), page);
        assertTrue(page.contains(".TP\n\\fB\\-\\-format\\fR=\\fIFORMAT\\fR\n"), page);
        assertTrue(page.contains(".SH SEE ALSO\n\\fB\\%ordo\\fR(1),\n"), page);
        String root = ordo("man").out();
        assertTrue(root.contains(".SH EXIT STATUS\n.nf\n  0  no errors\n"), root);
        assertTrue(root.contains(".TP\n\\fBplan\\fR\n"), root);
    }

    @Test
    void textIsEscapedForTroff() {
        assertEquals("\\&.hidden", ManPages.escape(".hidden"));
        assertEquals("\\&'quoted'", ManPages.escape("'quoted'"));
        assertEquals("a \\e b", ManPages.escape("a \\ b"));
        assertEquals("start \\[u2192] up", ManPages.escape("start → up"));
        assertEquals("with \\-\\-strict, a well-formed file", ManPages.prose("with --strict, a well-formed file"));
        assertEquals("\\-\\-no\\-wait", ManPages.option("--no-wait"));
    }

    @Test
    void wrongUseSaysSo() {
        CheckCommandTest.Run none = ordo("man", "nope");
        assertEquals(2, none.status());
        assertEquals("ordo: no command `nope`; `ordo --help` lists them\n", none.err());
        CheckCommandTest.Run both = ordo("man", "--dir", dir.toString(), "plan");
        assertEquals(2, both.status());
        assertEquals("ordo: man --dir writes every page; give no COMMAND with it\n", both.err());
    }

    /** groff with every warning on reads each page without a word, and renders it (skipped without groff). */
    @Test
    void groffRendersEveryPageWithoutAWarning() throws IOException, InterruptedException {
        Path groff = Path.of("/usr/bin/groff");
        assumeTrue(Files.isExecutable(groff), "groff is not installed");
        written();
        try (Stream<Path> files = Files.list(dir.resolve("man1"))) {
            for (Path p : files.sorted().toList()) {
                Process check = new ProcessBuilder(groff.toString(), "-man", "-Tutf8", "-ww", "-z", p.toString())
                        .redirectErrorStream(true).start();
                String said = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(check.waitFor(30, TimeUnit.SECONDS));
                assertEquals(0, check.exitValue(), said);
                assertEquals("", said, p.getFileName() + ": groff warned");
            }
        }
        Process render = new ProcessBuilder(groff.toString(), "-man", "-Tutf8", dir.resolve("man1/ordo-plan.1").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(render.getInputStream().readAllBytes(), StandardCharsets.UTF_8).replaceAll(".\b", "");
        assertTrue(render.waitFor(30, TimeUnit.SECONDS));
        assertTrue(text.contains("ordo-plan - Plan the boot for a goal"), text);
        assertTrue(text.contains("--format=FORMAT") || text.contains("\u2212\u2212format=FORMAT"), text);
    }
}
