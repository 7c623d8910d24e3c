package dev.ordo.executor.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The one supervisor of a state directory: a lock on {@code STATE/lock} (a POSIX record lock, which the
 * kernel drops when the holder dies, so a crash leaves nothing stale), and the holder's pid inside it so
 * that a second {@code ordo run} can say who is there.
 */
public final class SupervisorLock implements AutoCloseable {

    /** Another supervisor holds the state directory. */
    public static final class InUse extends IOException {
        private final long pid;

        InUse(Path dir, long pid) {
            super(dir + " is in use by ordo run (pid " + (pid > 0 ? Long.toString(pid) : "unknown") + ")");
            this.pid = pid;
        }

        /** The holder's pid, or -1 if it has not written it yet. */
        public long pid() {
            return pid;
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private SupervisorLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock of {@code files} (whose directory must exist) and writes this process's pid into it.
     *
     * @throws InUse when another supervisor (in this process or another) holds it
     */
    public static SupervisorLock acquire(StateFiles files) throws IOException {
        FileChannel ch = FileChannel.open(files.lock(), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        if (lock == null) {
            long pid = readPid(ch);
            ch.close();
            throw new InUse(files.dir(), pid);
        }
        try {
            ch.truncate(0);
            ByteBuffer b = ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII));
            while (b.hasRemaining()) ch.write(b, b.position());
            ch.force(true);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new SupervisorLock(ch, lock);
    }

    private static long readPid(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).trim();
            return s.isEmpty() ? -1 : Long.parseLong(s);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Lets go of the state directory. The pid stays in the file; it means nothing without the lock. */
    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
