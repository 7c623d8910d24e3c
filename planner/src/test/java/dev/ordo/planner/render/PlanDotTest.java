package dev.ordo.planner.render;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.jgrapht.Graph;
import org.jgrapht.graph.DirectedPseudograph;
import org.jgrapht.nio.dot.DOTImporter;
import org.junit.jupiter.api.Test;

class PlanDotTest {

    /** An imported edge: equal only to itself, so parallel edges survive the import. */
    static final class Edge {
        final Map<String, String> attrs = new HashMap<>();
    }

    /** The DOT text read back with jgrapht's importer: nodes with their attributes, and edges. */
    static final class ReadBack {
        final Graph<String, Edge> graph = new DirectedPseudograph<>(null, null, false);
        final Map<String, Map<String, String>> nodes = new TreeMap<>();

        ReadBack(String dot) {
            DOTImporter<String, Edge> importer = new DOTImporter<>();
            importer.setVertexFactory(id -> id);
            importer.addVertexAttributeConsumer((p, a) ->
                    nodes.computeIfAbsent(p.getFirst(), k -> new HashMap<>()).put(p.getSecond(), a.getValue()));
            importer.setEdgeWithAttributesFactory(attrs -> {
                Edge e = new Edge();
                attrs.forEach((k, v) -> e.attrs.put(k, v.getValue()));
                return e;
            });
            importer.importGraph(graph, new StringReader(dot));
        }

        List<String> nodesOfClass(String word) {
            List<String> out = new ArrayList<>();
            nodes.forEach((id, a) -> {
                if (List.of(a.getOrDefault("class", "").split(" ")).contains(word)) out.add(id);
            });
            return out;
        }

        List<Edge> edgesOfClass(String word) {
            List<Edge> out = new ArrayList<>();
            for (Edge e : graph.edgeSet()) {
                if (List.of(e.attrs.getOrDefault("class", "").split(" ")).contains(word)) out.add(e);
            }
            return out;
        }
    }

    @Test
    void oneNodePerStepAndOneEdgePerWaitInBothSchedules() {
        Plan plan = SamplePlans.small();
        ReadBack g = new ReadBack(PlanDot.render(plan));
        List<String> boot = g.nodesOfClass("boot");
        List<String> shutdown = g.nodesOfClass("shutdown");
        assertEquals(plan.boot().steps().stream().map(s -> "boot/" + s.id()).sorted().toList(), boot);
        assertEquals(plan.shutdown().steps().stream().map(s -> "shutdown/" + s.id()).sorted().toList(), shutdown);
        assertEquals(List.of("not-started/plymouth-splash"), g.nodesOfClass("not-started"));
        int waits = 0;
        for (Step s : plan.boot().steps()) waits += s.waitsFor().size();
        for (Step s : plan.shutdown().steps()) waits += s.waitsFor().size();
        assertEquals(waits, g.edgesOfClass("wait").size());
        assertEquals(11, waits); // requires and after between the same two steps are two edges
    }

    @Test
    void everyWaitIsAnEdgeFromTheStepWaitedForWithItsKind() {
        Plan plan = SamplePlans.small();
        ReadBack g = new ReadBack(PlanDot.render(plan));
        List<String> expected = new ArrayList<>();
        for (Step s : plan.boot().steps()) {
            for (Wait w : s.waitsFor()) expected.add("boot/" + w.id() + " -> boot/" + s.id() + " " + w.kind().label());
        }
        for (Step s : plan.shutdown().steps()) {
            for (Wait w : s.waitsFor()) expected.add("shutdown/" + w.id() + " -> shutdown/" + s.id() + " " + w.kind().label());
        }
        List<String> actual = new ArrayList<>();
        for (Edge e : g.edgesOfClass("wait")) {
            actual.add(g.graph.getEdgeSource(e) + " -> " + g.graph.getEdgeTarget(e) + " " + e.attrs.get("class").split(" ")[1]);
        }
        expected.sort(null);
        actual.sort(null);
        assertEquals(expected, actual);
    }

    @Test
    void edgesAreStyledByKind() {
        ReadBack g = new ReadBack(PlanDot.render(SamplePlans.small()));
        Map<String, String> byKind = new TreeMap<>();
        for (Edge e : g.edgesOfClass("wait")) {
            // a critical edge is drawn twice side by side: red, and the colour of its kind
            String color = e.attrs.get("color").replace(PlanDot.CRITICAL + ":", "");
            byKind.put(e.attrs.get("class").split(" ")[1], color + " " + e.attrs.get("style"));
        }
        assertEquals("#000000 bold", byKind.get("requires"));
        assertEquals("#8c8c8c dashed", byKind.get("wants"));
        assertEquals("#2ca02c solid", byKind.get("after"));
        assertEquals("#1f77b4 solid", byKind.get("started"));
        assertEquals("#ff7f0e solid", byKind.get("held"));
        assertEquals("#9467bd dotted", byKind.get("reverse"));
    }

