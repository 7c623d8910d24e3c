package dev.ordo.executor.runtime;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * {@code history.jsonl}: one line per start duration, the input of {@code ordo plan --learned}
 * (docs/plan-format.md): {@code {"job":"dbus","instance":"","seconds":0.31,"at":"…","result":"ok"}}. Rotated as
 * the job logs are ({@code --log-size}, {@code --log-keep}), so a crash loop cannot fill the disk with it; and
 * written by a thread of its own, so a slow disk never holds up the supervisor's loop: records wait for it in a
 * bounded buffer, and what does not fit is dropped and counted.
 */
public final class HistoryLog implements AutoCloseable {

    /** Records waiting for the disk take at most this many bytes (some ten thousand records). */
    static final int MAX_PENDING = 1 << 20;

    private final Path path;
    private final LogFiles.Rotation rotation;
    /** Opened by the writer at its first record: a supervisor that started nothing leaves no file. */
    private JobLog file;
    private final Consumer<String> trouble;
    private final int maxPending;
    private final Thread thread;
    /** Lines added and not yet handed to the writer (see {@link #add}). */
    private ByteArrayOutputStream pending = new ByteArrayOutputStream();
    /** Handed to the writer by {@link #flush} and not yet written. */
    private ByteArrayOutputStream ready;
    private long dropped;
    private boolean writing;
    private boolean closed;

    /** @param trouble where failures and dropped records are told (it must not block) */
    public HistoryLog(Path file, LogFiles.Rotation rotation, Consumer<String> trouble) {
        this(file, rotation, null, trouble, MAX_PENDING);
    }

    /** Rotated by default, failures unsaid (tests). */
    HistoryLog(Path file) {
        this(file, LogFiles.Rotation.DEFAULT, null, m -> { }, MAX_PENDING);
    }

    /** Into {@code file}, already open (tests: a file whose disk stalls). */
    HistoryLog(JobLog file, Consumer<String> trouble, int maxPending) {
        this(file.path(), LogFiles.Rotation.DEFAULT, file, trouble, maxPending);
    }

    private HistoryLog(Path path, LogFiles.Rotation rotation, JobLog file, Consumer<String> trouble, int maxPending) {
        this.path = path;
        this.rotation = rotation;
        this.file = file;
        this.trouble = trouble;
        this.maxPending = maxPending;
        this.thread = new Thread(this::run, "ordo-history");
        thread.setDaemon(true);
        thread.start();
    }

    public Path path() {
        return path;
    }

    /**
     * Adds one record to those written after the next {@link #flush}: the supervisor adds while a burst of
     * starts is handled and hands them all over at once when its loop is idle.
     *
     * @param seconds from leaving {@code starting} to up (running and ready; a task: done), ≥ 0
     * @param at when the job came up
     * @param result {@code ok}, or how the start ended otherwise (kept for people)
     */
    public synchronized void add(String job, String instance, double seconds, Instant at, String result) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) throw new IllegalArgumentException("seconds: " + seconds);
        // By hand, as a JsonGenerator writes it (the test compares the two): a generator per line was a
        // visible part of a boot's CPU. Double.toString is what the generator uses for a double.
        StringBuilder b = new StringBuilder(112);
        b.append("{\"job\":");
        quote(b, job);
        b.append(",\"instance\":");
        quote(b, instance == null ? "" : instance);
        b.append(",\"seconds\":").append(Double.toString(Math.round(seconds * 1000) / 1000.0));
        b.append(",\"at\":\"").append(at.truncatedTo(ChronoUnit.MILLIS)).append('"');
        if (result != null) {
            b.append(",\"result\":");
            quote(b, result);
        }
        b.append("}\n");
        byte[] line = b.toString().getBytes(StandardCharsets.UTF_8);
        int waiting = pending.size() + (ready == null ? 0 : ready.size());
        if (closed || waiting + line.length > maxPending) {
            dropped++;
            return;
        }
        pending.writeBytes(line);
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }

    /** Hands the records added so far to the writer, without waiting for the disk. */
    public synchronized void flush() {
        if (pending.size() == 0 && dropped == 0) return;
        if (ready == null) {
            ready = pending;
            pending = new ByteArrayOutputStream();
        } else {
            ready.writeBytes(pending.toByteArray());
            pending.reset();
        }
        notifyAll();
    }

    private void run() {
        while (true) {
            ByteArrayOutputStream batch;
            long lost;
            synchronized (this) {
                while (ready == null && dropped == 0 && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only close() ends this thread, after the last write
                    }
                }
                if (ready == null && dropped == 0) return;
                batch = ready;
                ready = null;
                lost = dropped;
                dropped = 0;
                writing = true;
            }
            // One append of whole lines: they land whole, and a rotation falls between two of them.
            if (batch != null && batch.size() > 0 && opened()) file.append(batch.toByteArray(), 0, batch.size());
            if (lost > 0) trouble.accept(path() + ": " + lost + " start records lost: the disk did not take them in time");
            synchronized (this) {
                writing = false;
                notifyAll();
            }
        }
    }

    private boolean opened() {
        if (file != null) return true;
        try {
            file = new JobLog(path, rotation, trouble);
            return true;
        } catch (IOException e) {
            trouble.accept("cannot append to " + path + ": " + e.getMessage());
            return false;
        }
    }

    /** Hands the records over and waits until they are written (tests). */
    void flushAndWait() throws InterruptedException {
        flush();
        await(10_000);
    }

    /** Waits at most {@code millis} until every record handed over so far is written. */
    synchronized boolean await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (ready != null || writing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Hands over what is left, waits at most {@code millis} for it to be written, and lets the file go. */
    public void close(long millis) {
        flush();
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!thread.isAlive() && file != null) file.release();
    }

    @Override
    public void close() {
        close(5000);
    }
}
