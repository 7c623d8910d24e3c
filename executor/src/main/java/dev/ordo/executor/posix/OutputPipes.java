package dev.ordo.executor.posix;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import jnr.ffi.Pointer;

/**
 * The supervisor's end of its children's output pipes: one thread waits on every read end with poll(2) and
 * hands what it reads to each pipe's {@link Receiver}, as s6-log and svlogd read the output of the service they
 * log. A job that writes faster than its receiver takes the bytes waits in its own write(2) once its pipe is
 * full: nothing is lost, and nothing here ever holds up the supervisor's loop.
 *
 * <p>The receivers run on this thread, one pipe after another; each must hand the bytes on without waiting for
 * anything but a file. The thread never dies of a receiver's exception: it is told and the pipe read on.
 */
public final class OutputPipes implements AutoCloseable {

    /** What becomes of the bytes of one pipe; called on the pipes' thread only. */
    public interface Receiver {

        /** The next bytes, cut anywhere (inside a line, inside a character); the array is reused afterwards. */
        void bytes(byte[] b, int offset, int length);

        /** Nothing more came for the quiet time after the last bytes (an unfinished line can be written now). */
        void quiet();

        /** The end of the output: every writer has closed the pipe, or the supervisor has stopped waiting for them. */
        void end();
    }

    /** The most one read takes: a pipe's default capacity. */
    static final int CHUNK = 64 * 1024;


    private static final class Entry {
        final OutputPipe pipe;
        final Receiver receiver;
        long lastBytes;
        boolean unquiet;

        Entry(OutputPipe pipe, Receiver receiver) {
            this.pipe = pipe;
            this.receiver = receiver;
        }
    }

    private final long quietNanos;
    private final Consumer<String> note;
    private final WakePipe wake;
    private final Thread thread;
    private final Object lock = new Object();
    /** Under the lock: pipes handed in and not yet taken up by the thread. */
    private final List<Entry> incoming = new ArrayList<>();
    /** Under the lock: once draining, when the thread stops waiting (System.nanoTime). */
    private boolean draining;
    private long drainBy;
    /** Under the lock: pipes still open when the thread stopped waiting for them; -1 while it runs. */
    private int leftOpen = -1;
    /** Poll rounds so far (tests: none while nothing is written). */
    private volatile long rounds;

    private OutputPipes(Duration quiet, Consumer<String> note) throws IOException {
        this.quietNanos = Math.max(1, quiet.toNanos());
        this.note = note;
        this.wake = new WakePipe();
        this.thread = new Thread(this::run, "ordo-output");
        thread.setDaemon(true);
    }

    /**
     * Starts the thread.
     *
     * @param quiet how long a pipe is silent before its receiver hears {@link Receiver#quiet}
     * @param note where a receiver's failure is told
     */
    public static OutputPipes start(Duration quiet, Consumer<String> note) throws IOException {
        OutputPipes p = new OutputPipes(quiet, note);
        p.thread.start();
        return p;
    }

    /**
     * Reads {@code pipe} from now on, into {@code receiver}, until its end; then closes it. The supervisor's
     * copy of the write end must be closed already. After {@link #drain}, the pipe is ended at once.
     */
    public void watch(OutputPipe pipe, Receiver receiver) {
        Entry e = new Entry(pipe, receiver);
        synchronized (lock) {
            if (!draining) {
                incoming.add(e);
                wake.wake();
                return;
            }
        }
        end(e);
    }

    /** How many times the thread has woken (tests: it sleeps while no pipe is written to). */
    public long rounds() {
        return rounds;
    }

