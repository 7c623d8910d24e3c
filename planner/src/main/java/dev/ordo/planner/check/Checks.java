package dev.ordo.planner.check;

import dev.ordo.planner.model.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every check over a loaded configuration. The readers' own diagnostics (syntax, keys, values)
 * come first in the list; the checks add what only the whole configuration shows.
 */
public final class Checks {

    private Checks() {
    }

    public static CheckReport run(Config config) {
        List<Diagnostic> out = new ArrayList<>(config.diagnostics());
        ReferenceCheck.run(config, out);
        EventCheck.Result events = EventCheck.run(config, out);
        VariableCheck.run(config, out);
        RelationCheck.run(config, out);
        CycleCheck.run(config, out);
        return new CheckReport(config, out.stream().distinct().toList(), events.externalEvents());
    }
}
