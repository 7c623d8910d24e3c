package dev.ordo.planner.plan;

import dev.ordo.planner.rules.Matching;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Glob;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The events of one boot, found by what a leaf asks for: by name, and when the leaf's first argument
 * is a plain value (such as the job in {@code started dbus}), also by the event's first variable, so
 * that asking about one job's events does not go through every job's. {@link #candidates} returns a
 * superset of the events that can match the leaf ({@link Matching} decides), in no particular order.
 */
final class EventLog {

    private final Map<String, List<Occurrence>> byName = new HashMap<>();
    /** Name, NUL, value of the first variable. */
    private final Map<String, List<Occurrence>> byFirst = new HashMap<>();
    /** Events whose first variable matches any value (a failure "any way"), by name. */
    private final Map<String, List<Occurrence>> anyFirst = new HashMap<>();

    EventLog(List<Occurrence> occurrences) {
        for (Occurrence o : occurrences) {
            byName.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(o);
            if (o.env().isEmpty()) continue; // matches no leaf with a positional argument
            String[] first = o.env().get(0);
            if (o.anyway().contains(first[0])) {
                anyFirst.computeIfAbsent(o.name(), k -> new ArrayList<>()).add(o);
            } else {
                byFirst.computeIfAbsent(o.name() + '\u0000' + first[1], k -> new ArrayList<>()).add(o);
            }
        }
    }

    /** Every event named as the leaf's event. */
    List<Occurrence> named(String name) {
        return byName.getOrDefault(name, List.of());
    }

    /** The events that can match {@code leaf}: all that {@link Matching#matches} may accept, maybe more. */
    List<Occurrence> candidates(EventExpr.Match leaf) {
        List<EventArg> args = leaf.args();
        if (args.isEmpty() || !args.get(0).isPositional()) return named(leaf.event());
        String v = args.get(0).value();
        // $VAR expands differently per job, and a glob matches many values: those need the full list.
        if (v.indexOf('$') >= 0 || Glob.isPattern(v)) return named(leaf.event());
        // A plain value (no $, no glob character) matches exactly itself.
        List<Occurrence> exact = byFirst.getOrDefault(leaf.event() + '\u0000' + v, List.of());
        List<Occurrence> any = anyFirst.getOrDefault(leaf.event(), List.of());
        if (any.isEmpty()) return exact;
        List<Occurrence> out = new ArrayList<>(exact);
        out.addAll(any);
        return out;
    }
}
