package dev.ordo.executor.cli;

import dev.ordo.executor.runtime.LogFiles;
import dev.ordo.planner.plan.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** {@code --learned [--history FILE]}: durations from what the executor recorded. */
final class LearnedOption {

    @Option(names = "--learned",
            description = "Time each job by the median of its recorded start durations (the executor's history).")
    boolean learned;

    @Option(names = "--history", paramLabel = "FILE",
            description = "The history file to learn from, with its rotated files FILE.1, FILE.2, … (default: history.jsonl in the state directory).")
    Path history;

    /** The learned durations, empty when not asked for, or null after printing why they cannot be read. */
    Map<String, Double> durations(PrintWriter err) {
        if (!learned) return Map.of();
        Path file = history != null ? history : StateDirectory.resolve().resolve("history.jsonl");
        if (!Files.exists(file)) {
            err.println("ordo: no history at '" + file + "' yet: run the jobs with `ordo run` first, or give --history FILE");
            return null;
        }
        // Oldest first: the rotated files (FILE.N … FILE.1) the supervisor keeps, then the file itself.
        History.Samples samples = new History.Samples();
        List<Path> files = new ArrayList<>();
        for (int i = LogFiles.rotatedCount(file); i >= 1; i--) files.add(Path.of(file + "." + i));
        files.add(file);
        for (Path f : files) {
            try {
                samples.add(Files.readAllLines(f));
            } catch (IOException e) {
                err.println("ordo: cannot read '" + f + "': " + e.getMessage());
                return null;
            } catch (IllegalArgumentException e) {
                err.println("ordo: " + f + ": " + e.getMessage());
                return null;
            }
        }
        return samples.medians();
    }
}
