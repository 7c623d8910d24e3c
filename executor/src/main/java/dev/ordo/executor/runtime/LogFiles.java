package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The job logs of a state directory ({@code STATE/logs}): {@code JOB.log}, or {@code JOB-INSTANCE.log} for an
 * instance (a {@code /} in either becomes {@code _}), each rotated by size to {@code .1} … {@code .N}.
 */
public final class LogFiles {

    /** 1 MiB per file, 5 rotated files kept. */
    public static final long DEFAULT_MAX_BYTES = 1 << 20;
    public static final int DEFAULT_KEEP = 5;

    /**
     * How the supervisor rotates logs: by size at each spawn, and by copy-truncate while the processes run
     * and write (runtime/LogWatch: looked at when a log is written to, never while nothing is).
     *
     * @param maxBytes the size of a log file that makes it rotate
     * @param keep how many rotated files are kept
     * @param checkEvery the least time between two looks at the logs being written (one {@code fstat} per
     *     log written to); a job can write this long at full speed past {@code maxBytes} before its log is
     *     rotated
     */
    public record Rotation(long maxBytes, int keep, Duration checkEvery) {
        /** 1 MiB, 5 files, at most every 5 s while jobs write (an idle supervisor does not wake for it). */
        public static final Rotation DEFAULT = new Rotation(DEFAULT_MAX_BYTES, DEFAULT_KEEP, Duration.ofSeconds(5));

        public Rotation {
            if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be ≥ 1");
            if (keep < 0) throw new IllegalArgumentException("keep must be ≥ 0");
            if (checkEvery == null || checkEvery.isNegative() || checkEvery.isZero()) {
                throw new IllegalArgumentException("checkEvery must be > 0");
            }
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final int keep;
    private final Map<Path, JobLog> byPath = new TreeMap<>();

    /**
     * @param maxBytes a log is rotated before a write would make it larger than this
     * @param keep how many rotated files are kept ({@code 0}: the log starts over empty instead)
     */
    public LogFiles(Path dir, long maxBytes, int keep) {
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be ≥ 1");
        if (keep < 0) throw new IllegalArgumentException("keep must be ≥ 0");
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.keep = keep;
    }

    public LogFiles(Path dir) {
        this(dir, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    public Path dir() {
        return dir;
    }

    public long maxBytes() {
        return maxBytes;
    }

    public int keep() {
        return keep;
    }

    /** The log file's name for an instance ({@code ""} for a singleton). */
    public static String fileName(String job, String instance) {
        String name = instance == null || instance.isEmpty() ? job : job + "-" + instance;
        return name.replace('/', '_').replace('\0', '_') + ".log";
    }

    public Path path(String job, String instance) {
        return dir.resolve(fileName(job, instance));
    }

    /**
     * The log of an instance, opened for appending; the same object for the same file while it is open,
     * so that every process of the instance and every follower share it.
     */
    public JobLog open(String job, String instance) throws IOException {
        Path p = path(job, instance);
        synchronized (byPath) {
            JobLog l = byPath.get(p);
            if (l == null || l.isClosed()) {
                l = new JobLog(p, maxBytes, keep, () -> forget(p));
                byPath.put(p, l);
            }
            return l;
        }
    }

    private void forget(Path p) {
        synchronized (byPath) {
            JobLog l = byPath.get(p);
            if (l != null && l.isClosed()) byPath.remove(p);
        }
    }

    /**
     * Reopens every open log of this directory (SIGUSR1): after an outside tool moved the files away, new
     * output goes to new files of the old names.
     */
    public void reopenAll(Consumer<String> log) {
        List<JobLog> logs;
        synchronized (byPath) {
            logs = new ArrayList<>(byPath.values());
        }
        for (JobLog l : logs) {
            try {
                l.reopen();
            } catch (IOException e) {
                log.accept("cannot reopen " + l.path() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Copy-truncate rotation of every open log over its size ({@link JobLog#copyTruncateIfOver}): for
     * files the jobs' processes append to themselves while they run. One {@code fstat} per open log.
     */
    public void rotateOpenLogs(Consumer<String> log) {
        List<JobLog> logs;
        synchronized (byPath) {
            logs = new ArrayList<>(byPath.values());
        }
        for (JobLog l : logs) {
            try {
                l.copyTruncateIfOver();
            } catch (IOException e) {
                log.accept("cannot rotate " + l.path() + ": " + e.getMessage());
            }
        }
    }

    /**
     * Copy-truncate rotation of one open log, named by its path, if it is over its size; nothing for a
     * file that is not an open log (a rotated one, a temporary copy).
     */
    public void rotateIfOver(Path file, Consumer<String> log) {
        JobLog l;
        synchronized (byPath) {
            l = byPath.get(file);
        }
        if (l == null) return;
        try {
            l.copyTruncateIfOver();
        } catch (IOException e) {
            log.accept("cannot rotate " + l.path() + ": " + e.getMessage());
        }
    }

    /**
     * The last {@code n} lines of an instance's log over its rotated files, oldest first ({@code n < 0}:
     * all of them); empty when there is no log.
     */
    public List<String> tail(String job, String instance, int n) throws IOException {
        return JobLog.tail(path(job, instance), keep, n);
    }

    /**
     * The last {@code n} lines (all with -1) of an instance's log in {@code dir}, read from the files alone,
     * with as many rotated files as are there: {@code ordo log} when no supervisor runs. Null when the job
     * has no log there.
     */
    public static List<String> tailOfFiles(Path dir, String job, String instance, int n) throws IOException {
        Path path = dir.resolve(fileName(job, instance));
        int rotated = 0;
        while (rotated < 1000 && Files.exists(JobLog.rotated(path, rotated + 1))) rotated++;
        if (rotated == 0 && !Files.exists(path)) return null;
        return JobLog.tail(path, rotated, n);
    }
}
