package dev.ordo.executor.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A file that is only ever replaced whole: written to a temporary file beside it, flushed to the disk,
 * then renamed over it. A reader sees the old content or the new, never a part, even after a power cut.
 */
public final class StateFile {

    private final Path file;
    private final Path temp;

    public StateFile(Path file) {
        this.file = file;
        // One writer per state directory (the lock), so one fixed temporary name is enough.
        this.temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    }

    public Path path() {
        return file;
    }

    /** Replaces the file with {@code content}. */
    public synchronized void write(byte[] content) throws IOException {
        // Made anew, never through a link someone planted under the temporary name.
        Files.deleteIfExists(temp);
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.deleteIfExists(temp);
            throw new IOException("cannot replace " + file + " atomically: " + e.getMessage(), e);
        }
        syncDirectory();
    }

    /** Replaces the file with {@code state}'s JSON form. */
    public void write(SupervisorState state) throws IOException {
        write(state.toJson());
    }

    /** Far above the state of thousands of jobs, far below the heap. */
    static final int MAX_BYTES = 64 << 20;

    /**
     * The state in the file, or null when there is none. Only a regular file is read, and not through a
     * link: a state.json that is a link to /dev/zero would never end (it ran the loop out of memory).
     */
    public SupervisorState read() throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (!a.isRegularFile()) throw new IOException(file + " is not a regular file (a link, FIFO or device): not read");
        if (a.size() > MAX_BYTES) throw new IOException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB: not read");
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        if (bytes.length > MAX_BYTES) throw new IOException(file + " is larger than " + (MAX_BYTES >> 20) + " MiB: not read");
        return SupervisorState.parse(bytes);
    }

    // The rename is only durable once the directory is; Linux lets a directory be opened and fsynced.
    private void syncDirectory() {
        Path dir = file.toAbsolutePath().getParent();
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // Some file systems refuse; the data is written and renamed, only its durability is weaker.
        }
    }
}
