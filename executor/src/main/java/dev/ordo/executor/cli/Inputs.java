package dev.ordo.executor.cli;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration paths a command was given, checked before anything is loaded: a path that does
 * not exist or cannot be read is a usage error (exit 2), not a diagnostic.
 */
final class Inputs {

    private Inputs() {
    }

    /** The paths to load, or null after printing why they cannot be (the caller exits 2). */
    static List<Path> resolve(List<Path> given, Path root, PrintWriter err) {
        List<Path> paths = new ArrayList<>(given == null ? List.of() : given);
        if (paths.isEmpty() && root == null) {
            Path dflt = Path.of("ordo.yaml");
            if (!Files.exists(dflt)) {
                err.println("ordo: no PATH given and no ordo.yaml in this directory");
                err.println("Give the files or directories to read, e.g. `ordo check samples/yaml`, or --root DIR.");
                return null;
            }
            paths.add(dflt);
        }
        for (Path p : paths) {
            if (!Files.exists(p)) {
                err.println("ordo: cannot read '" + p + "': no such file or directory");
                return null;
            }
            if (!Files.isReadable(p)) {
                err.println("ordo: cannot read '" + p + "': permission denied");
                return null;
            }
        }
        if (root != null && !Files.isDirectory(root)) {
            err.println("ordo: --root '" + root + "' is not a directory");
            return null;
        }
        return paths;
    }

    /**
     * True, after saying so, when the paths held no configuration file at all (an empty directory, a
     * README): there is nothing to check or plan, and "no problems" would be a false all-clear. A usage
     * error, as eslint's "no files matching". What the loader said about the paths is shown first.
     */
    static boolean nothingToRead(Config config, List<Path> paths, Path root, PrintWriter err) {
        if (!config.files().isEmpty()) return false;
        for (Diagnostic d : config.diagnostics()) err.println("ordo: " + d.source() + ": " + d.message());
        List<String> where = new ArrayList<>();
        for (Path p : paths) where.add(p.toString());
        if (root != null) where.add("--root " + root);
        err.println("ordo: no configuration in " + String.join(", ", where)
                + ": ordo reads *.yaml and *.yml, Upstart *.conf and systemd units (*.service, *.target, ...)");
        return true;
    }
}
