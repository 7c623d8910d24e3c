package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Copy-truncate rotation of the job logs, looked at only when a job writes to one: the log directory is
 * watched (inotify on Linux, through {@link WatchService}), so an idle supervisor does not wake for it at
 * all. While jobs write, the logs written to are checked (one {@code fstat} each) at most once per
 * {@code gap}; writes in between only add to the same pending check. Where the directory cannot be
 * watched (no inotify instances left, another platform), every open log is checked every {@code gap}.
 */
final class LogWatch implements AutoCloseable {

    private final LogFiles logs;
    private final long gapMillis;
    private final Consumer<String> log;
    private final WatchService watcher;
    private final Thread thread;
    private final ScheduledFuture<?> polling;
    private volatile boolean closed;
    /** Check rounds so far (tests: none while nothing is written). */
    private volatile long rounds;

    private LogWatch(LogFiles logs, Duration gap, Consumer<String> log, ScheduledExecutorService fallback) {
        this.logs = logs;
        this.gapMillis = Math.max(1, gap.toMillis());
        this.log = log;
        WatchService w = null;
        try {
            w = logs.dir().getFileSystem().newWatchService();
            logs.dir().register(w, StandardWatchEventKinds.ENTRY_MODIFY);
        } catch (IOException | UnsupportedOperationException e) {
            log.accept("cannot watch " + logs.dir() + " (" + e.getMessage() + "); the logs' sizes are checked every "
                    + gapMillis + " ms instead");
            closeQuietly(w);
            w = null;
        }
        this.watcher = w;
        if (w != null) {
            thread = new Thread(this::run, "ordo-log-watch");
            thread.setDaemon(true);
            polling = null;
        } else {
            thread = null;
            polling = fallback.scheduleWithFixedDelay(this::checkAll, gapMillis, gapMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Starts watching {@code logs}' directory (which must exist).
     *
     * @param gap the least time between two checks of the same burst of writes
     * @param log where trouble is told
     * @param fallback runs the periodic check where the directory cannot be watched
     */
    static LogWatch start(LogFiles logs, Duration gap, Consumer<String> log, ScheduledExecutorService fallback) {
        LogWatch w = new LogWatch(logs, gap, log, fallback);
        if (w.thread != null) w.thread.start();
        return w;
    }

    /** Whether the directory is watched (false: the periodic fallback runs). */
    boolean watching() {
        return watcher != null;
    }

    long rounds() {
        return rounds;
    }

    private void run() {
        try {
            while (!closed) {
                WatchKey key = watcher.take();
                Set<Path> written = new TreeSet<>();
                boolean overflow = false;
                for (WatchEvent<?> e : key.pollEvents()) {
                    if (e.kind() == StandardWatchEventKinds.OVERFLOW) overflow = true;
                    else if (e.context() instanceof Path name) written.add(logs.dir().resolve(name));
                }
                // False only once the directory itself is gone, which inotify reports only when no log in it
                // is open any more (an open file pins its directory): then there is nothing left to rotate.
                key.reset();
                rounds++;
                if (overflow) {
                    checkAll();
                } else {
                    for (Path p : written) logs.rotateIfOver(p, log);
                }
                // While a job keeps writing, its events pile up on the key meanwhile and are taken as one.
                Thread.sleep(gapMillis);
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    private void checkAll() {
        rounds++;
        logs.rotateOpenLogs(log);
    }

    @Override
    public void close() {
        closed = true;
        if (polling != null) polling.cancel(false);
        closeQuietly(watcher);
        if (thread != null) thread.interrupt();
    }

    private static void closeQuietly(WatchService w) {
        if (w == null) return;
        try {
            w.close();
        } catch (IOException ignored) {
            // Nothing to do about it: the watch is over either way.
        }
    }
}
