package dev.ordo.planner.render;

import dev.ordo.planner.plan.Because;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.TransitiveReduction;
import org.jgrapht.alg.cycle.CycleDetector;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.graph.SimpleDirectedGraph;
import org.jgrapht.nio.Attribute;

/**
 * One schedule of a plan (the boot or the shutdown) as Graphviz nodes and edges for {@link PlanDot}:
 * a node per step; an edge per wait, from the step waited for to the step that waits; an edge from
 * the step whose event triggered a step ({@code started j0}, {@code stopped j2}), which is not a wait;
 * the critical path red; and each wave a rank of its own, so the picture reads left to right in the
 * order things happen. An ordering ({@code after}, {@code before}, {@code reverse}) that other
 * orderings already imply is not drawn (the transitive reduction of the orderings): in a real tree
 * most of them are, and drawing them all makes a picture nobody can read. The picture says how many.
 */
final class ScheduleGraph {

    final Graph<DotItem, DotItem> graph = new DirectedPseudograph<>(null, null, false);
    /** Lines for the cluster: a {@code rank=same} group per wave. */
    final List<String> ranks = new ArrayList<>();
    /** Orderings not drawn because others imply them. */
    int implied;

    private final String prefix;
    private final Map<String, DotItem> nodes = new LinkedHashMap<>();
    private final Set<String> critical = new HashSet<>();
    /** {@code from\0to\0kind} of the critical path's edges; kind empty where the path does not say. */
    private final Set<String> criticalEdges = new HashSet<>();

    private ScheduleGraph(String prefix) {
        this.prefix = prefix;
    }

    /** @param used gets every edge kind drawn, for the legend */
    static ScheduleGraph of(Schedule s, String prefix, Set<EdgeKind> used) {
        ScheduleGraph g = new ScheduleGraph(prefix);
        g.build(s, used);
        return g;
    }

    private void build(Schedule s, Set<EdgeKind> used) {
        List<Step> steps = new ArrayList<>(s.steps());
        steps.sort(StepOrder.BY_START);
        Schedule.PathStep prev = null;
        for (Schedule.PathStep p : s.criticalPath()) {
            critical.add(p.id());
            if (prev != null) criticalEdges.add(prev.id() + "\0" + p.id() + "\0" + (p.via() == null ? "" : p.via().label()));
            prev = p;
        }
        for (Step st : steps) {
            if (nodes.containsKey(st.id())) continue; // a duplicate id would be one node anyway
            DotItem n = stepNode(st, critical.contains(st.id()));
            nodes.put(st.id(), n);
            graph.addVertex(n);
        }
        Set<String> drawnOrderings = reducedOrderings(steps);
        Map<String, Step> byId = new HashMap<>();
        for (Step st : steps) byId.putIfAbsent(st.id(), st);
        for (Step st : steps) {
            List<Wait> waits = new ArrayList<>(st.waitsFor());
            waits.sort(Comparator.comparing(Wait::id).thenComparing(Wait::kind));
            Set<EdgeKind> waitedFor = new HashSet<>();
            for (Wait w : waits) {
                boolean onPath = onPath(w.id(), st.id(), w.kind());
                if (nodes.containsKey(w.id()) && EdgeLook.isOrdering(w.kind()) && !onPath
                        && !drawnOrderings.contains(w.id() + "\0" + st.id())) {
                    implied++;
                    continue;
                }
                if (w.id().equals(st.because() == null ? null : st.because().by())) waitedFor.add(w.kind());
                used.add(w.kind());
                graph.addEdge(node(w.id()), nodes.get(st.id()), edge(w.id(), st, w.kind(), w.source() == null ? null
                        : w.source().toString(), "wait", onPath));
            }
            // What triggered it: an event of another step, drawn unless a wait of that kind says so already.
            // (Nor where the causing step waited for this one on that event: the hold, already an edge.)
            Because b = st.because();
            if (b != null && b.by() != null && EdgeLook.isEvent(b.kind()) && nodes.containsKey(b.by())
                    && !b.by().equals(st.id()) && !waitedFor.contains(b.kind()) && !holds(byId.get(b.by()), st.id(), b.kind())) {
                used.add(b.kind());
                String what = b.condition() == null ? b.kind().label() + " " + b.by() : b.condition();
                graph.addEdge(nodes.get(b.by()), nodes.get(st.id()), edge(b.by(), st, b.kind(),
                        b.source() == null ? what : what + " at " + b.source(), "trigger", onPath(b.by(), st.id(), b.kind())));
            }
        }
        waveRanks(steps);
    }

    private static boolean holds(Step waiter, String id, EdgeKind kind) {
        if (waiter == null) return false;
        for (Wait w : waiter.waitsFor()) if (w.id().equals(id) && w.kind() == kind) return true;
        return false;
    }

    private boolean onPath(String from, String to, EdgeKind kind) {
        return criticalEdges.contains(from + "\0" + to + "\0" + kind.label()) || criticalEdges.contains(from + "\0" + to + "\0");
    }

