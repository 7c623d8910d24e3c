package dev.ordo.planner.model;

import dev.ordo.planner.diag.Diagnostic;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A loaded set of jobs, with what the readers found wrong on the way. Jobs are sorted by name so that
 * everything computed from a config is independent of the order files were given in.
 *
 * @param files the files read, sorted
 * @param diagnostics what the readers reported, sorted
 * @param complete the user declared these files the whole system ({@code --complete}): an event of a job
 *     that is not among them is then impossible, not merely unknown (SEMANTICS §6, Partial sets)
 */
public record Config(List<Job> jobs, List<String> files, List<Diagnostic> diagnostics, boolean complete) {

    public Config(List<Job> jobs, List<String> files, List<Diagnostic> diagnostics) {
        this(jobs, files, diagnostics, false);
    }

    /** The same configuration, declared to be the whole system. */
    public Config declaredComplete() {
        return new Config(jobs, files, diagnostics, true);
    }

    public Config {
        List<Job> js = new ArrayList<>(jobs);
        js.sort(Comparator.comparing(Job::name));
        jobs = List.copyOf(js);
        List<String> fs = new ArrayList<>(files);
        Collections.sort(fs);
        files = List.copyOf(fs);
        List<Diagnostic> ds = new ArrayList<>(diagnostics);
        ds.sort(Diagnostic.ORDER);
        diagnostics = List.copyOf(ds);
    }

    /** Jobs by name. */
    public Map<String, Job> byName() {
        Map<String, Job> m = new TreeMap<>();
        for (Job j : jobs) m.put(j.name(), j);
        return m;
    }

    public Job job(String name) {
        for (Job j : jobs) if (j.name().equals(name)) return j;
        return null;
    }
}
