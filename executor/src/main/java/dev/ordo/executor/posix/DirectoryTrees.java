package dev.ordo.executor.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * Removing a tree of files without ever following a link out of it: a link inside is removed, never what it points
 * at. What ordo removes (a job's runtime directory, a notify socket's directory, generators' output, a bench's work
 * directory) may hold links planted by the jobs themselves.
 */
public final class DirectoryTrees {

    private DirectoryTrees() {
    }

    /** Deletes {@code p} and, when it is a directory (not a link to one), all in it; nothing when it is not there. */
    public static void delete(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        empty(p);
        Files.delete(p);
    }

    /** Deletes what the directory {@code dir} holds, keeping {@code dir}; nothing when it is not a directory. */
    public static void empty(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var list = Files.list(dir)) {
            for (Path c : (Iterable<Path>) list::iterator) delete(c);
        }
    }
}
