package dev.ordo.planner.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class PlanSvgTest {

    static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    }

    /** A step's row as drawn: its classes, the first line of its tooltip, and its bars. */
    record Row(String classes, String title, Element run, Element waitBar, String label) {
        String id() {
            String first = title.lines().findFirst().orElseThrow();
            return first.substring(0, first.lastIndexOf(" ("));
        }

        double x() {
            return Double.parseDouble(run.getAttribute("x"));
        }

        double width() {
            return Double.parseDouble(run.getAttribute("width"));
        }
    }

    /** The step rows of each panel, in drawing order. */
    static List<List<Row>> panels(Document d) {
        List<List<Row>> out = new ArrayList<>();
        NodeList gs = d.getElementsByTagName("g");
        for (int i = 0; i < gs.getLength(); i++) {
            Element g = (Element) gs.item(i);
            if (g.getAttribute("class").equals("panel")) {
                List<Row> rows = new ArrayList<>();
                for (Node n = g.getFirstChild(); n != null; n = n.getNextSibling()) {
                    if (n instanceof Element e && e.getAttribute("class").startsWith("step ")) rows.add(row(e));
                }
                out.add(rows);
            }
        }
        return out;
    }

    private static Row row(Element g) {
        String title = null;
        String label = null;
        Element run = null;
        Element wait = null;
        for (Node n = g.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element e)) continue;
            String cls = e.getAttribute("class");
            if (e.getTagName().equals("title")) title = e.getTextContent();
            else if (cls.startsWith("run ")) run = e;
            else if (cls.startsWith("wait ")) wait = e;
            else if (cls.startsWith("label")) label = e.getTextContent();
        }
        return new Row(g.getAttribute("class"), title, run, wait, label);
    }

    @Test
    void wellFormedSvgWithOneRowPerStepInStartOrder() throws Exception {
        Plan plan = SamplePlans.small();
        Document d = parse(PlanSvg.render(plan));
        assertEquals("svg", d.getDocumentElement().getLocalName());
        assertEquals("http://www.w3.org/2000/svg", d.getDocumentElement().getNamespaceURI());
        assertEquals("1.1", d.getDocumentElement().getAttribute("version"));
        assertEquals(0, d.getElementsByTagName("script").getLength());
        List<List<Row>> panels = panels(d);
        assertEquals(2, panels.size());
        assertEquals(List.of("mountall", "udev", "getty (tty1)", "dbus", "network-manager", SamplePlans.WEIRD),
                panels.get(0).stream().map(Row::id).toList());
        assertEquals(plan.shutdown().steps().size(), panels.get(1).size());
        for (Row r : panels.get(0)) assertTrue(r.run() != null, r.title());
    }

    @Test
    void barsSitAndStretchInProportionToStartAndUp() throws Exception {
        for (Plan plan : List.of(SamplePlans.small(), SamplePlans.large(200, 7))) {
            List<List<Row>> panels = panels(parse(PlanSvg.render(plan)));
            List<Schedule> schedules = List.of(plan.boot(), plan.shutdown());
            for (int p = 0; p < 2; p++) {
                List<Row> rows = panels.get(p);
                Schedule s = schedules.get(p);
                Step first = s.step(rows.get(0).id());
                Row last = rows.get(rows.size() - 1);
                double perSecond = (last.x() - rows.get(0).x()) / (s.step(last.id()).start() - first.start());
                double x0 = rows.get(0).x() - first.start() * perSecond;
                for (Row r : rows) {
                    Step st = s.step(r.id());
                    assertEquals(x0 + st.start() * perSecond, r.x(), 0.02, r.id());
                    assertEquals(Math.max(1.5, (st.up() - st.start()) * perSecond), r.width(), 0.02, r.id());
                    if (st.start() > st.trigger()) {
                        assertEquals(x0 + st.trigger() * perSecond, Double.parseDouble(r.waitBar().getAttribute("x")), 0.02);
                    } else {
                        assertEquals(null, r.waitBar(), r.id());
                    }
                }
            }
        }
    }

    @Test
    void criticalBarsAreMarkedAndJoined() throws Exception {
        Plan plan = SamplePlans.small();
        Document d = parse(PlanSvg.render(plan));
        List<List<Row>> panels = panels(d);
        List<String> critical = new ArrayList<>();
        for (Row r : panels.get(0)) {
            boolean marked = List.of(r.classes().split(" ")).contains("critical");
            assertEquals(marked, r.run().getAttribute("class").endsWith(" critical"), r.id());
            if (marked) critical.add(r.id());
        }
        assertEquals(List.of("mountall", "dbus", "network-manager"), critical);
        Row mountall = panels.get(0).get(0);
        assertEquals("step task critical", mountall.classes());
        assertTrue(Double.parseDouble(mountall.run().getAttribute("rx")) > 1.5, "a task's bar is rounded off");
        NodeList paths = d.getElementsByTagName("path");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < paths.getLength(); i++) lines.add(((Element) paths.item(i)).getAttribute("d"));
        assertEquals(2, lines.size());
        // boot: from mountall's end down to dbus's row, across to its start; then on to network-manager
        Row dbus = panels.get(0).get(3);
        double mountallEnd = mountall.x() + mountall.width();
        assertTrue(lines.get(0).startsWith("M" + PlanSvg.num(mountallEnd) + " "), lines.get(0));
        assertTrue(lines.get(0).contains(" H" + PlanSvg.num(dbus.x()) + " M"), lines.get(0));
    }

    @Test
    void tooltipsSayWhatEachStepWaitedFor() throws Exception {
        List<List<Row>> panels = panels(parse(PlanSvg.render(SamplePlans.small())));
        Row nm = panels.get(0).get(4);
        assertEquals("network-manager (service), on the critical path\n"
                + "start 2.5 s, up 4 s, wave 2\n"
                + "because requires dbus\n"
                + "waited for:\n"
                + "  dbus (after) at /etc/init/network-manager.conf:8:1\n"
                + "  dbus (requires) at /etc/init/network-manager.conf:7:1\n"
                + "  udev (wants) at /etc/init/network-manager.conf:9:1", nm.title());
    }

    @Test
    void textIsEscaped() throws Exception {
        String svg = PlanSvg.render(SamplePlans.small());
        assertTrue(svg.contains("x&lt;&amp;&quot;y&quot;&gt;:#(z);"), "escaped in the source");
        List<List<Row>> panels = panels(parse(svg));
        Row weird = panels.get(0).get(5);
        assertEquals(SamplePlans.WEIRD, weird.label());
        assertEquals(SamplePlans.WEIRD + " (service)", weird.title().lines().findFirst().orElseThrow());
        assertEquals("a\uFFFDb", PlanSvg.xml("a\u0001b"));
    }

    @Test
    void wavesAreAlternatingBandsFromWhereEachWaveBegins() throws Exception {
        Document d = parse(PlanSvg.render(SamplePlans.small()));
        List<List<Row>> panels = panels(d);
        NodeList rects = d.getElementsByTagName("rect");
        List<String> bands = new ArrayList<>();
        for (int i = 0; i < rects.getLength(); i++) {
            Element r = (Element) rects.item(i);
            Node parent = r.getParentNode();
            if (r.getAttribute("class").startsWith("band") && parent instanceof Element pe && pe.getAttribute("class").startsWith("band")) {
                bands.add(r.getAttribute("class") + " " + r.getAttribute("x"));
            }
        }
        // boot waves begin at 0 (mountall, udev), 0.5 (getty) and 2.5; shutdown at 0, 0.5, 0.7
        Row udev = panels.get(0).get(1);
        Row getty = panels.get(0).get(2);
        Row nm = panels.get(0).get(4);
        assertEquals(List.of("band even " + PlanSvg.num(udev.x()), "band odd " + PlanSvg.num(getty.x()),
                "band even " + PlanSvg.num(nm.x())), bands.subList(0, 3));
        assertEquals(6, bands.size());
    }

    @Test
    void anEmptyPlanStillMakesAPictureInEveryFormat() throws Exception {
        Plan empty = new Plan(new dev.ordo.planner.plan.Goal(List.of(), List.of(), List.of()), Schedule.EMPTY,
                Schedule.EMPTY, List.of(), List.of(), List.of());
        Document d = parse(PlanSvg.render(empty));
        assertEquals(List.of(List.of()), panels(d));
        assertTrue(d.getDocumentElement().getTextContent().contains("ordo plan for (no goal)"));
        assertEquals(0, new PlanDotTest.ReadBack(PlanDot.render(empty)).nodesOfClass("step").size());
        assertEquals(List.of(List.of()), PlanMermaidTest.sections(PlanMermaid.render(empty)));
    }

    @Test
    void sameBytesForTheSamePlan() throws IOException {
        String small = PlanSvg.render(SamplePlans.small());
        String large = PlanSvg.render(SamplePlans.large(200, 7));
        assertEquals(small, PlanSvg.render(SamplePlans.small()));
        assertEquals(large, PlanSvg.render(SamplePlans.large(200, 7)));
        Path dir = Path.of("target", "plan-pictures");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("small.svg"), small);
        Files.writeString(dir.resolve("large.svg"), large);
        Files.writeString(dir.resolve("five.svg"), PlanSvg.render(SamplePlans.large(5, 3)));
    }
}
