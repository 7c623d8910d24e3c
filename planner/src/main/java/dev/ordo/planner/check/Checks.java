package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.model.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every check over a loaded configuration. The readers' own diagnostics (syntax, keys, values)
 * come first in the list; the checks add what only the whole configuration shows. What only a plan
 * shows (deadlocks, held events) the planner adds: {@code Planner.check}.
 */
public final class Checks {

    private Checks() {
    }

    /** The checks that need no plan: the readers' findings, references, variables, relations, cycles. */
    public static CheckReport configuration(Config config) {
        List<Diagnostic> out = new ArrayList<>(config.diagnostics());
        ReferenceCheck.run(config, out);
        EventCheck.EventFindings events = EventCheck.run(config, out);
        VariableCheck.run(config, out);
        RelationCheck.run(config, out);
        ShellCheck.run(config, out);
        CycleCheck.run(config, out);
        return new CheckReport(config, out.stream().distinct().toList(), events.externalEvents());
    }
}
