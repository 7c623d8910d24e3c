package dev.ordo.executor.runtime;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Writes {@code state.json} on a thread of its own, so that the loop hands over a snapshot and goes on
 * while the file is serialised, written and flushed to the disk (two fsyncs). Snapshots offered while a
 * write is under way are coalesced: only the newest is written next. The file therefore always ends up
 * saying what the last snapshot said; {@link #flush} waits for that.
 */
final class StateWriter implements AutoCloseable {

    private final StateFile file;
    private final Consumer<String> log;
    private final Thread thread;
    private SupervisorState next;
    private long offered;
    private long written;
    private boolean closed;

    StateWriter(StateFile file, Consumer<String> log) {
        this.file = file;
        this.log = log;
        this.thread = new Thread(this::run, "ordo-state");
        thread.setDaemon(true);
        thread.start();
    }

    /** Has {@code state} written soon, in place of any snapshot offered before that is not written yet. */
    synchronized void offer(SupervisorState state) {
        if (closed) return;
        next = state;
        offered++;
        notifyAll();
    }

    /** Waits until every snapshot offered so far is written (or has failed, which is told). */
    synchronized void flush() throws InterruptedException {
        long target = offered;
        while (written < target && thread.isAlive()) wait();
    }

    private void run() {
        while (true) {
            SupervisorState s;
            long n;
            synchronized (this) {
                while (next == null && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only close() ends this thread, after the last write
                    }
                }
                if (next == null) return;
                s = next;
                next = null;
                n = offered;
            }
            try {
                file.write(s);
            } catch (IOException | RuntimeException e) {
                log.accept("cannot write " + file.path() + ": " + e.getMessage());
            }
            synchronized (this) {
                written = n;
                notifyAll();
            }
        }
    }

    /** Writes what is still pending, then ends the thread. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
        thread.join();
    }
}
