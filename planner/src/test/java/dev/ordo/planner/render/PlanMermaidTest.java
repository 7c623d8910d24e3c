package dev.ordo.planner.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class PlanMermaidTest {

    /** A task line: name, optional crit, id, start and end in milliseconds. */
    private static final Pattern TASK = Pattern.compile("    ([^#:;\\n%]*(?:#\\d+;[^#:;\\n%]*)*) :(crit, )?([bs]\\d+), (\\d+), (\\d+)");

    record Task(String name, boolean crit, String id, long start, long end) {
    }

    /** The tasks of each section, read back as Mermaid's gantt lexer would split them. */
    static List<List<Task>> sections(String text) {
        List<List<Task>> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("    section ")) {
                out.add(new ArrayList<>());
                continue;
            }
            Matcher m = TASK.matcher(line);
            if (m.matches()) {
                out.get(out.size() - 1).add(new Task(decode(m.group(1)), m.group(2) != null, m.group(3),
                        Long.parseLong(m.group(4)), Long.parseLong(m.group(5))));
            } else {
                assertTrue(line.equals("gantt") || line.matches("    (title|dateFormat|axisFormat|tickInterval|todayMarker) .*")
                        || line.startsWith("    %% "), "not a gantt line: " + line);
            }
        }
        return out;
    }

    /** What Mermaid shows for a coded name. */
    static String decode(String s) {
        Matcher m = Pattern.compile("#(\\d+);").matcher(s);
        StringBuilder b = new StringBuilder();
        while (m.find()) m.appendReplacement(b, Matcher.quoteReplacement(Character.toString(Integer.parseInt(m.group(1)))));
        m.appendTail(b);
        return b.toString();
    }

    @Test
    void oneTaskPerStepWithItsTimesInMilliseconds() {
        Plan plan = SamplePlans.small();
        List<List<Task>> sections = sections(PlanMermaid.render(plan));
        assertEquals(2, sections.size());
        for (int i = 0; i < 2; i++) {
            Schedule s = i == 0 ? plan.boot() : plan.shutdown();
            List<Task> tasks = sections.get(i);
            assertEquals(s.steps().size(), tasks.size());
            for (Task t : tasks) {
                String id = t.name().replace(" (task)", "");
                Step st = s.step(id);
                assertTrue(st != null, "no step " + id);
                assertEquals(Math.round(st.start() * 1000), t.start(), id);
                assertEquals(Math.round(st.up() * 1000), t.end(), id);
                assertEquals(st.task(), t.name().endsWith(" (task)"), id);
            }
        }
        assertEquals("mountall (task)", sections.get(0).get(0).name());
    }

    @Test
    void critMarksExactlyTheCriticalPath() {
        Plan plan = SamplePlans.small();
        List<List<Task>> sections = sections(PlanMermaid.render(plan));
        List<String> crit = new ArrayList<>();
        for (Task t : sections.get(0)) if (t.crit()) crit.add(t.name());
        assertEquals(List.of("mountall (task)", "dbus", "network-manager"), crit);
        crit.clear();
        for (Task t : sections.get(1)) if (t.crit()) crit.add(t.name());
        assertEquals(List.of("network-manager", "dbus", "udev"), crit);
    }

    @Test
    void awkwardNamesAreCodedAndComeBackWhole() {
        String text = PlanMermaid.render(SamplePlans.small());
        assertTrue(text.contains("    x#60;#38;#34;y#34;#62;#58;#35;(z)#59; :b5, 2500, 3000\n"), text);
        List<String> names = new ArrayList<>();
        for (Task t : sections(text).get(0)) names.add(t.name());
        assertTrue(names.contains(SamplePlans.WEIRD), names.toString());
        assertTrue(text.contains("    title ordo plan for startup, start x#60;"), text);
        assertTrue(text.contains("    %% not started: plymouth-splash (no-trigger): waits for `splash-ready`, which nothing emits\n"));
    }

    @Test
    void leadingKeywordsAreCoded() {
        assertEquals("#116;itle x", PlanMermaid.text("title x"));
        assertEquals("section-x", PlanMermaid.text("section-x")); // only "section" and a space is a keyword
        assertEquals("#103;anttd", PlanMermaid.text("ganttd"));
        assertEquals("#50;024-01-01-backup", PlanMermaid.text("2024-01-01-backup"));
        assertEquals("getty (tty1)", PlanMermaid.text("getty (tty1)"));
        assertEquals("#32;", PlanMermaid.text(""));
    }

    @Property(tries = 300)
    void anyNameStaysOneTaskThatDecodesBack(@ForAll @StringLength(min = 1, max = 30) String name) {
        String coded = PlanMermaid.text(name);
        // what the gantt lexer reads as task text: no #, :, ;, newline, or % (a comment)
        assertFalse(coded.replaceAll("#\\d+;", "").matches("(?s).*[#:;\\n%].*"), coded);
        assertEquals(name, decode(coded));
    }

    @Test
    void axisReadsInSeconds() {
        assertEquals(new PlanMermaid.Axis("%-S.%L s", "500millisecond"), PlanMermaid.axis(4));
        assertEquals(new PlanMermaid.Axis("%-S s", "5second"), PlanMermaid.axis(42));
        assertEquals(new PlanMermaid.Axis("%-M:%S", "1minute"), PlanMermaid.axis(400));
        String text = PlanMermaid.render(SamplePlans.small());
        assertTrue(text.startsWith("gantt\n    title "));
        assertTrue(text.contains("\n    dateFormat x\n    axisFormat %-S.%L s\n    tickInterval 500millisecond\n"), text);
    }

    @Test
    void sameBytesForTheSamePlan() throws IOException {
        String a = PlanMermaid.render(SamplePlans.large(200, 7));
        assertEquals(a, PlanMermaid.render(SamplePlans.large(200, 7)));
        assertEquals(200, sections(a).get(0).size());
        Path dir = Path.of("target", "plan-pictures");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("small.mmd"), PlanMermaid.render(SamplePlans.small()));
        Files.writeString(dir.resolve("large.mmd"), a);
    }
}
