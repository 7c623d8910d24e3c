package dev.ordo.planner.config.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.systemd.DirectiveSupport.SupportEntry;
import dev.ordo.planner.corpus.SharedCorpus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docs/systemd.md's table of what ordo run does with each directive is {@link DirectiveSupport}, rendered:
 * the test fails when the page shows anything else. Run with {@code -Dordo.docs.update=true} to rewrite the
 * table after a change of the one in the code, then read the diff.
 */
class SystemdDocTest {

    private static final Path DOC = SharedCorpus.TOP.resolve("docs/systemd.md");
    static final String BEGIN = "<!-- generated from DirectiveSupport: SystemdDocTest keeps it exact, -Dordo.docs.update=true rewrites it -->\n";
    static final String END = "<!-- end of the generated table -->\n";

    @Test
    void theDirectiveTableIsTheOneInTheCode() throws IOException {
        String doc = Files.readString(DOC);
        int from = doc.indexOf(BEGIN);
        int to = doc.indexOf(END);
        assertTrue(from >= 0 && to > from, "docs/systemd.md has no generated table between\n" + BEGIN + END);
        String shown = doc.substring(from + BEGIN.length(), to);
        String table = table();
        if (Boolean.getBoolean("ordo.docs.update")) {
            Files.writeString(DOC, doc.substring(0, from + BEGIN.length()) + table + doc.substring(to));
            return;
        }
        assertEquals(table, shown, "docs/systemd.md shows another table than DirectiveSupport"
                + " (rerun with -Dordo.docs.update=true if the change is deliberate)");
    }

    /** One row per group of lines that say the same, in the table's order. */
    static String table() {
        Map<List<Object>, List<SupportEntry>> groups = new LinkedHashMap<>();
        for (SupportEntry e : DirectiveSupport.ENTRIES) {
            List<Object> same = new ArrayList<>();
            same.add(e.support());
            same.add(String.valueOf(e.asOrdo()));
            same.add(e.what());
            same.add(String.valueOf(e.hint()));
            groups.computeIfAbsent(same, k -> new ArrayList<>()).add(e);
        }
        StringBuilder b = new StringBuilder("| Directive | `ordo run` | What happens |\n|---|---|---|\n");
        for (List<SupportEntry> g : groups.values()) {
            SupportEntry first = g.get(0);
            List<String> names = new ArrayList<>();
            for (SupportEntry e : g) names.add(name(e.name()));
            if (first.name().startsWith(DirectiveSupport.EXEC_PREFIX) && !first.name().endsWith("$VAR")) {
                names = List.of("`Exec*=` prefix " + String.join(" ", names.stream().map(x -> x.substring("prefix ".length())).toList()));
            }
            String support = first.support().reported() ? "**" + first.support().label + "**" : first.support().label;
            String what = Character.toUpperCase(first.what().charAt(0)) + first.what().substring(1) + ".";
            if (first.hint() != null) what += " Hint: " + first.hint() + ".";
            if (first.asOrdo() != null) {
                List<String> values = List.of(first.asOrdo().split("\\|")).stream().map(v -> "`=" + v + "`").toList();
                what += " " + String.join(" and ", values) + (values.size() == 1 ? " is" : " are")
                        + " what ordo run does, and " + (values.size() == 1 ? "is" : "are") + " not reported.";
            }
            b.append("| ").append(String.join(" ", names)).append(" | ").append(support).append(" | ").append(what).append(" |\n");
        }
        return b.toString();
    }

    private static String name(String n) {
        if (n.equals(DirectiveSupport.EXEC_PREFIX + "$VAR")) return "`$VAR` in `Exec*=`";
        if (n.startsWith(DirectiveSupport.EXEC_PREFIX)) return "prefix `" + n.substring(DirectiveSupport.EXEC_PREFIX.length()) + "`";
        int dot = n.indexOf('.');
        return dot < 0 ? "`" + n + "=`" : "`" + n.substring(dot + 1) + "=` in [" + n.substring(0, dot) + "]";
    }
}