    @Test
    void requiresIsOnTheCriticalPathButTheParallelAfterIsNot() {
        ReadBack g = new ReadBack(PlanDot.render(SamplePlans.small()));
        List<String> critical = new ArrayList<>();
        for (Edge e : g.edgesOfClass("critical")) {
            if (e.attrs.get("class").contains("legend")) continue;
            critical.add(g.graph.getEdgeSource(e) + " -> " + g.graph.getEdgeTarget(e) + " " + e.attrs.get("class"));
            assertTrue(e.attrs.get("color").startsWith(PlanDot.CRITICAL + ":"), e.attrs.toString());
            assertEquals("3", e.attrs.get("penwidth"));
        }
        critical.sort(null);
        assertEquals(List.of(
                "boot/dbus -> boot/network-manager wait requires critical",
                "boot/mountall -> boot/dbus wait stopped critical",
                "shutdown/dbus -> shutdown/udev wait reverse critical",
                "shutdown/network-manager -> shutdown/dbus wait reverse critical"), critical);
        assertEquals(List.of("boot/dbus", "boot/mountall", "boot/network-manager",
                "shutdown/dbus", "shutdown/network-manager", "shutdown/udev"), g.nodesOfClass("critical"));
        assertEquals(PlanDot.CRITICAL, g.nodes.get("boot/dbus").get("color"));
        assertEquals("#4d4d4d", g.nodes.get("boot/udev").get("color"));
    }

    @Test
    void labelsCarryTimesAndAwkwardNamesSurviveTheRoundTrip() {
        ReadBack g = new ReadBack(PlanDot.render(SamplePlans.small()));
        assertEquals("<b>network-manager</b><br/><font point-size=\"8\">2.5 → 4 s</font>", g.nodes.get("boot/network-manager").get("label"));
        String weird = "boot/" + SamplePlans.WEIRD;
        assertTrue(g.nodes.containsKey(weird), g.nodes.keySet().toString());
        assertTrue(g.nodes.get(weird).get("class").contains("service"));
        assertEquals("2", g.nodes.get(weird).get("peripheries")); // a goal job
        assertTrue(g.nodes.get("boot/mountall").get("class").contains("task"));
    }

    @Test
    void legendShowsEachKindUsedAndTheCriticalPath() {
        ReadBack g = new ReadBack(PlanDot.render(SamplePlans.small()));
        Map<String, String> legend = g.nodes.get("legend");
        assertEquals("legend", legend.get("class"));
        assertEquals("legend: started, stopped, emits, wants, requires, after, held, reverse, critical path",
                legend.get("tooltip"));
        String label = legend.get("label");
        assertTrue(label.contains("<font color=\"#9467bd\">┈┈┈┈┈</font></td><td align=\"left\"><font point-size=\"9\">reverse<"),
                label);
        assertTrue(label.contains("<font color=\"#d62728\">━━━━━</font></td><td align=\"left\"><font point-size=\"9\">critical path<"),
                label);
        assertTrue(!label.contains(">before<") && !label.contains(">binds_to<"), "kinds the plan does not use stay out");
    }

    @Test
    void sameBytesForTheSamePlanWhateverOrderStepsCameIn() {
        Plan plan = SamplePlans.small();
        List<Step> reversed = new ArrayList<>(plan.boot().steps());
        java.util.Collections.reverse(reversed);
        Plan shuffled = new Plan(plan.goal(), new dev.ordo.planner.plan.Schedule(reversed, plan.boot().waves(),
                plan.boot().criticalPath(), plan.boot().finish()), plan.shutdown(), plan.notStarted(),
                plan.diagnostics(), plan.assumptions());
        String a = PlanDot.render(plan);
        assertEquals(a, PlanDot.render(SamplePlans.small()));
        assertEquals(a, PlanDot.render(shuffled));
        assertEquals(PlanDot.render(SamplePlans.large(200, 7)), PlanDot.render(SamplePlans.large(200, 7)));
    }

    @Test
    void graphvizAcceptsIt() throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dot")), "graphviz is not installed");
        Path dir = Path.of("target", "plan-pictures");
        Files.createDirectories(dir);
        for (var e : Map.of("small", SamplePlans.small(), "large", SamplePlans.large(60, 7)).entrySet()) {
            Path in = dir.resolve(e.getKey() + ".dot");
            Files.writeString(in, PlanDot.render(e.getValue()), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("/usr/bin/dot", "-Tsvg", "-o", dir.resolve(e.getKey() + ".dot.svg").toString(),
                    in.toString()).redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), said);
            assertEquals("", said.strip(), "graphviz warned");
        }
    }
}
