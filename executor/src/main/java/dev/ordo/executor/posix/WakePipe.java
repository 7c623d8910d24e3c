package dev.ordo.executor.posix;

import java.io.IOException;
import jnr.ffi.Pointer;

/**
 * A non-blocking pipe that wakes a thread sleeping in {@code poll}: another thread writes a byte when
 * the set of descriptors to watch has changed (or when closing), the poller drains it and looks again.
 */
final class WakePipe implements AutoCloseable {

    private final int read;
    private final int write;
    private final Pointer one = Sys.allocate(1);
    private final Pointer drain = Sys.allocate(64);

    WakePipe() throws IOException {
        int[] fds = new int[2];
        if (Sys.C.pipe2(fds, Sys.O_CLOEXEC | Sys.O_NONBLOCK) != 0) throw new IOException("pipe2: " + Sys.describe(Sys.errno()));
        read = fds[0];
        write = fds[1];
    }

    /** The end to poll for {@code POLLIN}. */
    int fd() {
        return read;
    }

    /** Wakes the poller; a full pipe already will wake it, so a failed write is fine. */
    void wake() {
        Sys.C.write(write, one, 1);
    }

    /** Empties the pipe; only the poller's thread calls it. */
    void drain() {
        while (Sys.C.read(read, drain, 64) > 0) {
            // nothing to keep: the poller looks at its set again
        }
    }

    @Override
    public void close() {
        Sys.C.close(read);
        Sys.C.close(write);
    }
}
