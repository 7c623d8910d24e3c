package dev.ordo.planner.engine;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.rules.Matching;
import java.util.List;
import java.util.Map;

/**
 * A live copy of an event expression: each leaf remembers whether it matched and holds the event it
 * matched until the tree is reset (U§3.3). The class {@code start_on} has one; every instance has
 * its own copy of {@code stop_on}.
 */
final class Operator {

    private final EventExpr.Match match;
    private final boolean all;
    private final Operator left;
    private final Operator right;
    private boolean value;
    private Event event;
    /** The leaf still keeps {@link #event} from finishing (see {@link #release}). */
    private boolean holds;

    private Operator(EventExpr.Match match, boolean all, Operator left, Operator right) {
        this.match = match;
        this.all = all;
        this.left = left;
        this.right = right;
    }

    static Operator of(EventExpr e) {
        if (e == null) return null;
        if (e instanceof EventExpr.Match m) return new Operator(m, false, null, null);
        if (e instanceof EventExpr.All a) return new Operator(null, true, of(a.left()), of(a.right()));
        EventExpr.Any o = (EventExpr.Any) e;
        return new Operator(null, false, of(o.left()), of(o.right()));
    }

    boolean value() {
        return value;
    }

    /**
     * Offers {@code e} to every leaf, post-order. A false leaf that matches turns true and holds the
     * event; a true leaf ignores further matches, so the first match is the one whose environment
     * counts.
     *
     * @param env what {@code $VAR} in values expands against
     * @return the value of the whole expression
     */
    boolean handle(Event e, Map<String, String> env) {
        if (match != null) {
            if (!value && Matching.matches(match, e, env)) {
                value = true;
                event = e;
                holds = true;
                e.blockers++;
            }
            return value;
        }
        boolean l = left.handle(e, env);
        boolean r = right.handle(e, env);
        value = all ? l && r : l || r;
        return value;
    }

    /** Some leaf holds an event. */
    boolean holding() {
        if (match != null) return holds;
        return left.holding() || right.holding();
    }

    /** Lets the held events finish; the leaves keep their match (and its variables). */
    void release() {
        if (match != null) {
            if (holds) event.blockers--;
            holds = false;
            return;
        }
        left.release();
        right.release();
    }

    /** Every leaf back to false, releasing the events they held. */
    void reset() {
        if (match != null) {
            if (event != null && holds) event.blockers--;
            event = null;
            holds = false;
            value = false;
            return;
        }
        left.reset();
        right.reset();
        value = false;
    }

    /**
     * Adds the variables of the events that made the expression true to {@code env} (a later event
     * replaces an earlier value but keeps its place) and their names to {@code names}, left to right.
     * Subtrees that are false do not count (U§3.5).
     */
    void collect(Map<String, String> env, StringBuilder names) {
        if (!value) return;
        if (match != null) {
            for (String kv : event.env) {
                int eq = kv.indexOf('=');
                if (eq < 0) env.put(kv, "");
                else env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            if (names.length() > 0) names.append(' ');
            names.append(event.name);
            return;
        }
        left.collect(env, names);
        right.collect(env, names);
    }

    /** The events that made the expression true; each gets one more blocker for the job that takes it. */
    void events(List<Event> out) {
        if (!value) return;
        if (match != null) {
            out.add(event);
            event.blockers++;
            return;
        }
        left.events(out);
        right.events(out);
    }
}
