package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** The listener side for tests: collects every event and waits (generously) for the one wanted. */
final class Events {

    private final LinkedBlockingQueue<ProcessEvent> queue = new LinkedBlockingQueue<>();
    private final List<ProcessEvent> seen = new ArrayList<>();

    private final List<ProcessEvent> history = new java.util.concurrent.CopyOnWriteArrayList<>();

    void accept(ProcessEvent e) {
        history.add(e);
        queue.add(e);
    }

    /** Every event ever accepted, in arrival order (await does not remove from it). */
    List<ProcessEvent> history() {
        return List.copyOf(history);
    }

    /** The first event (seen before or arriving within 10 s) that matches; removes it. */
    <T extends ProcessEvent> T await(Class<T> type, Predicate<T> p) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (int i = 0; i < seen.size(); i++) {
                ProcessEvent e = seen.get(i);
                if (type.isInstance(e) && p.test(type.cast(e))) {
                    seen.remove(i);
                    return type.cast(e);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) return fail("no " + type.getSimpleName() + " event came; saw " + seen);
            try {
                ProcessEvent e = queue.poll(left, TimeUnit.NANOSECONDS);
                if (e != null) seen.add(e);
            } catch (InterruptedException ex) {
                throw new AssertionError(ex);
            }
        }
    }

    ProcessEvent.Reaped exit(int pid) {
        return await(ProcessEvent.Reaped.class, x -> x.pid() == pid);
    }

    /** Everything that arrived so far, in order (drains the queue). */
    List<ProcessEvent> all() {
        queue.drainTo(seen);
        return List.copyOf(seen);
    }
}
