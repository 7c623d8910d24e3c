package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * A resource limit (setrlimit(2)). {@code null} soft or hard means unlimited.
 *
 * @param resource {@code nofile}, {@code nproc}, {@code core}, ... (Upstart's names)
 */
public record Limit(String resource, Long soft, Long hard, Source source) {

    /** Resource names as Upstart writes them; systemd's {@code LimitNOFILE=} maps to {@code nofile}. */
    public static final java.util.List<String> RESOURCES = java.util.List.of(
            "as", "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc",
            "rss", "rtprio", "rttime", "sigpending", "stack");
}
