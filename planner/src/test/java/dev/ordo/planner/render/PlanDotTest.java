package dev.ordo.planner.render;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
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
        // Relations between jobs solid, events (what triggered or held a step) dashed, the reversed order dotted.
        assertEquals("#000000 bold", byKind.get("requires"));
        assertEquals("#8c8c8c dashed", byKind.get("wants"));
        assertEquals("#2ca02c solid", byKind.get("after"));
        assertEquals("#1f77b4 dashed", byKind.get("started"));
        assertEquals("#ff7f0e dashed", byKind.get("held"));
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
        for (var e : Map.of("small", SamplePlans.small(), "large", SamplePlans.large(60, 7)).entrySet()) {
            drawsWithoutAWord(e.getKey(), PlanDot.render(e.getValue()));
        }
    }

    /** {@code dot -Tsvg} on the text, into target/plan-pictures/NAME.dot.svg: it exits 0 and says nothing. */
    private static void drawsWithoutAWord(String name, String dot) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(Path.of("target", "plan-pictures"));
        Path in = dir.resolve(name + ".dot");
        Files.writeString(in, dot, StandardCharsets.UTF_8);
        Process p = new ProcessBuilder("/usr/bin/dot", "-Tsvg", "-o", dir.resolve(name + ".dot.svg").toString(),
                in.toString()).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), said);
        assertEquals("", said.strip(), "graphviz warned");
    }

    private static final Path GOLDEN = Path.of("src/test/resources/dot-golden");

    private static Plan plan(List<Path> paths, Path root) {
        return Planner.plan(ConfigLoader.load(paths, root), Planner.Request.defaults());
    }

    /**
     * The picture of the Upstart samples, byte for byte: started edges, waves as ranks, the critical
     * path through them. {@code ORDO_GOLDEN_WRITE=1} rewrites it after a deliberate change.
     */
    @Test
    void theUpstartSamplesPictureIsTheGoldenOne() throws IOException {
        // The sources in the tooltips are where this clone lies: the golden file has them relative to its top.
        String top = SharedCorpus.TOP.toAbsolutePath().normalize() + "/";
        String dot = PlanDot.render(plan(List.of(SharedCorpus.TOP.resolve("samples/upstart")), null)).replace(top, "");
        Path expected = GOLDEN.resolve("samples-upstart.dot");
        if (System.getenv("ORDO_GOLDEN_WRITE") != null) Files.writeString(expected, dot, StandardCharsets.UTF_8);
        assertEquals(Files.readString(expected, StandardCharsets.UTF_8), dot);
    }

    @Test
    void aStepAnEventTriggeredHasADashedEdgeLabelledWithTheEventOnTheCriticalPath() {
        ReadBack g = new ReadBack(PlanDot.render(plan(List.of(SharedCorpus.TOP.resolve("samples/upstart")), null)));
        List<String> triggers = new ArrayList<>();
        for (Edge e : g.edgesOfClass("trigger")) {
            triggers.add(g.graph.getEdgeSource(e) + " -> " + g.graph.getEdgeTarget(e) + " " + e.attrs.get("class")
                    + " " + e.attrs.get("style") + " " + e.attrs.get("label"));
        }
        triggers.sort(null);
        // hal on `started dbus`, network-manager on `started hal`; portmap on `starting nfs-server` is
        // drawn once, as the hold (nfs-server waits for it); in the shutdown hal and network-manager hold
        // dbus's stopping, portmap is asked by `stopped nfs-server`.
        assertEquals(List.of(
                "boot/dbus -> boot/hal trigger started critical dashed started",
                "boot/hal -> boot/network-manager trigger started critical dashed started",
                "shutdown/nfs-server -> shutdown/portmap trigger stopped dashed stopped"), triggers);
    }

    @Test
    void eachWaveIsARankInBootOrder() {
        Plan p = SamplePlans.small();
        String dot = PlanDot.render(p);
        String boot = dot.substring(dot.indexOf("subgraph cluster_boot"));
        assertTrue(boot.contains("{ rank=same; \"boot/mountall\"; \"boot/udev\"; }"), boot);
        assertTrue(boot.contains("{ rank=same; \"boot/dbus\"; \"boot/getty (tty1)\"; }"), boot);
        String shutdown = dot.substring(dot.indexOf("subgraph cluster_shutdown"), dot.indexOf("subgraph cluster_boot"));
        assertTrue(shutdown.contains("{ rank=same; \"shutdown/getty (tty1)\"; \"shutdown/network-manager\"; "), shutdown);
        assertTrue(dot.contains("  rankdir=LR;\n") && dot.contains("  concentrate=true;\n"), dot);
    }

    @Test
    void anOrderingOthersImplyIsLeftOutAndCounted() {
        Plan p = Planner.plan(PlanDotTest.yaml("""
                jobs:
                  a: {exec: /bin/a, after: [b, c]}
                  b: {exec: /bin/b, after: [c]}
                  c: {exec: /bin/c}
                """), Planner.Request.defaults());
        ReadBack g = new ReadBack(PlanDot.render(p));
        List<String> after = new ArrayList<>();
        for (Edge e : g.edgesOfClass("after")) after.add(g.graph.getEdgeSource(e) + " -> " + g.graph.getEdgeTarget(e));
        after.sort(null);
        assertEquals(List.of("boot/b -> boot/a", "boot/c -> boot/b"), after, "a after c is implied by a after b after c");
        List<String> reverse = new ArrayList<>();
        for (Edge e : g.edgesOfClass("reverse")) reverse.add(g.graph.getEdgeSource(e) + " -> " + g.graph.getEdgeTarget(e));
        reverse.sort(null);
        assertEquals(List.of("shutdown/a -> shutdown/b", "shutdown/b -> shutdown/c"), reverse);
        assertTrue(g.nodes.get("legend").get("label").contains("2 orderings implied by others not drawn"),
                g.nodes.get("legend").get("label"));
    }

    private static dev.ordo.planner.model.Config yaml(String text) {
        dev.ordo.planner.config.ReadResult r = dev.ordo.planner.config.yaml.YamlReader.read("t.yaml", text);
        return new dev.ordo.planner.model.Config(r.jobs(), List.of("t.yaml"), r.diagnostics());
    }

    /**
     * Debian 12's tree (a hundred units up, a hundred not started): Graphviz draws it without a
     * warning, and the orderings drawn are the transitive reduction: fewer by a quarter at least,
     * each one left out counted in the legend, none on the critical path left out.
     */
    @Test
    void theDebianTreeIsDrawnWithItsOrderingsReduced() throws IOException, InterruptedException {
        Path root = SharedCorpus.debian12();
        Plan plan = plan(List.of(), root);
        String dot = PlanDot.render(plan);
        ReadBack g = new ReadBack(dot);
        int waits = 0;
        for (Step s : plan.boot().steps()) {
            for (Wait w : s.waitsFor()) if (EdgeLook.isOrdering(w.kind())) waits++;
        }
        for (Step s : plan.shutdown().steps()) {
            for (Wait w : s.waitsFor()) if (EdgeLook.isOrdering(w.kind())) waits++;
        }
        int drawn = g.edgesOfClass("after").size() + g.edgesOfClass("before").size() + g.edgesOfClass("reverse").size();
        assertTrue(drawn <= waits * 3 / 4, drawn + " of " + waits + " orderings drawn");
        assertTrue(g.nodes.get("legend").get("label").contains((waits - drawn) + " orderings implied by others not drawn"));
        assertTrue(g.edgesOfClass("critical").size() >= plan.boot().criticalPath().size() - 1, "the critical path is whole");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dot")), "graphviz is not installed");
        drawsWithoutAWord("debian-12", dot);
    }
}
