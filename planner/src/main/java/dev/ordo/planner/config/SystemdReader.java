package dev.ordo.planner.config;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Reads systemd units. (Being written.) */
public final class SystemdReader {
    private SystemdReader() {
    }

    /** What was read, and the display names of every file read. */
    public record Result(ReadResult read, List<String> files) {
    }

    /** True for units systemd makes without a unit file (devices, scopes, implicit slices, ...). */
    public static boolean definedWithoutFile(String unitName) {
        return unitName.endsWith(".device") || unitName.endsWith(".scope") || unitName.endsWith(".slice");
    }

    public static Result read(List<Path> unitDirs, List<Path> unitFiles, Function<Path, String> display) {
        return new Result(new ReadResult(List.of(), List.of()), List.of());
    }
}
