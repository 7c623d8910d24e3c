package dev.ordo.planner.render;

import dev.ordo.planner.config.Text;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The lines of the files diagnostics point into, read once each, for snippets under a message. */
final class SourceLines {

    private final Map<String, List<String>> cache = new HashMap<>();

    /** Line {@code n} (1-based) of {@code file}, or null when it cannot be had. */
    String line(String file, int n) {
        List<String> lines = cache.computeIfAbsent(file, f -> {
            try {
                return Text.read(Path.of(f)).lines().toList();
            } catch (IOException | RuntimeException e) {
                return List.of();
            }
        });
        return n >= 1 && n <= lines.size() ? lines.get(n - 1) : null;
    }
}
