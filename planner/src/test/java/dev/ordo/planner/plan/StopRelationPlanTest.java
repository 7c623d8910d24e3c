package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.render.PlanTextRenderer;
import dev.ordo.planner.render.Style;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shutdown's order where stop relations and orderings meet (SEMANTICS §6, Shutdown): event
 * relations are not reversed, a reversed ordering that would close a circle with stop relations is
 * dropped and named (ORD305), and a job that never stops is a warning, never a reason not to run.
 */
class StopRelationPlanTest {

    @TempDir
    Path tmp;

    /** Issue 14's job set, as Upstart 1.13 runs it. */
    private Config upstartChain() throws IOException {
        Files.writeString(tmp.resolve("j0.conf"), "start on startup\nexec sleep 300\n");
        Files.writeString(tmp.resolve("j1.conf"), "start on started j0\nstop on stopped j0\nexec sleep 300\n");
        Files.writeString(tmp.resolve("j2.conf"), "start on started j1\nstop on stopping j1\nexec sleep 300\n");
        Files.writeString(tmp.resolve("j3.conf"), "start on started j2 or started j0\nstop on stopped j2\nexec sleep 300\n");
        return ConfigLoader.load(List.of(tmp), null);
    }

    @Test
    void upstartsChainChecksCleanAndPlansItsShutdownByTheStopRelations() throws IOException {
        Config config = upstartChain();
        assertEquals(List.of(), Planner.check(config).diagnostics());
        Plan p = Planner.plan(config, Planner.Request.defaults());
        assertEquals(List.of(), p.diagnostics());
        String text = new PlanTextRenderer(Style.PLAIN, true).render(p);
        String shutdown = text.substring(text.indexOf("Shutdown"));
        assertEquals("""
                Shutdown (every job up at the end of the boot): 4 jobs, 3 waves, all stopped at 3s
                  wave 0
                    0s → 1s  j0  shutdown
                  wave 1
                    1s → 2s  j2  stopping j1
                  wave 2
                    2s → 3s  j1  stopped j0; waited for j2 (stopping)
                    2s → 3s  j3  stopped j2
                  critical path: j2 1s→2s ─stopping→ j1 2s→3s
                """, shutdown);
        for (Step s : p.shutdown().steps()) {
            assertTrue(s.waitsFor().stream().noneMatch(w -> w.kind() == EdgeKind.REVERSE), s + ": no event is reversed");
        }
    }

    @Test
    void aReversedAfterThatWouldCloseACircleIsDroppedAndNamed() {
        Config c = PlannerTest.yaml("""
                jobs:
                  base: {exec: /bin/base}
                  cache: {exec: /bin/cache, stop_on: stopped base}
                  app: {exec: /bin/app, after: [base], stop_on: stopped cache}
                """);
        List<Diagnostic> ds = Planner.check(c).diagnostics();
        assertEquals(List.of(new Diagnostic(Severity.WARNING, Code.REVERSE_ORDER_DROPPED,
                "at shutdown `base` does not wait for `app` to stop (`app` after `base` reversed): the stop relations"
                        + " stop `app` only after `base` (base → cache → app), and they win",
                new dev.ordo.planner.diag.Source("t.yaml", 4, 33),
                "to stop `app` first, change the stop_on on the way from `base`; if the order at shutdown does not"
                        + " matter, this is only a note")), ds);
        Plan p = PlannerTest.plan(c);
        assertEquals(0, p.shutdown().step("base").start(), 1e-9, "base does not wait for app");
        assertEquals(List.of("base", "cache", "app"), p.shutdown().steps().stream().map(Step::id).toList());
        assertEquals(3, p.shutdown().finish(), 1e-9, "nothing waits for ever");
    }

    @Test
    void aJobThatNeverStopsAtShutdownIsAWarningNotAnError() {
        // Each waits for the other's stopped: neither is ever asked. The supervisor lets go of both.
        Config c = PlannerTest.yaml("""
                jobs:
                  a: {exec: /bin/a, stop_on: stopped b}
                  b: {exec: /bin/b, stop_on: stopped a}
                """);
        List<Diagnostic> ds = Planner.check(c).diagnostics();
        String hint = "the supervisor lets go of the wait at shutdown and stops it (log `shutdown: ...`); make the stop"
                + " relations agree";
        assertEquals(List.of(
                new Diagnostic(Severity.WARNING, Code.DEADLOCK, "`a` never stops at shutdown: its stop condition"
                        + " `stopped b` never holds", new dev.ordo.planner.diag.Source("t.yaml", 2, 3), hint),
                new Diagnostic(Severity.WARNING, Code.DEADLOCK, "`b` never stops at shutdown: its stop condition"
                        + " `stopped a` never holds", new dev.ordo.planner.diag.Source("t.yaml", 3, 3), hint)), ds);
        assertTrue(ds.stream().noneMatch(Diagnostic::isError));
    }
}
