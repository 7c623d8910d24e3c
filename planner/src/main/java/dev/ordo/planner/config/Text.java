package dev.ordo.planner.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads configuration files as UTF-8, never failing on bad bytes (they become U+FFFD), and never hanging
 * or filling the heap: a FIFO, a device or a socket is refused before it is opened (reading a FIFO waits
 * for a writer for ever; /dev/zero never ends), and so is a file larger than {@link #MAX_BYTES}.
 */
public final class Text {

    /** Far above any real configuration file (the largest unit files are a few KiB), far below the heap. */
    public static final int MAX_BYTES = 16 << 20;

    private Text() {
    }

    /** The file's text; an IOException saying why not for anything but a regular file of sane size. */
    public static String read(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class); // through links, as open does
        if (a.isDirectory()) throw new IOException("a directory, not a file");
        if (!a.isRegularFile()) throw new IOException("not a regular file (a FIFO, device or socket): not read");
        if (a.size() > MAX_BYTES) throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB: not read");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // it may have grown since
        }
        if (bytes.length > MAX_BYTES) throw new IOException("larger than " + (MAX_BYTES >> 20) + " MiB: not read");
        return decode(bytes);
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