    /**
     * The orderings to draw, {@code from\0to}: the transitive reduction of the graph of orderings
     * between the schedule's steps. Where they go round (a plan with an ordering cycle) every one is
     * drawn: the reduction of a graph with a circle is not unique, and the circle is the news.
     */
    private Set<String> reducedOrderings(List<Step> steps) {
        Graph<String, DefaultEdge> g = new SimpleDirectedGraph<>(DefaultEdge.class);
        for (Step st : steps) {
            for (Wait w : st.waitsFor()) {
                if (!EdgeLook.isOrdering(w.kind()) || !nodes.containsKey(w.id()) || w.id().equals(st.id())) continue;
                g.addVertex(w.id());
                g.addVertex(st.id());
                g.addEdge(w.id(), st.id());
            }
        }
        if (!new CycleDetector<>(g).detectCycles()) TransitiveReduction.INSTANCE.reduce(g);
        Set<String> out = new HashSet<>();
        for (DefaultEdge e : g.edgeSet()) out.add(g.getEdgeSource(e) + "\0" + g.getEdgeTarget(e));
        return out;
    }

    /**
     * A {@code rank=same} group per wave, waves in order, steps by id. (No invisible edges to chain
     * the waves: with {@code concentrate=true} Graphviz merges an invisible edge with a visible one
     * from the same node, and the visible one then starts nowhere. The edges put the waves in order.)
     */
    private void waveRanks(List<Step> steps) {
        TreeMap<Integer, TreeSet<String>> waves = new TreeMap<>();
        for (Step st : steps) waves.computeIfAbsent(st.wave(), k -> new TreeSet<>()).add(st.id());
        for (TreeSet<String> wave : waves.values()) {
            if (wave.size() < 2) continue;
            StringBuilder r = new StringBuilder("{ rank=same;");
            for (String id : wave) r.append(' ').append(PlanDot.quote(prefix + "/" + id)).append(';');
            ranks.add(r.append(" }").toString());
        }
    }

    /** The node of a step, or of something outside this schedule a wait names (still drawn: no edge goes missing). */
    private DotItem node(String id) {
        DotItem from = nodes.get(id);
        if (from != null) return from;
        from = new DotItem(PlanDot.quote(prefix + "/" + id), PlanDot.attrs(
                "label", id, "shape", "plaintext", "fontcolor", "#7f7f7f", "class", "unknown " + prefix));
        nodes.put(id, from);
        graph.addVertex(from);
        return from;
    }

    private DotItem stepNode(Step st, boolean onPath) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", PlanDot.html("<b>" + PlanDot.xml(st.id()) + "</b><br/><font point-size=\"8\">"
                + Seconds.text(st.start()) + " → " + Seconds.withUnit(st.up()) + (st.task() ? " (task)" : "") + "</font>"));
        a.putAll(PlanDot.attrs(
                "shape", "box",
                "style", st.task() ? "filled" : "rounded,filled",
                "fillcolor", onPath ? "#fde0dd" : st.task() ? "#e5f5e0" : "#deebf7",
                "color", onPath ? PlanDot.CRITICAL : "#4d4d4d",
                "penwidth", onPath ? "2.5" : "1",
                "tooltip", tooltip(st),
                "class", "step " + prefix + (st.task() ? " task" : " service") + (onPath ? " critical" : "")));
        // in a shutdown every step is a goal: marking them all would say nothing
        if (prefix.equals("boot") && st.because() != null && st.because().kind() == EdgeKind.GOAL) {
            a.put("peripheries", PlanDot.plain("2"));
        }
        return new DotItem(PlanDot.quote(prefix + "/" + st.id()), a);
    }

    private static String tooltip(Step st) {
        StringBuilder t = new StringBuilder();
        t.append(st.id()).append(st.task() ? " (task)" : " (service)").append(": triggered ")
                .append(Seconds.withUnit(st.trigger())).append(", start ").append(Seconds.withUnit(st.start()))
                .append(", up ").append(Seconds.withUnit(st.up())).append(", wave ").append(st.wave());
        if (st.because() != null) {
            t.append("; because ").append(st.because().kind().label());
            if (st.because().by() != null) t.append(' ').append(st.because().by());
            if (st.because().condition() != null) t.append(" (").append(st.because().condition()).append(')');
        }
        return t.toString();
    }

    /**
     * @param role {@code wait} (the step waited for it) or {@code trigger} (its event started the step)
     * @param where the source, or for a trigger the condition it met
     */
    private static DotItem edge(String from, Step to, EdgeKind kind, String where, String role, boolean onPath) {
        EdgeLook look = EdgeLook.of(kind);
        Map<String, Attribute> a = PlanDot.attrs(
                "color", onPath ? PlanDot.CRITICAL + ":" + look.color() : look.color(),
                "style", look.style(),
                "penwidth", onPath ? "3" : look.penwidth(),
                "arrowhead", look.arrowhead());
        if (look.labelled()) {
            a.put("label", PlanDot.plain(kind.label()));
            a.put("fontcolor", PlanDot.plain(look.color()));
        }
        String says = role.equals("wait") ? to.id() + " waits for " + from + " (" + kind.label() + ")"
                + (where == null ? "" : " at " + where) : to.id() + " triggered by " + where;
        a.put("tooltip", PlanDot.plain(says));
        a.put("class", PlanDot.plain(role + " " + kind.label() + (onPath ? " critical" : "")));
        return new DotItem(from + "->" + to.id(), a);
    }
}
