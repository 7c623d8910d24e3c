package dev.ordo.planner.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real configurations nobody here wrote, in {@code ../shared/corpus} beside the clone (CI lays it
 * there). A clone on its own has none: the tests that need them are then skipped, each with this reason in
 * Surefire's count of skipped tests, and the property tests that only need some real files mutate the
 * repository's own samples instead.
 */
public final class SharedCorpus {

    public static final Path SHARED = Path.of(System.getProperty("ordo.shared", "../shared"));
    public static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));

    private SharedCorpus() {
    }

    /** The Upstart job files ({@code corpus/upstart}): 170 real jobs in 22 folders. */
    public static Path upstart() {
        return need(SHARED.resolve("corpus/upstart"));
    }

    /** The Debian 12 unit tree ({@code corpus/systemd/debian-12}), read as {@code --root}. */
    public static Path debian12() {
        return need(SHARED.resolve("corpus/systemd/debian-12"));
    }

    /** Whether the corpus is beside this clone. */
    public static boolean present() {
        return Files.isDirectory(SHARED.resolve("corpus"));
    }

    private static Path need(Path p) {
        Assumptions.assumeTrue(Files.isDirectory(p),
                () -> "skipped: " + p + " is not beside this clone (the shared corpus; CI lays it there)");
        return p;
    }
}
