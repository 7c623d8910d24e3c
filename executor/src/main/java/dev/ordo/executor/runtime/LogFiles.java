package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The job logs of a state directory ({@code STATE/logs}): {@code JOB.log}, or {@code JOB-INSTANCE.log} for an
 * instance (a {@code /} in either becomes {@code _}), each rotated by size to {@code .1} … {@code .N}. The
 * supervisor writes them itself, from its end of each process's output pipe ({@link LogStream}); who follows a
 * log ({@code ordo log -f}) is kept here, so that it goes on across the instance's restarts.
 */
public final class LogFiles {

    /** 1 MiB per file, 5 rotated files kept. */
    public static final long DEFAULT_MAX_BYTES = 1 << 20;
    public static final int DEFAULT_KEEP = 5;

    /**
     * How the supervisor rotates the files it appends to (job logs, {@code history.jsonl}): before a line that
     * would take a file past {@code maxBytes}.
     *
     * @param maxBytes the size no file passes (unless one line alone is longer)
     * @param keep how many rotated files are kept ({@code 0}: the file starts over instead)
     */
    public record Rotation(long maxBytes, int keep) {
        /** 1 MiB, 5 files. */
        public static final Rotation DEFAULT = new Rotation(DEFAULT_MAX_BYTES, DEFAULT_KEEP);

        public Rotation {
            if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be ≥ 1");
            if (keep < 0) throw new IllegalArgumentException("keep must be ≥ 0");
        }
    }

    private final Path dir;
    private final Rotation rotation;
    private final Consumer<String> trouble;
    /** The open logs; guards opening and closing, and is taken before a log's own lock. */
    private final Map<Path, JobLog> byPath = new TreeMap<>();
    private final Map<Path, List<Consumer<String>>> followers = new ConcurrentHashMap<>();

    /** @param trouble where a failure to write or rotate a log is told (it must not block) */
    public LogFiles(Path dir, Rotation rotation, Consumer<String> trouble) {
        this.dir = dir;
        this.rotation = rotation;
        this.trouble = trouble;
    }

    public LogFiles(Path dir, long maxBytes, int keep) {
        this(dir, new Rotation(maxBytes, keep), m -> { });
    }

    public LogFiles(Path dir) {
        this(dir, Rotation.DEFAULT, m -> { });
    }

    public Path dir() {
        return dir;
    }

    public Rotation rotation() {
        return rotation;
    }

    /** The log file's name for an instance ({@code ""} for a singleton). */
    public static String fileName(String job, String instance) {
        String name = instance == null || instance.isEmpty() ? job : job + "-" + instance;
        return name.replace('/', '_').replace('\0', '_') + ".log";
    }

    public Path path(String job, String instance) {
        return dir.resolve(fileName(job, instance));
    }

    private List<Consumer<String>> followersOf(Path p) {
        return followers.computeIfAbsent(p, k -> new CopyOnWriteArrayList<>());
    }

    /**
     * The log of an instance, opened for appending, for one more user who must {@link JobLog#release} it:
     * the same object while any process of the instance writes to it.
     */
    public JobLog open(String job, String instance) throws IOException {
        Path p = path(job, instance);
        synchronized (byPath) {
            JobLog l = byPath.get(p);
            if (l != null && l.acquire()) return l;
            l = new JobLog(p, rotation, trouble, followersOf(p), () -> forget(p));
            byPath.put(p, l);
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
     * The last {@code n} lines of an instance's log over its rotated files, oldest first ({@code n < 0}:
     * all of them); empty when there is no log.
     */
    public List<String> tail(String job, String instance, int n) throws IOException {
        Path p = path(job, instance);
        synchronized (byPath) {
            JobLog l = byPath.get(p);
            return l != null ? l.tail(n) : JobLog.tail(p, rotation.keep(), n);
        }
    }

    /**
     * {@code ordo log -f}: gives {@code follower} the last {@code before} lines of an instance's log (all with
     * -1), then every line written from now on, across rotations and restarts, on the output pipes' thread
     * (it must not block). Running the result stops it.
     */
    public Runnable follow(String job, String instance, int before, Consumer<String> follower) throws IOException {
        Path p = path(job, instance);
        List<Consumer<String>> list = followersOf(p);
        synchronized (byPath) {
            JobLog l = byPath.get(p);
            if (l != null) {
                l.follow(follower, before);
            } else {
                // Nothing writes while no log is open: opening one needs this lock.
                if (before != 0) for (String line : JobLog.tail(p, rotation.keep(), before)) follower.accept(line);
                list.add(follower);
            }
        }
        return () -> list.remove(follower);
    }

    /**
     * The last {@code n} lines (all with -1) of an instance's log in {@code dir}, read from the files alone,
     * with as many rotated files as are there: {@code ordo log} when no supervisor runs. Null when the job
     * has no log there.
     */
    public static List<String> tailOfFiles(Path dir, String job, String instance, int n) throws IOException {
        Path path = dir.resolve(fileName(job, instance));
        int rotated = rotatedCount(path);
        if (rotated == 0 && !Files.exists(path)) return null;
        return JobLog.tail(path, rotated, n);
    }

    /** How many rotated files {@code path.1}, {@code path.2}, ... follow each other without a gap. */
    public static int rotatedCount(Path path) {
        int rotated = 0;
        while (rotated < 1000 && Files.exists(JobLog.rotated(path, rotated + 1))) rotated++;
        return rotated;
    }
}
