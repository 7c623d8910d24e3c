package dev.ordo.executor.cli;

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
                err.println("Give the files or directories to read, e.g. `ordo check samples/dbus-hal`, or --root DIR.");
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
}
