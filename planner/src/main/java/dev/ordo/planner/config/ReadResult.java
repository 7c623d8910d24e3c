package dev.ordo.planner.config;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Job;
import java.util.List;

/** What one reader made of its input: the jobs it could build and what it found wrong. */
public record ReadResult(List<Job> jobs, List<Diagnostic> diagnostics) {

    public ReadResult {
        jobs = List.copyOf(jobs);
        diagnostics = List.copyOf(diagnostics);
    }
}
