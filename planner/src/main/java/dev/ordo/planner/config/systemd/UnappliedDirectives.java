package dev.ordo.planner.config.systemd;

import dev.ordo.planner.config.systemd.DirectiveSupport.SupportEntry;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The directives of one unit that {@code ordo run} does not apply ({@link DirectiveSupport}), reported
 * once each (ORD025) when the unit is read: a tree such as Debian's repeats the same sandboxing in many
 * units, and one line per directive and unit says all there is. The position is the first assignment
 * that still counts: an empty assignment resets the directive, and so does the value that asks for what
 * ordo run does anyway. A prefix of an Exec*= line is reported the same way, once per directive and prefix.
 */
final class UnappliedDirectives {

    /** What is reported: the assignment, its line of the table, and the Exec*= prefix (and where it is) or null. */
    private record Given(UnitFile.Assignment at, SupportEntry entry, Prefix prefix) {
    }

    /** A prefix of an Exec*= line and its offset in the value. */
    record Prefix(String text, int offset) {
    }

    private final Map<String, Given> given = new LinkedHashMap<>();

    /** Notes one assignment of the unit, in the order systemd reads them (the fragment, then its drop-ins). */
    void note(UnitFile.Assignment a) {
        SupportEntry e = DirectiveSupport.of(a.section, a.key);
        if (e == null) return; // X- keys are the user's; unknown keys never get here (ORD021)
        String id = a.section + "." + a.key;
        if (a.value.isEmpty() || DirectiveSupport.asOrdo(e, a.value)) {
            given.keySet().removeIf(k -> k.equals(id) || k.startsWith(id + "="));
            return;
        }
        if (e.support().reported()) {
            given.putIfAbsent(id, new Given(a, e, null));
        } else if (a.key.startsWith("Exec")) {
            for (Prefix p : prefixes(a.value)) {
                SupportEntry pe = DirectiveSupport.execPrefix(p.text());
                if (pe.support().reported()) given.putIfAbsent(id + "=" + p.text(), new Given(a, pe, p));
            }
        }
    }

    /** One ORD025 per directive (and Exec*= prefix) that still stands. */
    void report(Consumer<Diagnostic> report) {
        for (Given g : given.values()) {
            SupportEntry e = g.entry();
            String key = g.at().key + "=";
            // Order only or not at all: either way the directive's own effect is not had, and the text says
            // what is kept, so the message is the same for both.
            Diagnostic d = g.prefix() != null
                    ? Diagnostic.of(Code.UNIT_DIRECTIVE_NOT_APPLIED, g.at().at(g.prefix().offset()),
                            key + " prefix `" + g.prefix().text() + "` is not applied by ordo run: " + e.what(), e.hint())
                    : Diagnostic.of(Code.UNIT_DIRECTIVE_NOT_APPLIED, g.at().keySource,
                            key + " is not applied by ordo run: " + e.what(), e.hint());
            report.accept(d);
        }
    }

    /** The prefixes before the program of an Exec*= line (systemd 252: any of {@code -@:+!}, and {@code !!}), in order. */
    static List<Prefix> prefixes(String value) {
        List<Prefix> out = new ArrayList<>();
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '!' && i + 1 < value.length() && value.charAt(i + 1) == '!') {
                out.add(new Prefix("!!", i));
                i += 2;
            } else if ("-@:+!".indexOf(c) >= 0) {
                out.add(new Prefix(String.valueOf(c), i));
                i++;
            } else {
                break;
            }
        }
        return out;
    }
}
