package dev.ordo.executor.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A file that is only ever replaced whole: written to a temporary file beside it, flushed to the disk,
 * then renamed over it. A reader sees the old content or the new, never a part, even after a power cut.
 * The content it replaces is kept as the previous good copy ({@code state.json.prev}), which a reader
 * falls back to when the newest cannot be read (damaged on the disk, truncated, removed).
 */
public final class StateFile {

    private final Path file;
    private final Path temp;
    private final Path previous;
    private final Path previousTemp;

    public StateFile(Path file) {
        this.file = file;
        // One writer per state directory (the lock), so one fixed temporary name is enough.
        this.temp = file.resolveSibling("." + file.getFileName() + ".tmp");
        this.previous = file.resolveSibling(file.getFileName() + ".prev");
        this.previousTemp = file.resolveSibling("." + file.getFileName() + ".prev.tmp");
    }

    public Path path() {
        return file;
    }

    /** The previous good copy: what the file said before its last replacement. */
    public Path previous() {
        return previous;
    }

    /** Nobody else's business, and a mode StateFiles#trust accepts whatever the umask. */
    private static final Set<OpenOption> CREATE = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS);

    /** Replaces the file with {@code content}; the content replaced becomes the previous good copy. */
    public synchronized void write(byte[] content) throws IOException {
        // Made anew, never through a link someone planted under the temporary name.
        Files.deleteIfExists(temp);
        try (FileChannel ch = FileChannel.open(temp, CREATE,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer b = ByteBuffer.wrap(content);
            while (b.hasRemaining()) ch.write(b);
            ch.force(true);
        }
        try {
            // The content about to be replaced stays as the previous copy: a second name for it, renamed into
            // place, so that state.json itself is never missing, not even for a moment.
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(previousTemp);
                Files.createLink(previousTemp, file);
                Files.move(previousTemp, previous, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
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
        return read(file);
    }

    /**
     * What a supervisor starting after a crash goes by: the newest state that can be read (the file, else
     * its previous good copy), and why each one passed over could not be.
     *
     * @param state null when neither could be read (or there is none)
     * @param from the file it came from, or null
     */
    public record Recovered(SupervisorState state, Path from, List<String> passedOver) {
    }

    /** The newest readable state ({@link Recovered}); never throws for a file that cannot be read. */
    public Recovered recover() {
        List<String> trouble = new ArrayList<>();
        for (Path p : List.of(file, previous)) {
            try {
                SupervisorState s = read(p);
                if (s != null) return new Recovered(s, p, trouble);
            } catch (IOException | IllegalArgumentException e) {
                trouble.add("cannot read " + p + ": " + e.getMessage());
            }
        }
        return new Recovered(null, null, trouble);
    }

    private static SupervisorState read(Path file) throws IOException {
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
