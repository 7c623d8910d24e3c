package dev.ordo.planner.plan;

import dev.ordo.planner.rules.Matching;
import dev.ordo.planner.model.EventExpr;
import java.util.ArrayList;
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
    /**
     * The event each leaf holds, by the index of the leaf's first appearance in {@link #leaves} (a leaf
     * object is one leaf however often it appears); null until one does. One of these exists per job
     * and run, so it is an array rather than a map.
     */
    private Occurrence[] held;
    private int holding;

    ConditionTree(EventExpr expr) {
        this.expr = expr;
        this.leaves = expr.matches();
    }

    private String text;

    /** The condition as written ({@code started dbus and started hal}), made once. */
    String text() {
        if (text == null) text = expr.text();
        return text;
    }

    private int slot(EventExpr.Match m) {
        for (int i = 0; i < leaves.size(); i++) if (leaves.get(i) == m) return i;
        return -1;
    }

    private boolean isHeld(EventExpr.Match m) {
        if (holding == 0) return false;
        int i = slot(m);
        return i >= 0 && held[i] != null;
    }

    private Occurrence heldBy(EventExpr.Match m) {
        if (holding == 0) return null;
        int i = slot(m);
        return i < 0 ? null : held[i];
    }

    /** Offers an event to every false leaf it matches; true when at least one took it. */
    boolean offer(Occurrence e, Map<String, String> env) {
        boolean taken = false;
        for (EventExpr.Match m : leaves) {
            if (isHeld(m)) continue;
            if (Matching.matches(m, e, env)) {
                if (held == null) held = new Occurrence[leaves.size()];
                held[slot(m)] = e;
                holding++;
                taken = true;
            }
        }
        return taken;
    }

    boolean holds() {
        return value(expr);
    }

    private boolean value(EventExpr e) {
        if (e instanceof EventExpr.Match m) return isHeld(m);
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
            out.add(heldBy(m));
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
        for (EventExpr.Match m : leaves) if (isHeld(m)) out.add(heldBy(m));
        return out;
    }

    /** The leaves still waiting for their event. */
    List<EventExpr.Match> waiting() {
        List<EventExpr.Match> out = new ArrayList<>();
        for (EventExpr.Match m : leaves) if (!isHeld(m)) out.add(m);
        return out;
    }

    /** Where the leaf that holds {@code e} is written (the first such leaf), or the first leaf's place. */
    dev.ordo.planner.diag.Source leafOf(Occurrence e) {
        for (EventExpr.Match m : leaves) if (heldBy(m) == e) return m.source();
        return leaves.get(0).source();
    }

    /** The same condition with the same matches, to go on with separately (a plan's shutdown after its boot). */
    ConditionTree copy() {
        ConditionTree c = new ConditionTree(expr);
        c.text = text;
        if (holding > 0) {
            c.held = held.clone();
            c.holding = holding;
        }
        return c;
    }

    void reset() {
        if (holding > 0) {
            java.util.Arrays.fill(held, null);
            holding = 0;
        }
    }
}
