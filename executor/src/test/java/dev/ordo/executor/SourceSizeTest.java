package dev.ordo.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * One file per domain concept: no main-source file over {@value #LIMIT} lines. (The god classes of before,
 * Engine at 2,086 lines among them, were split along their domains; none is left over the limit.)
 */
class SourceSizeTest {

    static final int LIMIT = 500;

    static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));

    @Test
    void noMainSourceFileOutgrowsOneConcept() throws IOException {
        List<String> over = new ArrayList<>();
        int files = 0;
        for (String module : List.of("planner", "executor")) {
            try (Stream<Path> s = Files.walk(TOP.resolve(module).resolve("src/main/java"))) {
                for (Path p : s.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
                    files++;
                    String rel = TOP.relativize(p).toString().replace('\\', '/');
                    long lines;
                    try (Stream<String> l = Files.lines(p)) {
                        lines = l.count();
                    }
                    if (lines > LIMIT) over.add(rel + ": " + lines + " lines (at most " + LIMIT + ")");
                }
            }
        }
        assertTrue(files > 150, "main sources found under " + TOP.toAbsolutePath() + ": " + files);
        assertEquals(List.of(), over);
    }
}
