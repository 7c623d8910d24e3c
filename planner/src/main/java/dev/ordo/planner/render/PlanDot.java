package dev.ordo.planner.render;

import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.Attribute;
import org.jgrapht.nio.AttributeType;
import org.jgrapht.nio.DefaultAttribute;
import org.jgrapht.nio.dot.DOTExporter;

/**
 * A plan as a Graphviz graph ({@code ordo plan --format dot}): one node per step, one edge per wait
 * from the step waited for to the step that waits (so arrows point forward in time), styled by
 * {@link EdgeKind}, with the critical path drawn thick and red. Boot, shutdown, the jobs that do not
 * start and a legend are four clusters. The same plan gives the same bytes.
 *
 * <p>Node ids are {@code "boot/<step>"}, {@code "shutdown/<step>"}, {@code "not-started/<job>"} and
 * {@code "legend/..."}; every node and edge has a {@code class} attribute (Graphviz copies it into
 * SVG output) saying what it is: {@code step boot service critical}, {@code wait requires critical}, ...
 */
public final class PlanDot {

    /** The colour that marks the critical path, everywhere in the picture. */
    static final String CRITICAL = "#d62728";

    private static final String FONT = "Helvetica";

    private PlanDot() {
    }

    /** The whole plan: boot, shutdown, not started, legend. */
    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("digraph ordo_plan {\n");
        out.append("  rankdir=LR;\n");
        out.append("  fontname=").append(quote(FONT)).append(";\n");
        out.append("  labelloc=t;\n");
        out.append("  label=").append(quote(title(plan))).append(";\n");
        out.append("  node [fontname=").append(quote(FONT)).append(", fontsize=10];\n");
        out.append("  edge [fontname=").append(quote(FONT)).append(", fontsize=8, arrowsize=0.7];\n");
        Set<EdgeKind> used = EnumSet.noneOf(EdgeKind.class);
        Part boot = schedule(plan.boot(), "boot", used);
        Part shutdown = plan.shutdown().steps().isEmpty() ? null : schedule(plan.shutdown(), "shutdown", used);
        // Graphviz stacks the clusters of a left-to-right graph from the bottom up, in the order they
        // are written: legend first puts the boot on top
        cluster(out, "cluster_legend", "Legend", legend(used));
        if (!plan.notStarted().isEmpty()) {
            cluster(out, "cluster_not_started", "Not started", notStarted(plan.notStarted()));
        }
        if (shutdown != null) {
            cluster(out, "cluster_shutdown", "Shutdown: all stopped at " + Seconds.withUnit(plan.shutdown().finish()),
                    shutdown);
        }
        cluster(out, "cluster_boot", "Boot: up at " + Seconds.withUnit(plan.boot().finish()), boot);
        out.append("}\n");
        return out.toString();
    }

    static String title(Plan plan) {
        Goal g = plan.goal();
        List<String> parts = new ArrayList<>();
        for (Goal.GoalEvent e : g.events()) parts.add(e.text());
        for (String j : g.jobs()) parts.add("start " + j);
        for (Goal.Failure f : g.fail()) parts.add("fail " + f.job() + (f.how() == null ? "" : " (" + f.how() + ")"));
        return "ordo plan for " + (parts.isEmpty() ? "(no goal)" : String.join(", ", parts));
    }

    /**
     * A node or an edge of the picture with its attributes, in the order they are written. Equal
     * only to itself, so two identical waits stay two edges.
     */
    static final class Item {
        private final String id;
        private final Map<String, Attribute> attrs;

        Item(String id, Map<String, Attribute> attrs) {
            this.id = id;
            this.attrs = attrs;
        }

        String id() {
            return id;
        }

        Map<String, Attribute> attrs() {
            return attrs;
        }
    }

    /** What DOTExporter needs, built once per cluster so its iteration order is ours. */
    private record Part(Graph<Item, Item> graph) {
    }

    private static Part schedule(Schedule s, String prefix, Set<EdgeKind> used) {
        Graph<Item, Item> g = graph();
        List<Step> steps = new ArrayList<>(s.steps());
        steps.sort(StepOrder.BY_START);
        Set<String> critical = new HashSet<>();
        Set<String> criticalEdges = new HashSet<>(); // "from\0to\0kind", kind "" for any
        Schedule.PathStep prev = null;
        for (Schedule.PathStep p : s.criticalPath()) {
            critical.add(p.id());
            if (prev != null) criticalEdges.add(prev.id() + "\0" + p.id() + "\0" + (p.via() == null ? "" : p.via().label()));
            prev = p;
        }
        Map<String, Item> nodes = new LinkedHashMap<>();
        for (Step st : steps) {
            if (nodes.containsKey(st.id())) continue; // a duplicate id would be one node anyway
            Item n = stepNode(prefix, st, critical.contains(st.id()));
            nodes.put(st.id(), n);
            g.addVertex(n);
        }
        for (Step st : steps) {
            List<Wait> waits = new ArrayList<>(st.waitsFor());
            waits.sort(Comparator.comparing(Wait::id).thenComparing(Wait::kind));
            for (Wait w : waits) {
                Item from = nodes.get(w.id());
                if (from == null) {
                    // a wait on something outside this schedule: still drawn, so no edge goes missing
                    from = new Item(quote(prefix + "/" + w.id()), attrs(
                            "label", w.id(), "shape", "plaintext", "fontcolor", "#7f7f7f", "class", "unknown " + prefix));
                    nodes.put(w.id(), from);
                    g.addVertex(from);
                }
                used.add(w.kind());
                boolean onPath = criticalEdges.contains(w.id() + "\0" + st.id() + "\0" + w.kind().label())
                        || criticalEdges.contains(w.id() + "\0" + st.id() + "\0");
                g.addEdge(from, nodes.get(st.id()), waitEdge(w, st, onPath));
            }
        }
        return new Part(g);
    }

    private static Item stepNode(String prefix, Step st, boolean critical) {
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", html("<b>" + xml(st.id()) + "</b><br/><font point-size=\"8\">" + Seconds.text(st.start())
                + " → " + Seconds.withUnit(st.up()) + (st.task() ? " (task)" : "") + "</font>"));
        a.putAll(attrs(
                "shape", "box",
                "style", st.task() ? "filled" : "rounded,filled",
                "fillcolor", critical ? "#fde0dd" : st.task() ? "#e5f5e0" : "#deebf7",
                "color", critical ? CRITICAL : "#4d4d4d",
                "penwidth", critical ? "2.5" : "1",
                "tooltip", tooltip(st),
                "class", "step " + prefix + (st.task() ? " task" : " service") + (critical ? " critical" : "")));
        // in a shutdown every step is a goal: marking them all would say nothing
        if (prefix.equals("boot") && st.because() != null && st.because().kind() == EdgeKind.GOAL) {
            a.put("peripheries", plain("2"));
        }
        return new Item(quote(prefix + "/" + st.id()), a);
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

    private static Item waitEdge(Wait w, Step waiter, boolean critical) {
        Look look = look(w.kind());
        Map<String, Attribute> a = attrs(
                "color", critical ? CRITICAL + ":" + look.color : look.color,
                "style", look.style,
                "penwidth", critical ? "3" : look.penwidth,
                "arrowhead", look.arrowhead);
        if (look.labelled) {
            a.put("label", plain(w.kind().label()));
            a.put("fontcolor", plain(look.color));
        }
        a.put("tooltip", plain(waiter.id() + " waits for " + w.id() + " (" + w.kind().label() + ")"
                + (w.source() == null ? "" : " at " + w.source())));
        a.put("class", plain("wait " + w.kind().label() + (critical ? " critical" : "")));
        return new Item(w.id() + "->" + waiter.id(), a);
    }

    /** How an edge kind is drawn; {@code labelled} when its colour is shared with kinds it must be told from. */
    record Look(String color, String style, String penwidth, String arrowhead, boolean labelled) {
    }

    static Look look(EdgeKind k) {
        switch (k) {
            case REQUIRES: return new Look("#000000", "bold", "2", "normal", false);
            case BINDS_TO: return new Look("#000000", "bold", "2", "diamond", true);
            case REQUISITE: return new Look("#000000", "bold", "2", "tee", true);
            case WANTS: return new Look("#8c8c8c", "dashed", "1", "normal", false);
            case AFTER: return new Look("#2ca02c", "solid", "1", "normal", false);
            case BEFORE: return new Look("#2ca02c", "solid", "1", "empty", false);
            case STARTING: case STARTED: case STOPPING: case STOPPED:
                return new Look("#1f77b4", "solid", "1.2", "normal", true);
            case EVENT: case EMITS: return new Look("#17becf", "solid", "1.2", "normal", true);
            case HELD: return new Look("#ff7f0e", "solid", "1.5", "normal", false);
            case REVERSE: return new Look("#9467bd", "dotted", "1.5", "normal", false);
            case GOAL: return new Look("#8c564b", "bold", "2", "normal", false);
            default: return new Look("#000000", "solid", "1", "normal", false);
        }
    }

    private static Part notStarted(List<NotStarted> ns) {
        Graph<Item, Item> g = graph();
        List<NotStarted> sorted = new ArrayList<>(ns);
        sorted.sort(Comparator.comparing(NotStarted::id).thenComparing(NotStarted::reason));
        Set<String> seen = new HashSet<>();
        for (NotStarted n : sorted) {
            if (!seen.add(n.id())) continue;
            Map<String, Attribute> a = new LinkedHashMap<>();
            a.put("label", html(xml(n.id()) + "<br/><font point-size=\"8\">" + xml(n.reason()) + "</font>"));
            a.putAll(attrs(
                    "shape", "box",
                    "style", "dashed",
                    "color", "#969696",
                    "fontcolor", "#636363",
                    "tooltip", n.id() + ": " + n.why(),
                    "class", "not-started"));
            g.addVertex(new Item(quote("not-started/" + n.id()), a));
        }
        return new Part(g);
    }

    /**
     * One node, a table: a stroke in the colour and style of each edge kind the plan uses, the
     * critical path, and what the node shapes mean. Edges of its own would take more room than the plan.
     */
    private static Part legend(Set<EdgeKind> used) {
        Graph<Item, Item> g = graph();
        StringBuilder t = new StringBuilder("<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">");
        for (EdgeKind k : used) {
            Look look = look(k);
            legendRow(t, look.color, stroke(look.style), k.label(), k.label());
        }
        legendRow(t, CRITICAL, stroke("bold"), "critical path", "critical");
        t.append("<tr><td align=\"left\" colspan=\"2\"><font point-size=\"8\">rounded: service · square: task<br/>"
                + "double border: goal · red: critical path</font></td></tr>");
        t.append("</table>");
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", html(t.toString()));
        a.putAll(attrs("shape", "plaintext", "class", "legend",
                "tooltip", "legend: " + String.join(", ", legendWords(used))));
        g.addVertex(new Item(quote("legend"), a));
        return new Part(g);
    }

    private static List<String> legendWords(Set<EdgeKind> used) {
        List<String> words = new ArrayList<>();
        for (EdgeKind k : used) words.add(k.label());
        words.add("critical path");
        return words;
    }

    private static void legendRow(StringBuilder t, String color, String stroke, String name, String word) {
        t.append("<tr><td align=\"left\"><font color=\"").append(color).append("\">").append(stroke)
                .append("</font></td><td align=\"left\"><font point-size=\"9\">").append(xml(name))
                .append("</font></td></tr>");
    }

    /** A line drawn in text, as near to Graphviz's edge style as characters get. */
    private static String stroke(String style) {
        switch (style) {
            case "bold": return "━━━━━";
            case "dashed": return "╍╍╍╍╍";
            case "dotted": return "┈┈┈┈┈";
            default: return "─────";
        }
    }

    /** Exports one part with DOTExporter and writes it as a cluster of the whole graph. */
    private static void cluster(StringBuilder out, String name, String label, Part part) {
        DOTExporter<Item, Item> exporter = new DOTExporter<>(Item::id);
        exporter.setGraphIdProvider(() -> name);
        Supplier<Map<String, Attribute>> graphAttrs = () -> {
            Map<String, Attribute> m = new LinkedHashMap<>();
            // DOTExporter writes graph attribute values as they are, so they come quoted
            m.put("label", DefaultAttribute.createAttribute(quote(label)));
            m.put("style", DefaultAttribute.createAttribute(quote("rounded")));
            m.put("color", DefaultAttribute.createAttribute(quote("#bdbdbd")));
            return m;
        };
        exporter.setGraphAttributeProvider(graphAttrs);
        exporter.setVertexAttributeProvider(Item::attrs);
        exporter.setEdgeAttributeProvider(Item::attrs);
        StringWriter w = new StringWriter();
        exporter.exportGraph(part.graph(), w);
        // DOTExporter writes a whole graph; inside ours it is a subgraph, indented one more level
        String text = w.toString().replace("\r\n", "\n");
        String body = text.substring(text.indexOf('{'));
        for (String line : ("subgraph " + name + " " + body).split("\n")) {
            out.append("  ").append(line.stripTrailing()).append('\n');
        }
    }

    private static Graph<Item, Item> graph() {
        return new DirectedPseudograph<>(null, null, false);
    }

    /** Name/value pairs; every value is plain text, escaped for DOT's quoted strings. */
    private static Map<String, Attribute> attrs(String... kv) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], plain(kv[i + 1]));
        return m;
    }

    /**
     * A quoted-string attribute. DOTExporter escapes only double quotes, and Graphviz reads
     * backslashes as escapes ({@code \N}, {@code \l}, ...), so backslashes are doubled here. Line
     * breaks are left to HTML labels: jgrapht's importer does not read {@code \n}.
     */
    private static Attribute plain(String s) {
        return DefaultAttribute.createAttribute(s.replace("\\", "\\\\").replace("\n", " "));
    }

    /** A Graphviz HTML-like label; its text parts must come through {@link #xml}. */
    private static Attribute html(String markup) {
        return new DefaultAttribute<>(markup, AttributeType.HTML);
    }

    static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A DOT quoted id or value, for the parts written without DOTExporter's quoting. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
