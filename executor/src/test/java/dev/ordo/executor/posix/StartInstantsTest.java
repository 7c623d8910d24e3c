package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The start instant from /proc ticks is the very one ProcessHandle gives (state.json compares them across supervisors). */
class StartInstantsTest {

    static Instant jdk(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
    }

    @Test
    void agreesWithProcessHandleForThisProcessAndItsParent() {
        for (long pid : new long[] {ProcessHandle.current().pid(), ProcessHandle.current().parent().orElseThrow().pid()}) {
            ProcStat st = ProcStat.read((int) pid);
            assertNotNull(st, "pid " + pid);
            Instant ours = StartInstants.of(st.startTime());
            // Not null: on Linux the fast way is taken, not the fallback.
            assertNotNull(ours, "pid " + pid);
            assertEquals(jdk(pid), ours, "pid " + pid);
        }
    }

    @Test
    void noTicksNoInstant() {
        assertNull(StartInstants.of(0));
    }
}
