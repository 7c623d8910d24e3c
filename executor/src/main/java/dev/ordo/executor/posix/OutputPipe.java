package dev.ordo.executor.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A pipe for a process's output: the write end goes to the child as its stdout and stderr
 * ({@code Stdio.fd(pipe.writeEnd())}), the read end stays with the supervisor, which reads it through
 * {@link OutputPipes}. Both ends are close-on-exec, so no other child inherits them (the spawn recipe also
 * closes every fd above 2). The supervisor must {@link #closeWriteEnd} once the child is started, or the
 * pipe never ends.
 *
 * <p>The read end is closed by {@link #close}, which only the reading thread calls once the output has
 * ended, so no other thread ever closes an fd that is being read.
 */
public final class OutputPipe implements AutoCloseable {

    private final int readEnd;
    private int writeEnd;
    private boolean closed;

    private OutputPipe(int readEnd, int writeEnd) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
    }

    /** A new pipe; fails when the supervisor is out of descriptors. */
    public static OutputPipe open() throws IOException {
        int[] fds = new int[2];
        if (Sys.C.pipe2(fds, Sys.O_CLOEXEC) != 0) throw new IOException("pipe2: " + Sys.describe(Sys.errno()));
        return new OutputPipe(fds[0], fds[1]);
    }

    /**
     * A new read end of the pipe that is process {@code pid}'s stdout, or null when its stdout is not a pipe
     * (or cannot be opened). After a crash, the output pipes of the processes a new supervisor adopts have lost
     * their reader; opening {@code /proc/PID/fd/1} gives the same pipe a reader again, so what they write goes
     * on reaching their log (what they wrote while no supervisor ran got them SIGPIPE, as with any pipe).
     */
    public static OutputPipe ofStdout(int pid) {
        Path fd = Path.of("/proc", Integer.toString(pid), "fd", "1");
        try {
            if (!Files.readSymbolicLink(fd).toString().startsWith("pipe:")) return null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
        // Non-blocking: opening a pipe's read end waits for a writer, and the process may have just ended.
        int r = Sys.C.open(fd.toString(), Sys.O_RDONLY | Sys.O_CLOEXEC | Sys.O_NONBLOCK, 0);
        return r < 0 ? null : new OutputPipe(r, -1);
    }

    /** The descriptor to give the child as fds 1 and 2; -1 once closed. */
    public synchronized int writeEnd() {
        return writeEnd;
    }

    int readEnd() {
        return readEnd;
    }

    /** The supervisor's copy of the write end: closed once the child has its own. */
    public synchronized void closeWriteEnd() {
        if (writeEnd >= 0) Sys.C.close(writeEnd);
        writeEnd = -1;
    }

    @Override
    public synchronized void close() {
        closeWriteEnd();
        if (!closed) Sys.C.close(readEnd);
        closed = true;
    }
}
