package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An event expression as in Upstart's {@code start on}/{@code stop on}: matches of single events
 * combined with {@code and} ({@link All}) and {@code or} ({@link Any}). The two operators have equal
 * precedence and associate to the left; parentheses only shape the tree.
 */
public sealed interface EventExpr permits EventExpr.Match, EventExpr.All, EventExpr.Any {

    /** A match of one event by exact name, with positional and named arguments. */
    record Match(String event, List<EventArg> args, Source source) implements EventExpr {
        public Match {
            if (event == null || event.isEmpty()) throw new IllegalArgumentException("event");
            args = List.copyOf(args);
        }

        /** The job a job event ({@code started dbus}) names by its first positional argument, or null. */
        public String jobArgument() {
            if (!JobEvent.isJobEvent(event)) return null;
            if (!args.isEmpty() && args.get(0).isPositional()) return args.get(0).value();
            for (EventArg a : args) {
                if ("JOB".equals(a.key()) && !a.negated()) return a.value();
            }
            return null;
        }
    }

    /** Both sides must happen ({@code and}). */
    record All(EventExpr left, EventExpr right) implements EventExpr {
    }

    /** Either side ({@code or}). */
    record Any(EventExpr left, EventExpr right) implements EventExpr {
    }

    /**
     * The canonical text of this expression: left-associative chains are written without
     * parentheses, every other nesting with them, and values are quoted where they must be.
     */
    default String text() {
        StringBuilder b = new StringBuilder();
        EventExprText.write(this, b);
        return b.toString();
    }

    /** Every leaf, left to right. */
    default List<Match> matches() {
        List<Match> out = new ArrayList<>();
        forEachMatch(out::add);
        return out;
    }

    default void forEachMatch(Consumer<Match> action) {
        // Java 17: no pattern matching for switch yet.
        if (this instanceof Match m) {
            action.accept(m);
        } else if (this instanceof All a) {
            a.left().forEachMatch(action);
            a.right().forEachMatch(action);
        } else if (this instanceof Any a) {
            a.left().forEachMatch(action);
            a.right().forEachMatch(action);
        }
    }
}
