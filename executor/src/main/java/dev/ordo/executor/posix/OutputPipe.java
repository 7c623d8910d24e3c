package dev.ordo.executor.posix;

import jnr.ffi.Pointer;

/**
 * A pipe for a process's output: the write end goes to the child as its stdout and stderr
 * ({@code Stdio.fd(pipe.writeEnd())}), the read end stays with the supervisor. Both ends are close-on-exec,
 * so no other child inherits them (the spawn recipe also closes every fd above 2). The supervisor must
 * {@link #closeWriteEnd} once the child is started, or {@link #read} never sees the end of the output.
 *
 * <p>One thread reads; {@link #read} blocks. The read end is closed by {@link #close}, which the reading
 * thread calls after the end of the output, so no other thread ever closes an fd that is being read.
 */
public final class OutputPipe implements AutoCloseable {

    private static final int BUFFER = 8192;

    private final int readEnd;
    private int writeEnd;
    private boolean closed;
    private Pointer buffer;

    private OutputPipe(int readEnd, int writeEnd) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
    }

    /** A new pipe; fails when the supervisor is out of descriptors. */
    public static OutputPipe open() throws java.io.IOException {
        int[] fds = new int[2];
        if (Sys.C.pipe2(fds, Sys.O_CLOEXEC) != 0) throw new java.io.IOException("pipe2: " + Sys.describe(Sys.errno()));
        return new OutputPipe(fds[0], fds[1]);
    }

    /** The descriptor to give the child as fds 1 and 2; -1 once closed. */
    public synchronized int writeEnd() {
        return writeEnd;
    }

    /** The supervisor's copy of the write end: closed once the child has its own. */
    public synchronized void closeWriteEnd() {
        if (writeEnd >= 0) Sys.C.close(writeEnd);
        writeEnd = -1;
    }

    /**
     * Reads what the process wrote next into {@code into}, blocking until there is some.
     *
     * @return the number of bytes, or -1 at the end of the output (every writer has closed it)
     */
    public int read(byte[] into) {
        if (buffer == null) buffer = Sys.allocate(BUFFER);
        while (true) {
            long n = Sys.C.read(readEnd, buffer, Math.min(into.length, BUFFER));
            if (n > 0) {
                buffer.get(0, into, 0, (int) n);
                return (int) n;
            }
            if (n == 0) return -1;
            if (Sys.errno() != Sys.EINTR) return -1;
        }
    }

    @Override
    public synchronized void close() {
        closeWriteEnd();
        if (!closed) Sys.C.close(readEnd);
        closed = true;
    }
}
