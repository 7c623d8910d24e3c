package dev.ordo.planner.plan;

import static dev.ordo.planner.plan.PlannerTest.plan;
import static dev.ordo.planner.plan.PlannerTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** requisite, on_failure and on_success in the plan, where they meet ordering and each other. */
class RelationsPlanTest {

    private static String reason(Plan p, String id) {
        return p.notStarted().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow().reason();
    }

    @Test
    void aRequisiteOnAJobARequisiteRefusesIsRefusedWhateverTheTiming() {
        // a is triggered at 0, b only at 1: by plan time b was still coming when a asked. Yet b can never
        // start (z is in no boot), so neither can a; and nothing b would have pulled in is in the boot.
        Config c = yaml("""
                jobs:
                  a: {exec: x, start_on: startup, requisite: [b]}
                  b: {exec: x, start_on: started c, requisite: [z], wants: [w]}
                  c: {exec: x, start_on: startup}
                  w: {exec: x, manual: true}
                  z: {exec: x, manual: true}
                """);
        Plan p = plan(c);
        assertEquals(List.of("c"), p.boot().steps().stream().map(Step::id).toList());
        assertEquals("requisite-missing", reason(p, "a"));
        assertEquals("requisite-missing", reason(p, "b"));
        assertEquals(Set.of("c"), Planner.bootSet(c, Planner.Request.defaults()));
    }

    @Test
    void theBootSetKeepsWhatADeadlockHoldsButNotWhatARequisiteRefuses() {
        Config c = yaml("""
                jobs:
                  c: {exec: x, start_on: started d}
                  d: {exec: x, after: [c]}
                  e: {exec: x, start_on: startup, requisite: [c]}
                  f: {exec: x, start_on: startup, requisite: [m]}
                  m: {exec: x, manual: true}
                """);
        // c and d are stuck in a deadlock, yet on their way: e's requisite holds, as the engine sees it
        // during the boot; f's never does.
        assertEquals(Set.of("c", "d", "e"), Planner.bootSet(c, Planner.Request.defaults()));
        Plan p = plan(c);
        assertNotNull(p.boot().step("e"));
        assertEquals("requisite-missing", reason(p, "f"));
    }

