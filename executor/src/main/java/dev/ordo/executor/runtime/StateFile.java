package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

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
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
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

    /** The state in the file, or null when there is none. */
    public SupervisorState read() throws IOException {
        if (!Files.exists(file)) return null;
        return SupervisorState.parse(Files.readAllBytes(file));
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
