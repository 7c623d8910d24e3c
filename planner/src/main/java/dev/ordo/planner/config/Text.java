package dev.ordo.planner.config;

import java.io.IOException;
import java.io.InputStream;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.diag.Source;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.function.Consumer;

/**
 * Reads configuration files as UTF-8, never failing on bad bytes (they become U+FFFD, and the first of them is
 * reported with its position), and never hanging or filling the heap: a FIFO, a device or a socket is refused
 * before it is opened (reading a FIFO waits for a writer for ever; /dev/zero never ends), and so is a file larger
 * than {@link #MAX_BYTES} or with a line longer than {@link #MAX_LINE}.
 */
public final class Text {

    /** Far above any real configuration file (the largest unit files are a few KiB), far below the heap. */
    public static final int MAX_BYTES = 16 << 20;

    /** systemd's LONG_LINE_MAX: no configuration has a longer line, and one is where a parser turns quadratic. */
    public static final int MAX_LINE = 1 << 20;

    private Text() {
    }

    /**
     * The file's text, as {@link #read(Path)}, with bytes that are not UTF-8 reported to {@code report} (a warning,
     * ORD001, at the first of them: a file in Latin-1 is read, but not as written) and a line over {@link #MAX_LINE}
     * refused.
     */
    public static String read(Path file, String display, Consumer<Diagnostic> report) throws IOException {
        return decode(bytes(file), display, report);
    }

    /** {@code bytes} as text, checked as {@link #read(Path, String, Consumer)} says. */
    public static String decode(byte[] bytes, String display, Consumer<Diagnostic> report) throws IOException {
        int line = 1;
        int start = 0;
        for (int i = 0; i <= bytes.length; i++) {
            if (i < bytes.length && bytes[i] != '\n') continue;
            if (i - start > MAX_LINE) throw new IOException("line " + line + " is longer than " + (MAX_LINE >> 20) + " MiB: not read");
            line++;
            start = i + 1;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CoderResult r = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(in, CharBuffer.allocate(bytes.length), true);
        if (r.isError()) {
            int at = in.position();
            int l = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (bytes[i] == '\n') {
                    l++;
                    lineStart = i + 1;
                }
            }
            report.accept(Diagnostic.of(Code.UNREADABLE, new Source(display, l, at - lineStart + 1),
                    "not valid UTF-8 (byte 0x" + String.format("%02x", bytes[at] & 0xff) + "): read with U+FFFD in place of"
                            + " what is not", "save the file as UTF-8 (iconv -f latin1 -t utf-8)").withSeverity(Severity.WARNING));
        }
        return decode(bytes);
    }

    /** The file's text; an IOException saying why not for anything but a regular file of sane size. */
    public static String read(Path file) throws IOException {
        return decode(bytes(file));
    }

    private static byte[] bytes(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class); // through links, as open does
        if (a.isDirectory()) throw new IOException("a directory, not a file");
        if (!a.isRegularFile()) throw new IOException("not a regular file (a FIFO, device or socket): not read");
        if (a.size() > MAX_BYTES) throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB: not read");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // it may have grown since
        }
        if (bytes.length > MAX_BYTES) throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB: not read");
        return bytes;
    }

    public static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e); // cannot happen with REPLACE
        }
    }
}
