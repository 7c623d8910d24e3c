package dev.ordo.planner.plan;

import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Glob;
import java.util.Map;

/** Does one event match one leaf of a condition (U§3.2)? */
final class Matching {

    private Matching() {
    }

    /**
     * Exact name; positional values against the event's variables by position; {@code KEY=}/{@code KEY!=}
     * by name, {@code !=} needing the variable; values are fnmatch globs after {@code $VAR} expansion
     * against {@code env}. An unknown variable makes the leaf match nothing.
     */
    static boolean matches(EventExpr.Match leaf, Occurrence e, Map<String, String> env) {
        if (!leaf.event().equals(e.name())) return false;
        int position = 0;
        for (EventArg a : leaf.args()) {
            String pattern;
            try {
                pattern = Expansion.expand(a.value(), env);
            } catch (Expansion.UnknownVariable u) {
                return false;
            }
            if (a.isPositional()) {
                if (position >= e.env().size()) return false;
                String[] kv = e.env().get(position++);
                if (e.anyway().contains(kv[0])) continue;
                if (!Glob.matches(pattern, kv[1])) return false;
            } else {
                if (e.anyway().contains(a.key())) continue;
                String v = e.value(a.key());
                if (v == null) return false;
                if (Glob.matches(pattern, v) == a.negated()) return false;
            }
        }
        return true;
    }
}
