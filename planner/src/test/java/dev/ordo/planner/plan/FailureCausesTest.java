package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo plan --fail}: why a job does not start when something it requires did not, root cause
 * first and on to the job, as the supervisor reports it (issue 14; docs/semantics.md, Failures).
 */
class FailureCausesTest {

    private static Map<String, String> why(Plan p) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (NotStarted n : p.notStarted()) out.put(n.id(), n.why());
        return out;
    }

    @Test
    void aFailureDownAChainOfRequiresAndAfterIsToldFromItsRoot() {
        Plan p = PlannerTest.plan(PlannerTest.yaml("""
                jobs:
                  db: {exec: /bin/db}
                  api: {exec: /bin/api, requires: [db], after: [db]}
                  web: {exec: /bin/web, requires: [api], after: [api]}
                  cli: {exec: /bin/cli, requires: [web], after: [web]}
                """), new Goal(List.of(), List.of(), List.of(new Goal.Failure("db", null))));
        assertEquals(Map.of(
                "db", "fails at its start (--fail db)",
                "api", "does not start: `db` fails at its start (--fail db) → `api` (it requires `db` and is ordered after it)",
                "web", "does not start: `db` fails at its start (--fail db) → `api` → `web`"
                        + " (each requires the one before it and is ordered after it)",
                "cli", "does not start: `db` fails at its start (--fail db) → `api` → `web` → `cli`"
                        + " (each requires the one before it and is ordered after it)"), why(p));
    }
}