    /**
     * The supervisor's end: reads on until every pipe has ended (its processes are gone) or {@code limit} has
     * passed, then takes what is still in the pipes left open (processes left running hold them), ends them and
     * stops the thread. Returns how many were left open.
     */
    public int drain(Duration limit) {
        synchronized (lock) {
            if (!draining) {
                draining = true;
                drainBy = System.nanoTime() + limit.toNanos();
            }
        }
        wake.wake();
        try {
            thread.join(limit.toMillis() + 2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            return Math.max(0, leftOpen);
        }
    }

    @Override
    public void close() {
        drain(Duration.ZERO);
    }

    private void run() {
        List<Entry> entries = new ArrayList<>();
        Pointer fds = Sys.allocate(8);
        int capacity = 1;
        boolean changed = true;
        Pointer buffer = Sys.allocate(CHUNK);
        byte[] bytes = new byte[CHUNK];
        while (true) {
            synchronized (lock) {
                if (!incoming.isEmpty()) {
                    entries.addAll(incoming);
                    incoming.clear();
                    changed = true;
                }
                if (draining && (entries.isEmpty() || System.nanoTime() - drainBy >= 0)) break;
            }
            if (changed) {
                if (entries.size() + 1 > capacity) {
                    capacity = Math.max(2 * capacity, entries.size() + 1);
                    fds = Sys.allocate(8 * capacity);
                }
                fds.putInt(0, wake.fd());
                fds.putShort(4, Sys.POLLIN);
                for (int i = 0; i < entries.size(); i++) {
                    fds.putInt(8L * (i + 1), entries.get(i).pipe.readEnd());
                    fds.putShort(8L * (i + 1) + 4, Sys.POLLIN);
                }
                changed = false;
            }
            int n = Sys.C.poll(fds, entries.size() + 1, timeoutMillis(entries));
            rounds++;
            if (n < 0) continue; // EINTR
            if (fds.getShort(6) != 0) wake.drain();
            long now = System.nanoTime();
            List<Entry> ended = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                if (fds.getShort(8L * (i + 1) + 6) == 0) continue;
                Entry e = entries.get(i);
                if (!readOnce(e, buffer, bytes, now)) ended.add(e);
            }
            if (!ended.isEmpty()) {
                entries.removeAll(ended);
                for (Entry e : ended) end(e);
                changed = true;
            }
            for (Entry e : entries) {
                if (e.unquiet && now - e.lastBytes >= quietNanos) {
                    e.unquiet = false;
                    call(() -> e.receiver.quiet());
                }
            }
        }
        // Given up waiting on these: what they hold now is still taken, then they end (a late writer gets SIGPIPE).
        Pointer one = Sys.allocate(8);
        for (Entry e : entries) {
            int taken = 0;
            while (taken < 16 && readable(one, e) && readOnce(e, buffer, bytes, System.nanoTime())) taken++;
            end(e);
        }
        synchronized (lock) {
            leftOpen = entries.size();
            for (Entry e : incoming) end(e);
            incoming.clear();
        }
        wake.close();
    }

    /** Until the next receiver is due to hear it has gone quiet, or the end of draining; -1: no limit. */
    private int timeoutMillis(List<Entry> entries) {
        long now = System.nanoTime();
        long wait = Long.MAX_VALUE;
        for (Entry e : entries) if (e.unquiet) wait = Math.min(wait, e.lastBytes + quietNanos - now);
        synchronized (lock) {
            if (draining) wait = Math.min(wait, drainBy - now);
        }
        if (wait == Long.MAX_VALUE) return -1;
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (wait + 999_999) / 1_000_000));
    }

    /** One read from a pipe poll found ready; false at its end. */
    private boolean readOnce(Entry e, Pointer buffer, byte[] bytes, long now) {
        long k = Sys.C.read(e.pipe.readEnd(), buffer, CHUNK);
        if (k > 0) {
            buffer.get(0, bytes, 0, (int) k);
            e.lastBytes = now;
            e.unquiet = true;
            call(() -> e.receiver.bytes(bytes, 0, (int) k));
            return true;
        }
        if (k == 0) return false;
        int errno = Sys.errno();
        return errno == Sys.EINTR || errno == Sys.EAGAIN;
    }

    private static boolean readable(Pointer one, Entry e) {
        one.putInt(0, e.pipe.readEnd());
        one.putShort(4, Sys.POLLIN);
        one.putShort(6, (short) 0);
        return Sys.C.poll(one, 1, 0) > 0 && one.getShort(6) != 0;
    }

    private void end(Entry e) {
        call(() -> e.receiver.end());
        e.pipe.close();
    }

    private void call(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ex) {
            note.accept("internal error while taking a process's output: " + ex);
        }
    }
}
