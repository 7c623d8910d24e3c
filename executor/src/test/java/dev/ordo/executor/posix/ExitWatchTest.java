package dev.ordo.executor.posix;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Processes that are not the watcher's own children (adopted ones) are seen to end, each once. */
class ExitWatchTest {

    /** A process of this test, found the way the supervisor finds what it adopts (pid and start time). */
    private static Orphan orphan(Process p) {
        ProcStat s = ProcStat.read((int) p.pid());
        assertNotNull(s);
        Orphan o = Orphan.find((int) p.pid(), s.startTime());
        assertNotNull(o, "alive and the same process");
        return o;
    }

    @Test
    void anEndIsReportedOnceAndOnlyAfterIt() throws Exception {
        LinkedBlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
        // A test may use ProcessBuilder: no reaper of ours is open here.
        Process a = new ProcessBuilder("sleep", "600").start();
        Process b = new ProcessBuilder("sleep", "600").start();
        try (ExitWatch w = ExitWatch.start(ended::add)) {
            w.watch(orphan(a));
            w.watch(orphan(b));
            assertNull(ended.poll(300, TimeUnit.MILLISECONDS), "nothing has ended");
            b.destroy();
            assertEquals((int) b.pid(), ended.poll(10, TimeUnit.SECONDS));
            assertNull(ended.poll(300, TimeUnit.MILLISECONDS), "a still runs, and b is told once");
            a.destroy();
            assertEquals((int) a.pid(), ended.poll(10, TimeUnit.SECONDS));
        } finally {
            a.destroyForcibly();
            b.destroyForcibly();
        }
    }

    @Test
    void aProcessThatEndedBeforeItWasWatchedIsReportedAtOnce() throws Exception {
        LinkedBlockingQueue<Integer> ended = new LinkedBlockingQueue<>();
        Process p = new ProcessBuilder("sleep", "600").start();
        Orphan o = orphan(p);
        p.destroy();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        try (ExitWatch w = ExitWatch.start(ended::add)) {
            w.watch(o);
            assertEquals((int) p.pid(), ended.poll(10, TimeUnit.SECONDS));
        }
    }
}
