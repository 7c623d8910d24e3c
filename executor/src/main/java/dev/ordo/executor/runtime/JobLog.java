package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * A file the supervisor appends records to and rotates by size: a job instance's log ({@code console: log}),
 * or {@code history.jsonl}. A record is a line with its newline, or a {@value #MAX_LINE}-byte piece of a longer
 * one ({@link LogStream} cuts them). A record is never split between two files, and the file is rotated before
 * a record that would take it past its size, so no file is ever larger than its size, unless it holds a single
 * record larger than the size (s6-log and svlogd also rotate between lines). Rotation renames: the file moves
 * to {@code .1}, {@code .1} to {@code .2}, ..., the oldest beyond the count is deleted; with a count of 0 the
 * file starts over. Thread-safe; shared by every process of an instance, and used by each while it runs.
 */
public final class JobLog {

    /** The longest record: longer lines are cut into pieces this long, in the file and for followers. */
    static final int MAX_LINE = 16 * 1024;

    private final Path path;
    private final long maxBytes;
    private final int keep;
    private final Consumer<String> trouble;
    private final List<Consumer<String>> followers;
    private final Runnable onClose;
    private final LineSplitter lines;
    /** Null while the file cannot be opened: records are dropped (and counted) until it can. */
    private FileChannel ch;
    private long size;
    /** Bytes dropped since the last failure was told; told again once writing works. */
    private long lost;
    private int users = 1;
    private boolean closed;

    /**
     * Opens {@code path} for appending, for one user ({@link #acquire} adds more, {@link #release} lets go).
     *
     * @param trouble where a failure to write or rotate is told (it must not block)
     * @param followers given every line written, on the writer's thread (they must not block); shared
     *     with whoever adds followers, under this object's lock
     * @param onClose run once the last user let go
     */
    JobLog(Path path, LogFiles.Rotation rotation, Consumer<String> trouble, List<Consumer<String>> followers,
           Runnable onClose) throws IOException {
        this.path = path;
        this.maxBytes = rotation.maxBytes();
        this.keep = rotation.keep();
        this.trouble = trouble;
        this.followers = followers;
        this.onClose = onClose;
        this.lines = new LineSplitter(MAX_LINE, line -> {
            for (Consumer<String> f : followers) f.accept(line);
        });
        open(false);
    }

    /** A file of its own, with no followers ({@code history.jsonl}). */
    JobLog(Path path, LogFiles.Rotation rotation, Consumer<String> trouble) throws IOException {
        this(path, rotation, trouble, new java.util.concurrent.CopyOnWriteArrayList<>(), () -> { });
    }

    private void open(boolean empty) throws IOException {
        // Never through a link planted in the logs directory (O_NOFOLLOW): job output goes to its own file.
        ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                LinkOption.NOFOLLOW_LINKS);
        if (empty) ch.truncate(0);
        size = ch.size();
    }

    public Path path() {
        return path;
    }

    /** One more user; false once the log has closed (open it afresh). */
    synchronized boolean acquire() {
        if (closed) return false;
        users++;
        return true;
    }

    /**
     * Appends records: {@code b[off, off + len)} is one or more whole records, each ending with a newline but
     * maybe the last (a piece of a long line, or an unfinished line the process left). A record that would
     * take a file that has any over its size goes to a new one; a new file takes at least one record.
     */
    public synchronized void append(byte[] b, int off, int len) {
        if (closed) return;
        int end = off + len;
        while (off < end) {
            long room = maxBytes - size;
            int n;
            if (end - off <= room) {
                n = end - off;
            } else {
                n = lastRecordEnd(b, off, (int) Math.min(end, off + Math.max(0, room))) - off;
                if (n == 0 && size == 0) n = firstRecordEnd(b, off, end) - off;
            }
            if (n > 0) {
                write(b, off, n);
                off += n;
            }
            if (off < end) rotate();
        }
    }

    private static int lastRecordEnd(byte[] b, int from, int to) {
        for (int i = to - 1; i >= from; i--) if (b[i] == '\n') return i + 1;
        return from;
    }

    private static int firstRecordEnd(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == '\n') return i + 1;
        return to;
    }

    private void write(byte[] b, int off, int n) {
        if (!followers.isEmpty()) lines.write(b, off, n);
        ByteBuffer buf = ByteBuffer.wrap(b, off, n);
        try {
            if (ch == null) open(false);
            while (buf.hasRemaining()) size += ch.write(buf);
            if (lost > 0) {
                trouble.accept(path + ": " + lost + " bytes of output lost while it could not be written");
                lost = 0;
            }
        } catch (IOException e) {
            // A full or broken disk is not the job's problem: the bytes are dropped, and the next write tries again.
            if (lost == 0) trouble.accept("cannot write " + path + ": " + e.getMessage() + "; its output is dropped until it can be");
            lost += buf.remaining();
            closeChannel();
        }
    }

    /**
     * Moves the file to {@code .1} (after {@code .1} to {@code .2}, ..., dropping {@code .N}) and starts a
     * new one. When that fails the file starts over, so that it stays within its size.
     */
    private void rotate() {
        closeChannel();
        boolean moved;
        try {
            if (keep == 0) {
                Files.deleteIfExists(path);
            } else {
                Files.deleteIfExists(rotated(path, keep));
                for (int i = keep - 1; i >= 1; i--) {
                    Path from = rotated(path, i);
                    if (Files.exists(from, LinkOption.NOFOLLOW_LINKS)) Files.move(from, rotated(path, i + 1), StandardCopyOption.ATOMIC_MOVE);
                }
                if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) Files.move(path, rotated(path, 1), StandardCopyOption.ATOMIC_MOVE);
            }
            moved = true;
        } catch (IOException e) {
            trouble.accept("cannot rotate " + path + ": " + e.getMessage() + "; it starts over");
            moved = false;
        }
        try {
            open(!moved);
        } catch (IOException e) {
            ch = null;
            size = 0;
        }
    }

    static Path rotated(Path p, int i) {
        return p.resolveSibling(p.getFileName() + "." + i);
    }

    /** Closes and opens the file again by name (SIGUSR1, after an outside log rotation). */
    public synchronized void reopen() throws IOException {
        if (closed) return;
        closeChannel();
        open(false);
    }

    private void closeChannel() {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // What was written is in the file; a failed close loses nothing more.
        }
        ch = null;
    }

    /**
     * Adds a follower to the shared list (the lines begin afresh when there was none); with {@code before},
     * the last lines of the files are given to it first, so that nothing written in between is missed or
     * given twice.
     */
    synchronized void follow(Consumer<String> follower, int before) throws IOException {
        if (before != 0) for (String l : tail(path, keep, before)) follower.accept(l);
        if (followers.isEmpty()) lines.reset();
        followers.add(follower);
    }

    /** The last {@code n} lines over the rotated files ({@code n < 0}: all), read while nothing is written. */
    synchronized List<String> tail(int n) throws IOException {
        return tail(path, keep, n);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** One user less; the last closes the file. */
    public void release() {
        synchronized (this) {
            if (closed || --users > 0) return;
            closed = true;
            closeChannel();
        }
        onClose.run();
    }

    /**
     * The last {@code n} lines ({@code n < 0}: all) of {@code path} and its rotated files {@code .keep} ...
     * {@code .1}, oldest first. One line split between two files (a process paused in the middle of it at a
     * rotation) is read whole.
     */
    static List<String> tail(Path path, int keep, int n) throws IOException {
        Deque<String> out = new ArrayDeque<>();
        LineSplitter s = new LineSplitter(MAX_LINE, line -> {
            out.addLast(line);
            if (n >= 0 && out.size() > n) out.removeFirst();
        });
        for (int i = keep; i >= 0; i--) {
            Path f = i == 0 ? path : rotated(path, i);
            if (!Files.exists(f)) continue;
            byte[] b = Files.readAllBytes(f);
            s.write(b, 0, b.length);
        }
        s.flush();
        return new ArrayList<>(out);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
