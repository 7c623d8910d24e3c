package dev.ordo.planner.config;

import java.util.List;

/** Reads Upstart job files. (Being written.) */
public final class UpstartReader {
    private UpstartReader() {
    }

    public static ReadResult read(String file, String jobName, String text, String overrideFile, String overrideText) {
        return new ReadResult(List.of(), List.of());
    }
}
