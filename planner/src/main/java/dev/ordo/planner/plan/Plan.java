package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Diagnostic;
import java.util.List;

/**
 * What boots for a goal, when, why, and in which order it all stops (SEMANTICS §6).
 *
 * @param notStarted jobs of the configuration that do not start for this goal, with why; sorted by id
 * @param diagnostics deadlocks, held events and everything {@code ordo check} reports; sorted
 * @param assumptions what the plan takes for granted (e.g. "events in `emits` happen when the job is
 *     up"), each a sentence
 */
public record Plan(Goal goal, Schedule boot, Schedule shutdown, List<NotStarted> notStarted,
                   List<Diagnostic> diagnostics, List<String> assumptions) {

    public static final String FORMAT = "ordo.plan/1";

    public Plan {
        notStarted = List.copyOf(notStarted);
        diagnostics = List.copyOf(diagnostics);
        assumptions = List.copyOf(assumptions);
    }
}
