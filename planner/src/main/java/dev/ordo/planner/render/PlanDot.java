package dev.ordo.planner.render;

import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
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
 * from the step waited for to the step that waits and one from the step whose event triggered a step
 * (so arrows point forward in time), styled by {@link EdgeLook}, with the critical path drawn thick
 * and red, each wave a rank ({@link ScheduleGraph}). Boot, shutdown, the jobs that do not start and a
 * legend are four clusters. The same plan gives the same bytes.
 *
 * <p>Node ids are {@code "boot/<step>"}, {@code "shutdown/<step>"}, {@code "not-started/<job>"} and
 * {@code "legend/..."}; every node and edge has a {@code class} attribute (Graphviz copies it into
 * SVG output) saying what it is: {@code step boot service critical}, {@code wait requires critical},
 * {@code trigger started}, ...
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
        // Edges that run side by side between the same ranks are merged: a real tree has many.
        out.append("  concentrate=true;\n");
        out.append("  newrank=true;\n");
        out.append("  nodesep=0.15;\n");
        out.append("  ranksep=0.3;\n");
        out.append("  fontname=").append(quote(FONT)).append(";\n");
        out.append("  labelloc=t;\n");
        out.append("  label=").append(quote(title(plan))).append(";\n");
        out.append("  node [fontname=").append(quote(FONT)).append(", fontsize=10];\n");
        out.append("  edge [fontname=").append(quote(FONT)).append(", fontsize=8, arrowsize=0.7];\n");
        Set<EdgeKind> used = EnumSet.noneOf(EdgeKind.class);
        ScheduleGraph boot = ScheduleGraph.of(plan.boot(), "boot", used);
        ScheduleGraph shutdown = plan.shutdown().steps().isEmpty() ? null : ScheduleGraph.of(plan.shutdown(), "shutdown", used);
        int implied = boot.implied + (shutdown == null ? 0 : shutdown.implied);
        // Graphviz stacks the clusters of a left-to-right graph from the bottom up, in the order they
        // are written: legend first puts the boot on top
        cluster(out, "cluster_legend", "Legend", legend(used, implied), List.of());
        if (!plan.notStarted().isEmpty()) {
            cluster(out, "cluster_not_started", "Not started", notStarted(plan.notStarted()), List.of());
        }
        if (shutdown != null) {
            cluster(out, "cluster_shutdown", "Shutdown: all stopped at " + Seconds.withUnit(plan.shutdown().finish()),
                    shutdown.graph, shutdown.ranks);
        }
        cluster(out, "cluster_boot", "Boot: up at " + Seconds.withUnit(plan.boot().finish()), boot.graph, boot.ranks);
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
     * A box per job that does not start, with its reason. They have no edges, so Graphviz would put
     * them all in one column, as tall as a real tree has such jobs (a hundred in Debian's): invisible
     * edges lay them out in columns of about equal height instead.
     */
    private static Graph<DotItem, DotItem> notStarted(List<NotStarted> ns) {
        Graph<DotItem, DotItem> g = graph();
        List<NotStarted> sorted = new ArrayList<>(ns);
        sorted.sort(Comparator.comparing(NotStarted::id).thenComparing(NotStarted::reason));
        Set<String> seen = new HashSet<>();
        List<DotItem> boxes = new ArrayList<>();
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
            DotItem box = new DotItem(quote("not-started/" + n.id()), a);
            g.addVertex(box);
            boxes.add(box);
        }
        int rows = Math.max(6, (int) Math.ceil(Math.sqrt(1.5 * boxes.size())));
        for (int i = rows; i < boxes.size(); i++) {
            DotItem from = boxes.get(i - rows);
            g.addEdge(from, boxes.get(i), new DotItem(from.id() + "->" + boxes.get(i).id(), attrs("style", "invis", "class", "grid")));
        }
        return g;
    }

    /**
     * One node, a table: a stroke in the colour and style of each edge kind the plan uses, the
     * critical path, and what the node shapes mean. Edges of its own would take more room than the plan.
     */
    private static Graph<DotItem, DotItem> legend(Set<EdgeKind> used, int implied) {
        Graph<DotItem, DotItem> g = graph();
        StringBuilder t = new StringBuilder("<table border=\"0\" cellborder=\"0\" cellspacing=\"0\" cellpadding=\"1\">");
        for (EdgeKind k : used) {
            EdgeLook look = EdgeLook.of(k);
            legendRow(t, look.color(), stroke(look.style()), k.label(), k.label());
        }
        legendRow(t, CRITICAL, stroke("bold"), "critical path", "critical");
        t.append("<tr><td align=\"left\" colspan=\"2\"><font point-size=\"8\">rounded: service · square: task<br/>"
                + "double border: goal · red: critical path<br/>dashed: an event (it triggered, or was held)</font></td></tr>");
        if (implied > 0) {
            t.append("<tr><td align=\"left\" colspan=\"2\"><font point-size=\"8\">").append(implied)
                    .append(implied == 1 ? " ordering" : " orderings")
                    .append(" implied by others not drawn</font></td></tr>");
        }
        t.append("</table>");
        Map<String, Attribute> a = new LinkedHashMap<>();
        a.put("label", html(t.toString()));
        a.putAll(attrs("shape", "plaintext", "class", "legend",
                "tooltip", "legend: " + String.join(", ", legendWords(used))));
        g.addVertex(new DotItem(quote("legend"), a));
        return g;
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

    /**
     * Exports one part with DOTExporter and writes it as a cluster of the whole graph.
     *
     * @param extra lines written inside the cluster after its nodes and edges ({@code rank=same} groups)
     */
    private static void cluster(StringBuilder out, String name, String label, Graph<DotItem, DotItem> part,
                                List<String> extra) {
        DOTExporter<DotItem, DotItem> exporter = new DOTExporter<>(DotItem::id);
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
        exporter.setVertexAttributeProvider(DotItem::attrs);
        exporter.setEdgeAttributeProvider(DotItem::attrs);
        StringWriter w = new StringWriter();
        exporter.exportGraph(part, w);
        // DOTExporter writes a whole graph; inside ours it is a subgraph, indented one more level
        String text = w.toString().replace("\r\n", "\n");
        String body = text.substring(text.indexOf('{'));
        if (!extra.isEmpty()) {
            int close = body.lastIndexOf('}');
            body = body.substring(0, close) + "  " + String.join("\n  ", extra) + "\n" + body.substring(close);
        }
        for (String line : ("subgraph " + name + " " + body).split("\n")) {
            out.append("  ").append(line.stripTrailing()).append('\n');
        }
    }

    private static Graph<DotItem, DotItem> graph() {
        return new DirectedPseudograph<>(null, null, false);
    }

    /** Name/value pairs; every value is plain text, escaped for DOT's quoted strings. */
    static Map<String, Attribute> attrs(String... kv) {
        Map<String, Attribute> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put(kv[i], plain(kv[i + 1]));
        return m;
    }

    /**
     * A quoted-string attribute. DOTExporter escapes only double quotes, and Graphviz reads
     * backslashes as escapes ({@code \N}, {@code \l}, ...), so backslashes are doubled here. Line
     * breaks are left to HTML labels: jgrapht's importer does not read {@code \n}.
     */
    static Attribute plain(String s) {
        return DefaultAttribute.createAttribute(s.replace("\\", "\\\\").replace("\n", " "));
    }

    /** A Graphviz HTML-like label; its text parts must come through {@link #xml}. */
    static Attribute html(String markup) {
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
