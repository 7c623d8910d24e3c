package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/checks.md is the example test of every diagnostic code: each section's files are written to
 * a directory, `ordo check` runs on them, and the output must be exactly the one the page shows
 * (and contain the section's code). Run with {@code -Dordo.docs.update=true} to rewrite the outputs
 * after a deliberate change of wording, then read the diff.
 */
class ChecksDocTest {

    private static final Path DOC = CheckCommandTest.TOP.resolve("docs/checks.md");
    private static final Pattern SECTION = Pattern.compile("(?m)^## (ORD\\d{3}) (\\S+)$");
    private static final Pattern BLOCK = Pattern.compile("(?ms)^```(\\S+)(?: (\\S+))?\\n(.*?)^```$");

    @TempDir
    Path tmp;

    @Test
    void everyCodeIsDocumentedAndEveryExampleGivesTheOutputShown() throws IOException {
        String doc = Files.readString(DOC);
        Matcher m = SECTION.matcher(doc);
        List<int[]> bounds = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        while (m.find()) {
            bounds.add(new int[] {m.start(), m.end()});
            codes.add(m.group(1));
        }
        TreeSet<String> all = new TreeSet<>();
        for (Code c : Code.values()) {
            all.add(c.id());
            assertTrue(doc.contains("## " + c.id() + " " + c.slug() + "\n"), () -> c.id() + " " + c.slug() + " is not documented");
        }
        assertEquals(all, new TreeSet<>(codes), "documented codes and Code agree");

        StringBuilder updated = new StringBuilder();
        int last = 0;
        boolean update = Boolean.getBoolean("ordo.docs.update");
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < codes.size(); i++) {
            int end = i + 1 < codes.size() ? bounds.get(i + 1)[0] : doc.length();
            String section = doc.substring(bounds.get(i)[0], end);
            if (codes.get(i).equals("ORD001")) continue; // needs a broken link or permissions; see ConfigLoaderTest
            Path dir = Files.createDirectory(tmp.resolve(codes.get(i)));
            Map<String, String> files = new LinkedHashMap<>();
            Matcher b = BLOCK.matcher(section);
            int consoleStart = -1;
            int consoleEnd = -1;
            String args = null;
            while (b.find()) {
                if (b.group(1).equals("console")) {
                    String body = b.group(3);
                    String first = body.lines().findFirst().orElse("");
                    assertTrue(first.startsWith("$ ordo check "), first);
                    args = first.substring("$ ordo check ".length());
                    consoleStart = b.start(3) + first.length() + 1;
                    consoleEnd = b.end(3);
                } else if (b.group(2) != null) {
                    files.put(b.group(2), b.group(3));
                }
            }
            assertTrue(args != null && !files.isEmpty(), () -> codes.get(0) + " has no example");
            for (Map.Entry<String, String> f : files.entrySet()) Files.writeString(dir.resolve(f.getKey()), f.getValue());
            List<String> argv = new ArrayList<>(List.of("check"));
            for (String a : args.split(" ")) argv.add(dir.resolve(a).toString());
            String out = CheckCommandTest.ordo(argv.toArray(String[]::new)).out().replace(dir + "/", "");
            String code = codes.get(i);
            assertTrue(out.contains("[" + code + "]"), () -> code + "'s example does not give " + code + ":\n" + out);
            String shown = section.substring(consoleStart, consoleEnd);
            if (!shown.equals(out)) mismatches.add(code + ":\n--- shown\n" + shown + "--- actual\n" + out);
            int absStart = bounds.get(i)[0] + consoleStart;
            updated.append(doc, last, absStart).append(out);
            last = bounds.get(i)[0] + consoleEnd;
        }
        updated.append(doc.substring(last));
        if (update) {
            Files.writeString(DOC, updated.toString());
            return;
        }
        assertTrue(mismatches.isEmpty(), () -> "docs/checks.md shows other output than ordo gives"
                + " (rerun with -Dordo.docs.update=true if the change is deliberate):\n" + String.join("\n", mismatches));
    }
}
