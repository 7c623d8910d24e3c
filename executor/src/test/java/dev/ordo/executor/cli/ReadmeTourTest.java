package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The new user's walk through README.md: every offline command of its tour (`$ ./ordo check|plan|explain ...`
 * alone in a block, followed by its output) is run, and must give exactly the output shown and exit as a
 * script would expect: under a UTF-8 locale, and under LANG=C, where the arrows are ASCII and nothing else
 * changes. NO_COLOR needs nothing: output that is not a terminal has no colour.
 */
class ReadmeTourTest {

    static final Path TOP = CheckCommandTest.TOP;
    static final Pattern BLOCK = Pattern.compile("```\\n\\$ \\./ordo ((?:check|plan|explain) [^\\n]*)\\n(.*?)```", Pattern.DOTALL);

    record Shown(String args, String output) {
    }

    static List<Shown> tour() throws IOException {
        String readme = Files.readString(TOP.resolve("README.md"));
        List<Shown> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(readme);
        while (m.find()) {
            if (m.group(2).contains("\n$ ")) continue; // several commands in one block: the supervisor tests run those
            out.add(new Shown(m.group(1), m.group(2)));
        }
        return out;
    }

    /** Runs the README's command from the top of the clone, as the reader would. */
    static String[] argv(String args) {
        List<String> a = new ArrayList<>();
        for (String w : args.split(" +")) {
            if (w.startsWith("samples/") || w.startsWith("../shared/")) a.add(TOP.resolve(w).normalize().toString());
            else a.add(w);
        }
        return a.toArray(String[]::new);
    }

    static String run(String args, Map<String, String> env, int[] status) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter out = Glyphs.writer(bytes, env);
        status[0] = Main.execute(argv(args), out, new PrintWriter(new ByteArrayOutputStream(), true));
        out.flush();
        String top = TOP.toAbsolutePath().normalize() + "/";
        return bytes.toString(StandardCharsets.UTF_8).replace(top, "").replace(TOP.toAbsolutePath().normalize().getParent() + "/shared/", "../shared/");
    }

    /** The output shown, where a line of `...` stands for lines the README leaves out. */
    static void assertShown(String shown, String actual, String what) {
        int cut = shown.indexOf("\n  ...\n");
        if (cut < 0) cut = shown.indexOf("\n...\n");
        if (cut < 0) {
            assertEquals(shown, actual, what);
            return;
        }
        String head = shown.substring(0, cut + 1);
        String tail = shown.substring(shown.indexOf("...\n", cut) + 4);
        assertEquals(head, actual.substring(0, Math.min(actual.length(), head.length())), what);
        assertTrue(actual.endsWith(tail), what + ": ends with\n" + tail + "\nbut is\n" + actual);
    }

    @Test
    void everyOfflineTourCommandGivesTheOutputShownUnderEveryLocale() throws IOException {
        List<Shown> tour = tour();
        assertTrue(tour.size() >= 4, "the tour's commands were found: " + tour.size());
        int ran = 0;
        for (Shown s : tour) {
            if (s.args().contains("../shared/") && !Files.isDirectory(TOP.resolve("../shared/corpus"))) continue;
            int[] status = new int[1];
            String utf8 = run(s.args(), Map.of("LANG", "C.UTF-8"), status);
            assertShown(s.output(), utf8, "README shows other output for ./ordo " + s.args());
            int expected = s.output().contains(": error[") || s.output().contains("\"severity\" : \"error\"") ? 1 : 0;
            assertEquals(expected, status[0], "exit status of ./ordo " + s.args());
            String c = run(s.args(), Map.of("LANG", "C"), status);
            assertShown(Glyphs.ascii(s.output()), c, "LANG=C: ./ordo " + s.args());
            assertEquals(expected, status[0]);
            assertTrue(c.chars().allMatch(ch -> ch < 128), "LANG=C output is ASCII");
            ran++;
        }
        Assumptions.assumeTrue(ran > 0, "no tour command could run here");
    }
}
