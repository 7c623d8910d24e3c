package dev.ordo.planner.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.PlanDiff;
import dev.ordo.planner.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `ordo diff` prints, on one real change: a job added, one moved, one waiting for a missing event, a deadlock. */
class PlanDiffRendererTest {

    static final String OLD = """
            jobs:
              a:
                exec: sleep infinity
                start_on: startup
                estimate: 1s
              b:
                exec: sleep infinity
                start_on: started a
                estimate: 1s
              c:
                exec: sleep infinity
                start_on: startup
                estimate: 500ms
              g:
                exec: sleep infinity
                start_on: tty-added
            """;

    static final String NEW = """
            jobs:
              a:
                exec: sleep infinity
                start_on: startup
                estimate: 1s
              b:
                exec: sleep infinity
                start_on: started a and net-up
                estimate: 1s
              c:
                exec: sleep infinity
                start_on: startup
                estimate: 500ms
                after: [a]
              d:
                exec: sleep infinity
                start_on: started c
              g:
                exec: sleep infinity
                start_on: startup
              x:
                exec: sleep infinity
                start_on: startup
                after: [y]
              y:
                exec: sleep infinity
                start_on: startup
                after: [x]
            """;

    @TempDir
    Path tmp;

    PlanDiff diff;
    String where;

    @BeforeEach
    void plans() throws IOException {
        diff = PlanDiff.compare(plan("old", OLD), plan("new", NEW));
        where = tmp.resolve("new").resolve("ordo.yaml").toString();
    }

