package dev.ordo.executor.runtime;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into lines. A line longer than {@code maxLine} bytes is given out in pieces, so a
 * job that never prints a newline cannot make the supervisor hold on to all of it. Bytes are decoded as
 * UTF-8 only when a line is whole, so a character split between two reads stays whole.
 */
final class LineSplitter {

    private final int maxLine;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    LineSplitter(int maxLine, Consumer<String> lines) {
        this.maxLine = maxLine;
        this.lines = lines;
    }

    void write(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                emit();
            } else {
                partial.write(b[i]);
                if (partial.size() >= maxLine) emit();
            }
        }
    }

    void flush() {
        if (partial.size() > 0) emit();
    }

    private void emit() {
        int n = partial.size();
        byte[] b = partial.toByteArray();
        if (n > 0 && b[n - 1] == '\r') n--;
        partial.reset();
        lines.accept(new String(b, 0, n, StandardCharsets.UTF_8));
    }
}
