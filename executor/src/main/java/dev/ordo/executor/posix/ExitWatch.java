package dev.ordo.executor.posix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import jnr.ffi.Pointer;

/**
 * Says when processes that are not our children end (the ones a dead supervisor left and this one
 * adopted): they cannot be waited for, but a pidfd becomes readable when its process exits (Linux
 * 5.3), so one thread sleeps in {@code poll} on all of them and nothing wakes while they run. A
 * process whose pidfd cannot be opened is looked at in {@code /proc} every 50 ms instead.
 */
public final class ExitWatch implements AutoCloseable {

    /** How often a process without a pidfd is looked at in /proc. */
    static final int FALLBACK_MILLIS = 50;


    private final IntConsumer ended;
    private final WakePipe wake;
    private final Thread thread;
    /** Watched processes and their pidfd (-1: none; looked at in /proc); guarded by itself. */
    private final Map<Orphan, Integer> watched = new LinkedHashMap<>();
    private volatile boolean closed;

    private ExitWatch(IntConsumer ended) throws IOException {
        this.ended = ended;
        wake = new WakePipe();
        thread = new Thread(this::run, "ordo-exit-watch");
        thread.setDaemon(true);
    }

    /**
     * Starts watching; {@code ended} gets the pid of each watched process once it has ended, from the
     * watch's own thread, once.
     */
    public static ExitWatch start(IntConsumer ended) throws IOException {
        ExitWatch w = new ExitWatch(ended);
        w.thread.start();
        return w;
    }

    /** Watches {@code o}; one that has already ended is reported at once. */
    public void watch(Orphan o) {
        long fd = Sys.C.syscall(Sys.SYS_PIDFD_OPEN, o.pid(), 0, 0, 0);
        int pidfd = fd < 0 ? -1 : (int) fd;
        // Opened by pid: if the pid was recycled in between, the pidfd names another process.
        if (pidfd >= 0 && !o.alive()) {
            Sys.C.close(pidfd);
            pidfd = -1;
        }
        synchronized (watched) {
            watched.put(o, pidfd);
        }
        wake.wake();
    }

    private void run() {
        while (!closed) {
            List<Orphan> list;
            List<Integer> fds;
            synchronized (watched) {
                list = new ArrayList<>(watched.keySet());
                fds = new ArrayList<>(watched.values());
            }
            int n = list.size() + 1;
            Pointer p = Sys.allocate(8 * n);
            p.putInt(0, wake.fd());
            p.putShort(4, Sys.POLLIN);
            boolean fallback = false;
            for (int i = 0; i < list.size(); i++) {
                // A negative fd is ignored by poll: that process is looked at in /proc below.
                p.putInt(8L * (i + 1), fds.get(i));
                p.putShort(8L * (i + 1) + 4, Sys.POLLIN);
                fallback |= fds.get(i) < 0;
            }
            int rc = Sys.C.poll(p, n, fallback ? FALLBACK_MILLIS : -1);
            if (closed) return;
            if (rc < 0) continue; // EINTR
            if (p.getShort(6) != 0) wake.drain(); // the next round picks up what was added
            for (int i = 0; i < list.size(); i++) {
                Orphan o = list.get(i);
                boolean gone = fds.get(i) >= 0 ? p.getShort(8L * (i + 1) + 6) != 0 : !o.alive();
                if (!gone) continue;
                synchronized (watched) {
                    watched.remove(o);
                }
                if (fds.get(i) >= 0) Sys.C.close(fds.get(i));
                ended.accept(o.pid());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        wake.wake();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (watched) {
            for (int fd : watched.values()) if (fd >= 0) Sys.C.close(fd);
            watched.clear();
        }
        wake.close();
    }
}
