package dev.ordo.planner.rules;

import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Glob;
import java.util.Map;

/** Does one event match one leaf of a condition (U§3.2)? The plan and the engine both ask here. */
public final class Matching {

    private Matching() {
    }

    /**
     * Exact name; positional values against the event's variables by position; {@code KEY=}/{@code KEY!=}
     * by name, {@code !=} needing the variable; values are fnmatch globs after {@code $VAR} expansion
     * against {@code env}. An unknown variable makes the leaf match nothing (SEMANTICS §4: a check error,
     * never a silent match).
     */
    public static boolean matches(EventExpr.Match leaf, EventFacts e, Map<String, String> env) {
        if (!leaf.event().equals(e.name())) return false;
        int position = 0;
        for (EventArg a : leaf.args()) {
            String pattern;
            try {
                pattern = a.value().indexOf('$') < 0 ? a.value() : Expansion.expand(a.value(), env);
            } catch (Expansion.UnknownVariable u) {
                return false;
            }
            int at = position;
            if (a.isPositional()) position++;
            if (a.isPositional() ? e.anyValueAt(at) : e.anyValue(a.key())) continue;
            String actual = a.isPositional() ? e.valueAt(at) : e.value(a.key());
            if (actual == null) return false;
            if (Glob.matches(pattern, actual) == a.negated()) return false;
        }
        return true;
    }
}
