package dev.ordo.executor.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code history.jsonl}: one line per start duration, the input of {@code ordo plan --learned}
 * (docs/plan-format.md): {@code {"job":"dbus","instance":"","seconds":0.31,"at":"…","result":"ok"}}.
 */
public final class HistoryLog {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final Path file;

    public HistoryLog(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /**
     * Appends one record.
     *
     * @param seconds from leaving {@code starting} to up (running and ready; a task: done), ≥ 0
     * @param at when the job came up
     * @param result {@code ok}, or how the start ended otherwise (kept for people)
     */
    public synchronized void append(String job, String instance, double seconds, Instant at, String result)
            throws IOException {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) throw new IllegalArgumentException("seconds: " + seconds);
        ByteArrayOutputStream out = new ByteArrayOutputStream(96);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("job", job);
            g.writeStringField("instance", instance == null ? "" : instance);
            g.writeNumberField("seconds", Math.round(seconds * 1000) / 1000.0);
            g.writeStringField("at", at.truncatedTo(ChronoUnit.MILLIS).toString());
            if (result != null) g.writeStringField("result", result);
            g.writeEndObject();
        }
        out.write('\n');
        // One write with O_APPEND: the line lands whole at the end, whoever else appends.
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer b = ByteBuffer.wrap(out.toByteArray());
            while (b.hasRemaining()) ch.write(b);
        }
    }
}
