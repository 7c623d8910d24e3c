package dev.ordo.executor.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines. A line longer than {@code maxLine} bytes is given out in pieces, so a
 * job that never prints a newline cannot make the supervisor hold on to all of it. Bytes are decoded as
 * UTF-8 only when a line is whole, so a character split between two reads stays whole. As a sink, it gives
 * a process's output line by line (to the console, to a log probe); closing it gives out a last unfinished line.
 */
final class LineSplitter implements OutputSink {

    private final int maxLine;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineSplitter(int maxLine, Consumer<String> lines) {
        this.maxLine = maxLine;
        this.lines = lines;
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end) {
            // Up to the next newline, or as much as the line may still take: copied in one piece.
            int stop = Math.min(end, i + (maxLine - partial.size()));
            int nl = i;
            while (nl < stop && b[nl] != '\n') nl++;
            partial.write(b, i, nl - i);
            if (nl < stop) {
                emit();
                i = nl + 1;
            } else {
                i = stop;
                if (partial.size() >= maxLine) emit();
            }
        }
    }

    synchronized void flush() {
        if (partial.size() > 0) emit();
    }

    @Override
    public void close() {
        flush();
    }

    /** Forgets an unfinished line (a new reader starts at the next one). */
    synchronized void reset() {
        partial.reset();
    }

    private void emit() {
        int n = partial.size();
        byte[] b = partial.toByteArray();
        if (n > 0 && b[n - 1] == '\r') n--;
        partial.reset();
        lines.accept(new String(b, 0, n, StandardCharsets.UTF_8));
    }
}