    @Test
    void aRequisiteThatFailedIsGoneForAJobItsFailureStartsButATaskDoneIsThereInTheBoot() {
        Config c = yaml("""
                jobs:
                  db: {exec: x}
                  cleanup: {exec: x, start_on: stopped db, requisite: [db]}
                  migrate: {exec: x, task: true}
                  api: {exec: x, start_on: stopped migrate, requisite: [migrate]}
                """);
        Plan p = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("db", null))));
        // `stopped db RESULT=failed` starts cleanup when db has already failed: refused, as the engine does.
        assertEquals("requisite-missing", reason(p, "cleanup"));
        // The boot is one transaction: a task done in it still counts for a requisite (docs/semantics.md).
        assertNotNull(p.boot().step("api"));
        assertEquals(1, p.boot().step("api").trigger(), 1e-9);
    }

    @Test
    void aFailedJobDoesNotWaitForItsOwnOnFailureTarget() {
        // db after alert, but alert only starts because db failed: systemd orders the OnFailure= unit
        // after the failed one, whatever After= says. Waiting would be a circle the plan never ends.
        Config c = yaml("""
                jobs:
                  db: {exec: x, after: [alert], on_failure: [alert]}
                  alert: {exec: x, manual: true}
                """);
        Plan p = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("db", null))));
        Step alert = p.boot().step("alert");
        assertNotNull(alert, p::toString);
        assertEquals(1.0, alert.trigger(), 1e-9, "started when db's attempt failed, after its 1 s");
        assertEquals(EdgeKind.ON_FAILURE, alert.because().kind());
        assertEquals("failed", reason(p, "db"));
        assertTrue(p.diagnostics().stream().noneMatch(d -> d.code() == Code.DEADLOCK), p.diagnostics()::toString);
    }

    @Test
    void aTaskDoesNotWaitForItsOwnOnSuccessTarget() {
        Config c = yaml("""
                jobs:
                  t: {exec: x, task: true, after: [o], on_success: [o]}
                  o: {exec: x, manual: true}
                """);
        Plan p = plan(c);
        assertEquals(0, p.boot().step("t").start(), 1e-9);
        assertEquals(List.of(), p.boot().step("t").waitsFor());
        assertEquals(1, p.boot().step("o").trigger(), 1e-9, "when t is done");
    }

    @Test
    void aCircleThroughAnOnSuccessTargetIsADeadlock() {
        // s waits for o, which only t's success starts, and t runs after s: nothing can move. The engine
        // would end the boot after 1 s of quiet and go on; the plan says why it is stuck.
        Config c = yaml("""
                jobs:
                  s: {exec: x, after: [o]}
                  t: {exec: x, task: true, after: [s], on_success: [o]}
                  o: {exec: x, manual: true}
                """);
        Plan p = plan(c);
        List<Diagnostic> ds = p.diagnostics().stream().filter(d -> d.code() == Code.DEADLOCK).toList();
        assertEquals(1, ds.size(), p.diagnostics()::toString);
        assertEquals("deadlock o → t → s → o: `o` waits for `t` (on_success, t.yaml:3:53), `t` waits for `s` (after, "
                + "t.yaml:3:36), `s` waits for `o` (after, t.yaml:2:24)", ds.get(0).message());
        assertEquals(3, ds.get(0).source().line());
        assertEquals(53, ds.get(0).source().column());
        assertEquals("deadlock", reason(p, "s"));
        assertEquals("deadlock", reason(p, "t"));
    }

    private static Goal failing(String job) {
        return new Goal(List.of(), List.of(), List.of(new Goal.Failure(job, null)));
    }

    @Test
    void aDependantThatSaidStartingSaysStoppedWhenItsDependencyFails() {
        Config c = yaml("""
                jobs:
                  db: {exec: x}
                  web: {exec: x, requires: [db], after: [db], on_failure: [page]}
                  log: {exec: x, start_on: stopped web RESULT=failed PROCESS=dependency}
                  page: {exec: x, manual: true}
                """);
        Plan p = plan(c, failing("db"));
        assertEquals("dependency-failed", reason(p, "web"));
        assertEquals(1, p.boot().step("log").trigger(), 1e-9, "when db's attempt failed");
        assertEquals("manual", reason(p, "page"), "a dependency failure is no failure of web's own");
    }

    @Test
    void aFailedJobWhoseStoppingIsHeldForEverNeverStartsItsOnFailureTarget() {
        Config c = yaml("""
                jobs:
                  db: {exec: x, on_failure: [alert]}
                  alert: {exec: x, manual: true}
                  h: {exec: x, start_on: stopping db and never}
                """);
        Plan p = plan(c, failing("db"));
        List<Diagnostic> held = p.diagnostics().stream().filter(d -> d.code() == Code.HELD_EVENT).toList();
        assertEquals(1, held.size(), p.diagnostics()::toString);
        assertEquals("`stopping db` is held for ever: `h` matched it in `stopping db and never` but also waits for "
                + "`never`, which never comes, so `db` never comes to rest after it failed", held.get(0).message());
        assertEquals(4, held.get(0).source().line());
        assertEquals(26, held.get(0).source().column(), "at the leaf that holds it");
        assertEquals("manual", reason(p, "alert"));
    }

    @Test
    void underAFailureAJobOnlyTheFailureStartsIsNotCountedOnAhead() {
        // api asks at startup for cleanup, which only db's failure starts: a supervisor cannot know of
        // the failure then, so api is refused; alert, started by the failure, asks again and gets it.
        Config c = yaml("""
                jobs:
                  db: {exec: x, on_failure: [alert]}
                  cleanup: {exec: x, on_failure: [x], start_on: stopped db}
                  api: {exec: x, start_on: startup, requisite: [cleanup]}
                  alert: {exec: x, start_on: startup, requisite: [cleanup]}
                  x: {exec: x, manual: true}
                """);
        Plan p = plan(c, failing("db"));
        assertEquals("requisite-missing", reason(p, "api"));
        assertNotNull(p.boot().step("cleanup"));
        // alert: refused at startup too, asked again by db's failure before `stopped db` reached
        // cleanup (as the engine starts it then), so refused again.
        assertEquals("requisite-missing", reason(p, "alert"));
    }

    @Test
    void aRequisitePulledInByAJobTheSameEventStartsIsOnItsWay() {
        // a and b both start on `go`; b pulls c in. a comes first in name order, yet c counts.
        Config c = yaml("""
                jobs:
                  a: {exec: x, start_on: go, requisite: [c]}
                  b: {exec: x, start_on: go, wants: [c]}
                  c: {exec: x, manual: true}
                  e: {exec: x, start_on: startup, emits: [go]}
                """);
        Plan p = plan(c);
        assertNotNull(p.boot().step("a"), p::toString);
        assertEquals(1, p.boot().step("a").trigger(), 1e-9);
    }
}
