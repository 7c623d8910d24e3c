package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code ordo log -f} for a job whose processes write their log file themselves (the supervisor hands
 * them the file, so it never sees the bytes go by): the file is read from where it ended when following
 * began, every {@link #PERIOD_MILLIS}, and each new whole line is handed on. A file that became shorter
 * was rotated or truncated: reading starts again at its beginning.
 *
 * <p>It reads at the follower's pace: at most {@link #MAX_READ} a turn, and nothing while the follower
 * has not taken in what it was given. The file is the buffer, so a slow reader of a chatty job is
 * slowed down, never cut off, and the supervisor holds no more for it than a turn's worth.
 */
final class LogFollower implements AutoCloseable {

    static final long PERIOD_MILLIS = 200;
    static final int MAX_READ = 256 * 1024;

    private final Path file;
    private final LineSplitter lines;
    private final BooleanSupplier backlogged;
    private final ScheduledFuture<?> task;
    private long position;
    private boolean closed;

    private LogFollower(Path file, Consumer<String> follower, BooleanSupplier backlogged,
                        ScheduledExecutorService scheduler) {
        this.file = file;
        this.lines = new LineSplitter(JobLog.MAX_LINE, follower);
        this.backlogged = backlogged;
        this.position = size();
        this.task = scheduler.scheduleWithFixedDelay(this::poll, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Follows {@code file} from its current end; {@code follower} is called on a scheduler thread, and not
     * while {@code backlogged} says it has not read what it was given.
     */
    static LogFollower start(Path file, Consumer<String> follower, BooleanSupplier backlogged,
                             ScheduledExecutorService scheduler) {
        return new LogFollower(file, follower, backlogged, scheduler);
    }

    private long size() {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private synchronized void poll() {
        if (closed || backlogged.getAsBoolean()) return;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < position) position = 0;
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long end = Math.min(size, position + MAX_READ);
            while (position < end) {
                buf.clear().limit((int) Math.min(buf.capacity(), end - position));
                int n = ch.read(buf, position);
                if (n <= 0) break;
                position += n;
                lines.write(buf.array(), 0, n);
            }
        } catch (NoSuchFileException e) {
            position = 0;
        } catch (IOException e) {
            // Try again next time: a log being rotated may be missing for a moment.
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        task.cancel(false);
    }
}
