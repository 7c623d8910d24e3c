package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Planner;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every check over a loaded configuration. The readers' own diagnostics (syntax, keys, values)
 * come first in the list; the checks add what only the whole configuration shows.
 */
public final class Checks {

    private static final java.util.Set<Code> PLAN_CODES = java.util.EnumSet.of(Code.DEADLOCK, Code.HELD_EVENT,
            Code.PULLED_IN_EARLY);

    private Checks() {
    }

    /** Everything: the configuration's own checks and what the plan for the default goal shows. */
    public static CheckReport run(Config config) {
        CheckReport own = configuration(config);
        List<Diagnostic> out = new ArrayList<>(own.diagnostics());
        // Deadlocks, held events and early pull-ins show only in a plan: the default goal's (SEMANTICS §6).
        for (Diagnostic d : Planner.plan(config, Planner.Request.defaults()).diagnostics()) {
            if (PLAN_CODES.contains(d.code())) out.add(d);
        }
        return new CheckReport(config, out.stream().distinct().toList(), own.externalEvents());
    }

    /** The checks that need no plan: the readers' findings, references, variables, relations, cycles. */
    public static CheckReport configuration(Config config) {
        List<Diagnostic> out = new ArrayList<>(config.diagnostics());
        ReferenceCheck.run(config, out);
        EventCheck.Result events = EventCheck.run(config, out);
        VariableCheck.run(config, out);
        RelationCheck.run(config, out);
        CycleCheck.run(config, out);
        return new CheckReport(config, out.stream().distinct().toList(), events.externalEvents());
    }
}
