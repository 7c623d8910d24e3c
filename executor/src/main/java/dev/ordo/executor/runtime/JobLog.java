package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One job instance's log file ({@code console: log}): output appended as it comes, rotated by size, and
 * handed line by line to whoever follows it ({@code ordo log -f}). Thread-safe.
 */
public final class JobLog implements OutputSink {

    /** Followers get lines of at most this many bytes; longer ones come in pieces. */
    static final int MAX_LINE = 16 * 1024;

    private final Path path;
    private final long maxBytes;
    private final int keep;
    private final Runnable onClose;
    private final List<Consumer<String>> followers = new CopyOnWriteArrayList<>();
    private final LineSplitter lines;
    private FileChannel ch;
    private long size;
    private boolean closed;

    JobLog(Path path, long maxBytes, int keep, Runnable onClose) throws IOException {
        this.path = path;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.onClose = onClose;
        this.lines = new LineSplitter(MAX_LINE, line -> {
            for (Consumer<String> f : followers) f.accept(line);
        });
        open();
    }

    private void open() throws IOException {
        // Never through a link planted in the logs directory (O_NOFOLLOW): job output goes to its own file.
        ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND,
                java.nio.file.LinkOption.NOFOLLOW_LINKS);
        size = ch.size();
    }

    public Path path() {
        return path;
    }

    /**
     * Appends output. A write that would take the file over its size moves it to {@code .1} first (and
     * {@code .1} to {@code .2}, …). A failing disk is not the job's problem: the bytes are dropped and the
     * next write tries again.
     */
    @Override
    public void write(byte[] b, int off, int len) {
        synchronized (this) {
            if (closed) return;
            try {
                if (size > 0 && size + len > maxBytes) rotate();
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) size += ch.write(buf);
            } catch (IOException e) {
                reopenQuietly();
            }
            lines.write(b, off, len);
        }
    }

    /** Rotates now if the file is over its size (for a process layer that hands the file to a child itself). */
    public synchronized void rotateIfOver() throws IOException {
        if (closed) return;
        // The children append to the file behind this object's back: the file, not our count, has the size.
        size = ch.size();
        if (size >= maxBytes) rotate();
    }

    /**
     * Rotates a file that children are appending to right now, if it is over its size: copies it to
     * {@code .1} (after moving {@code .1} to {@code .2}, …) and truncates it to nothing. The children's
     * {@code O_APPEND} writes go on at the new end, so nobody has to reopen anything; what they write
     * between the copy and the truncation is lost. One {@code fstat} when the file is under its size.
     *
     * @return whether it rotated
     */
    public synchronized boolean copyTruncateIfOver() throws IOException {
        if (closed) return false;
        size = ch.size();
        if (size < maxBytes) return false;
        if (keep > 0) {
            shiftRotated();
            Path tmp = path.resolveSibling(path.getFileName() + ".1.tmp");
            // Copied under another name first: .1 is never half written for a reader (ordo log).
            try (FileChannel from = FileChannel.open(path, StandardOpenOption.READ);
                 FileChannel to = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         StandardOpenOption.TRUNCATE_EXISTING)) {
                long n = from.size();
                long at = 0;
                while (at < n) {
                    long k = from.transferTo(at, n - at, to);
                    if (k <= 0) break;
                    at += k;
                }
            }
            Files.move(tmp, rotated(path, 1), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        ch.truncate(0);
        size = 0;
        return true;
    }

    /** Drops {@code .N} and moves {@code .N-1} … {@code .1} one up, leaving no {@code .1}. */
    private void shiftRotated() throws IOException {
        Files.deleteIfExists(rotated(path, keep));
        for (int i = keep - 1; i >= 1; i--) {
            Path from = rotated(path, i);
            if (Files.exists(from)) Files.move(from, rotated(path, i + 1), StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private void rotate() throws IOException {
        ch.close();
        if (keep == 0) {
            Files.deleteIfExists(path);
        } else {
            shiftRotated();
            if (Files.exists(path)) Files.move(path, rotated(path, 1), StandardCopyOption.ATOMIC_MOVE);
        }
        open();
    }

    static Path rotated(Path p, int i) {
        return p.resolveSibling(p.getFileName() + "." + i);
    }

    /** Closes and opens the file again by name (SIGUSR1, after an outside log rotation). */
    public synchronized void reopen() throws IOException {
        if (closed) return;
        ch.close();
        open();
    }

    private void reopenQuietly() {
        try {
            reopen();
        } catch (IOException ignored) {
            // Still broken: the next write tries again.
        }
    }

    /**
     * Gives every line written from now on to {@code follower}, on the writer's thread (so it must not
     * block). Closing the result stops it.
     */
    public AutoCloseable follow(Consumer<String> follower) {
        followers.add(follower);
        return () -> followers.remove(follower);
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Gives out a last partial line and closes the file. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) return;
            lines.flush();
            closed = true;
            try {
                ch.close();
            } catch (IOException ignored) {
                // Nothing is lost that a close could save.
            }
        }
        followers.clear();
        onClose.run();
    }

    static List<String> tail(Path path, int keep, int n) throws IOException {
        Deque<String> out = new ArrayDeque<>();
        List<Path> files = new ArrayList<>();
        for (int i = keep; i >= 1; i--) files.add(rotated(path, i));
        files.add(path);
        for (Path f : files) {
            if (!Files.exists(f)) continue;
            LineSplitter s = new LineSplitter(MAX_LINE, line -> {
                out.addLast(line);
                if (n >= 0 && out.size() > n) out.removeFirst();
            });
            byte[] b = Files.readAllBytes(f);
            s.write(b, 0, b.length);
            s.flush();
        }
        return new ArrayList<>(out);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
