package dev.ordo.planner.plan;

import dev.ordo.planner.model.EventExpr;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one start (or stop) condition as Upstart keeps it (U§3.3): each leaf is false until a
 * matching event arrives, then holds that event and ignores later ones (first match wins); when the
 * whole expression holds, the events of its true parts started the job and the tree is reset.
 */
final class ConditionTree {

    final EventExpr expr;
    final List<EventExpr.Match> leaves;
    private final Map<EventExpr.Match, Occurrence> held = new IdentityHashMap<>();

    ConditionTree(EventExpr expr) {
        this.expr = expr;
        this.leaves = expr.matches();
    }

    /** Offers an event to every false leaf it matches; true when at least one took it. */
    boolean offer(Occurrence e, Map<String, String> env) {
        boolean taken = false;
        for (EventExpr.Match m : leaves) {
            if (held.containsKey(m)) continue;
            if (Matching.matches(m, e, env)) {
                held.put(m, e);
                taken = true;
            }
        }
        return taken;
    }

    boolean holds() {
        return value(expr);
    }

    private boolean value(EventExpr e) {
        if (e instanceof EventExpr.Match m) return held.containsKey(m);
        if (e instanceof EventExpr.All a) return value(a.left()) && value(a.right());
        EventExpr.Any o = (EventExpr.Any) e;
        return value(o.left()) || value(o.right());
    }

    /** The events of the true parts, left to right (U§3.3: a true leaf under a false subtree does not count). */
    List<Occurrence> contributing() {
        List<Occurrence> out = new ArrayList<>();
        collect(expr, out);
        return out;
    }

    private void collect(EventExpr e, List<Occurrence> out) {
        if (!value(e)) return;
        if (e instanceof EventExpr.Match m) {
            out.add(held.get(m));
        } else if (e instanceof EventExpr.All a) {
            collect(a.left(), out);
            collect(a.right(), out);
        } else {
            EventExpr.Any o = (EventExpr.Any) e;
            collect(o.left(), out);
            collect(o.right(), out);
        }
    }

    /** Every event a leaf holds now (a partial match holds them until the rest arrives). */
    List<Occurrence> heldEvents() {
        List<Occurrence> out = new ArrayList<>();
        for (EventExpr.Match m : leaves) if (held.containsKey(m)) out.add(held.get(m));
        return out;
    }

    /** The leaves still waiting for their event. */
    List<EventExpr.Match> waiting() {
        List<EventExpr.Match> out = new ArrayList<>();
        for (EventExpr.Match m : leaves) if (!held.containsKey(m)) out.add(m);
        return out;
    }

    /** Where the leaf that holds {@code e} is written (the first such leaf), or the first leaf's place. */
    dev.ordo.planner.model.Source leafOf(Occurrence e) {
        for (EventExpr.Match m : leaves) if (held.get(m) == e) return m.source();
        return leaves.get(0).source();
    }

    void reset() {
        if (!held.isEmpty()) held.clear();
    }
}