    Plan plan(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("ordo.yaml"), yaml);
        return Planner.plan(ConfigLoader.load(List.of(dir), null), Planner.Request.defaults());
    }

    @Test
    void textShowsEachChangeOnOneLineAndASummary() {
        String text = new PlanDiffTextRenderer(Style.PLAIN).render(diff).replace(where, "NEW");
        assertEquals("""
                Boot: 3 → 4 jobs, 2 → 3 waves, all up at 2s → 2.5s
                  + d  wave 2, 1.5s → 2.5s
                  + g  wave 0, 0s → 1s
                  - b  was wave 1, 1s → 2s
                  ~ c  wave 0 → 1, start 0s → 1s, up 0.5s → 1.5s
                  critical path
                    - a → b
                    + a → c → d

                Not started
                  + b  waits for `net-up`, which nothing emits (plan with --emit net-up)
                  + x  deadlock: `y` (after, NEW:24:13), which waits for it in turn
                  + y  deadlock: `x` (after, NEW:28:13), which waits for it in turn
                  - g  was: waits for `tty-added`, which nothing emits (plan with --emit tty-added)

                Shutdown: 3 → 4 jobs, 1 → 2 waves, all stopped at 1s → 2s
                  + d  wave 0, 0s → 1s
                  + g  wave 0, 0s → 1s
                  - b  was wave 0, 0s → 1s
                  ~ a  wave 0 → 1, start 0s → 1s, stopped 1s → 2s
                  critical path
                    - a
                    + c → a

                Errors
                  + NEW:24:13: error[ORD301]: ordering cycle x → y → x: `x` after `y` (NEW:24:13), `y` after `x` (NEW:28:13)

                2 added, 1 removed, 1 changed, 3 newly not started, 1 no longer not started, 4 shutdown changes, 1 new error, boot 2s → 2.5s
                """, text);
    }

    @Test
    void theReverseDiffSaysTheOpposite() throws IOException {
        PlanDiff back = PlanDiff.compare(plan("new2", NEW), plan("old2", OLD));
        String text = new PlanDiffTextRenderer(Style.PLAIN).render(back);
        assertTrue(text.startsWith("Boot: 4 → 3 jobs, 3 → 2 waves, all up at 2.5s → 2s\n  + b  wave 1, 1s → 2s\n"
                + "  - d  was wave 2, 1.5s → 2.5s\n"), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("  - ")
                && l.contains("ordo.yaml:24:13: error[ORD301]: ordering cycle x → y → x")), text);
        assertTrue(text.endsWith("(resolved)\n\n1 added, 2 removed, 1 changed, 1 newly not started,"
                + " 3 no longer not started, 4 shutdown changes, 1 error resolved, boot 2.5s → 2s\n"), text);
    }

    @Test
    void equalPlansSayOneLine() throws IOException {
        Plan p = plan("same", OLD);
        assertEquals("No differences: emit startup, 3 jobs, 2 waves, all up at 2s\n",
                new PlanDiffTextRenderer(Style.PLAIN).render(PlanDiff.compare(p, p)));
    }

    @Test
    void colourOnlyWhenAskedFor() {
        String plain = new PlanDiffTextRenderer(Style.PLAIN).render(diff);
        String colour = new PlanDiffTextRenderer(new Style(true)).render(diff);
        assertFalse(plain.contains("\u001b["));
        assertTrue(colour.contains("\u001b[32m+ d"), colour);
        assertTrue(colour.contains("\u001b[1;31m- b"), colour);
        assertTrue(colour.contains("\u001b[1;33m~ c"), colour);
        assertEquals(plain, colour.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void jsonHasAFixedShape() throws IOException {
        String json = new PlanDiffJsonRenderer().render(diff).replace(where, "NEW");
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals(List.of("format", "equal", "goal", "boot", "not_started", "shutdown", "errors"), keys(root));
        assertEquals("ordo.diff/1", root.get("format").asText());
        assertFalse(root.get("equal").asBoolean());
        assertEquals(List.of("changed", "old", "new"), keys(root.get("goal")));
        assertEquals("startup", root.at("/goal/new/events/0").asText());
        JsonNode boot = root.get("boot");
        assertEquals(List.of("equal", "added", "removed", "changed", "steps", "waves", "finish", "critical_path"),
                keys(boot));
        assertEquals(List.of("id", "task", "wave", "start", "up"), keys(boot.at("/added/0")));
        assertEquals("d", boot.at("/added/0/id").asText());
        assertEquals("2.5", boot.at("/added/0/up").asText());
        assertEquals("b", boot.at("/removed/0/id").asText());
        assertEquals(List.of("id", "wave", "start", "up"), keys(boot.at("/changed/0")));
        assertEquals("c", boot.at("/changed/0/id").asText());
        assertEquals(0, boot.at("/changed/0/wave/old").asInt());
        assertEquals(1, boot.at("/changed/0/wave/new").asInt());
        assertEquals("1.5", boot.at("/changed/0/up/new").asText());
        assertEquals("2", boot.at("/finish/old").asText());
        assertEquals("[\"a\",\"c\",\"d\"]", boot.at("/critical_path/new").toString());
        assertTrue(boot.at("/critical_path/changed").asBoolean());
        JsonNode ns = root.get("not_started");
        assertEquals(List.of("added", "removed", "changed"), keys(ns));
        assertEquals(List.of("id", "reason", "why"), keys(ns.at("/added/0")));
        assertEquals("b", ns.at("/added/0/id").asText());
        assertEquals("no-trigger", ns.at("/added/0/reason").asText());
        assertEquals("g", ns.at("/removed/0/id").asText());
        assertEquals(0, ns.get("changed").size());
        JsonNode errors = root.get("errors");
        assertEquals(List.of("added", "resolved"), keys(errors));
        assertEquals(List.of("code", "name", "message", "file", "line", "column", "hint"), keys(errors.at("/added/0")));
        assertEquals("ORD301", errors.at("/added/0/code").asText());
        assertEquals("NEW", errors.at("/added/0/file").asText());
        assertEquals(24, errors.at("/added/0/line").asInt());
        assertEquals(0, errors.get("resolved").size());
        assertEquals(json, new PlanDiffJsonRenderer().render(diff).replace(where, "NEW"), "the same diff, the same bytes");
    }

    static List<String> keys(JsonNode o) {
        List<String> out = new ArrayList<>();
        o.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
