package dev.ordo.executor.runtime;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code history.jsonl}: one line per start duration, the input of {@code ordo plan --learned}
 * (docs/plan-format.md): {@code {"job":"dbus","instance":"","seconds":0.31,"at":"…","result":"ok"}}.
 */
public final class HistoryLog {

    private final Path file;

    public HistoryLog(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** Lines added and not yet written (see {@link #add}). */
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /**
     * Appends one record now.
     *
     * @param seconds from leaving {@code starting} to up (running and ready; a task: done), ≥ 0
     * @param at when the job came up
     * @param result {@code ok}, or how the start ended otherwise (kept for people)
     */
    public synchronized void append(String job, String instance, double seconds, Instant at, String result)
            throws IOException {
        add(job, instance, seconds, at, result);
        flush();
    }

    /**
     * Adds one record to those written by the next {@link #flush}: the supervisor adds while a burst of
     * starts is handled and writes them all at once when its loop is idle.
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
        pending.writeBytes(b.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, b);
        b.append('"');
    }

    /** Writes the records added so far; on failure they are dropped (the history is advice, not a record of truth). */
    public synchronized void flush() throws IOException {
        if (pending.size() == 0) return;
        ByteBuffer b = ByteBuffer.wrap(pending.toByteArray());
        pending.reset();
        // One write with O_APPEND: the lines land whole at the end, whoever else appends.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (b.hasRemaining()) ch.write(b);
        }
    }
}
