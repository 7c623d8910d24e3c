package dev.ordo.planner.check;

import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.model.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * The outcome of {@code ordo check}: the config, every diagnostic (sorted), and the events the
 * configuration waits for that must come from outside.
 */
public record CheckReport(Config config, List<Diagnostic> diagnostics, List<String> externalEvents) {

    public CheckReport {
        List<Diagnostic> ds = new ArrayList<>(diagnostics);
        ds.sort(Diagnostic.ORDER);
        diagnostics = List.copyOf(ds);
        externalEvents = List.copyOf(externalEvents);
    }

    public long errors() {
        return diagnostics.stream().filter(Diagnostic::isError).count();
    }

    public long warnings() {
        return diagnostics.size() - errors();
    }
}
