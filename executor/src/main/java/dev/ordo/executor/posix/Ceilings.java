package dev.ordo.executor.posix;

import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a job may ask of the kernel when ordo itself may not grant it. Without {@code CAP_SYS_RESOURCE}
 * (a container with Docker's default capabilities, a user's own supervisor) a process may not raise a
 * hard limit above its own, nor lower its OOM score below what it inherited; systemd in a container then
 * applies the nearest value it may and logs it, and the service runs. ordo does the same: a job is never
 * failed for a limit or score it cannot have (dbus asks for {@code OOMScoreAdjust=-900}, postgres for a
 * higher {@code LimitNOFILE=}). Read once: the supervisor's own limits and capabilities do not change.
 */
final class Ceilings {

    private static final int CAP_SYS_RESOURCE = 24;

    /** /proc/self/limits rows by Upstart's resource names. */
    private static final Map<String, String> ROWS = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"), Map.entry("Max file size", "fsize"), Map.entry("Max data size", "data"),
            Map.entry("Max stack size", "stack"), Map.entry("Max core file size", "core"),
            Map.entry("Max resident set", "rss"), Map.entry("Max processes", "nproc"),
            Map.entry("Max open files", "nofile"), Map.entry("Max locked memory", "memlock"),
            Map.entry("Max address space", "as"), Map.entry("Max file locks", "locks"),
            Map.entry("Max pending signals", "sigpending"), Map.entry("Max msgqueue size", "msgqueue"),
            Map.entry("Max nice priority", "nice"), Map.entry("Max realtime priority", "rtprio"),
            Map.entry("Max realtime timeout", "rttime"));

    final boolean privileged;
    /** The supervisor's hard limits by resource; null value for unlimited; absent when unknown. */
    private final Map<String, Long> hard;
    /** The supervisor's OOM score adjustment, which its children inherit. */
    private final int oomScore;

    Ceilings(boolean privileged, Map<String, Long> hard, int oomScore) {
        this.privileged = privileged;
        this.hard = hard;
        this.oomScore = oomScore;
    }

    static Ceilings ofThisProcess() {
        boolean privileged = true;
        int oom = 0;
        Map<String, Long> hard = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                    privileged = (caps & (1L << CAP_SYS_RESOURCE)) != 0;
                }
            }
            oom = Integer.parseInt(Files.readString(Path.of("/proc/self/oom_score_adj")).trim());
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                for (Map.Entry<String, String> r : ROWS.entrySet()) {
                    if (!line.startsWith(r.getKey() + " ")) continue;
                    String[] f = line.substring(r.getKey().length()).trim().split("\\s+");
                    if (f.length >= 2) hard.put(r.getValue(), f[1].equals("unlimited") ? null : Long.parseLong(f[1]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux's /proc as expected: assume nothing needs clamping, and let the kernel say no.
            return new Ceilings(true, Map.of(), 0);
        }
        return new Ceilings(privileged, hard, oom);
    }

    /** The resources as they can be applied, and a line for each value changed. */
    record Clamped(Resources resources, List<String> changes) {
    }

    Clamped clamp(Resources res) {
        if (privileged) return new Clamped(res, List.of());
        List<String> changes = new ArrayList<>();
        Integer oom = res.oomScore();
        if (oom != null && oom < oomScore) {
            changes.add("OOM score adjustment " + oom + " is below what ordo may set (" + oomScore
                    + ", no CAP_SYS_RESOURCE); " + oomScore + " applied");
            oom = oomScore;
        }
        List<Limit> limits = new ArrayList<>();
        for (Limit l : res.limits()) {
            if (!hard.containsKey(l.resource())) {
                limits.add(l);
                continue;
            }
            Long ceiling = hard.get(l.resource());
            Long h = min(l.hard(), ceiling);
            Long s = min(l.soft(), h);
            if (!java.util.Objects.equals(h, l.hard()) || !java.util.Objects.equals(s, l.soft())) {
                changes.add("limit " + l.resource() + " " + text(l.soft()) + ":" + text(l.hard()) + " is above what ordo may set ("
                        + text(ceiling) + ", no CAP_SYS_RESOURCE); " + text(s) + ":" + text(h) + " applied");
            }
            limits.add(new Limit(l.resource(), s, h, l.source()));
        }
        if (changes.isEmpty()) return new Clamped(res, changes);
        return new Clamped(res.withLimits(limits, oom), changes);
    }

    /** The smaller of two limits, null being unlimited. */
    private static Long min(Long a, Long b) {
        if (a == null) return b;
        if (b == null) return a;
        return Math.min(a, b);
    }

    private static String text(Long v) {
        return v == null ? "infinity" : Long.toString(v);
    }
}
