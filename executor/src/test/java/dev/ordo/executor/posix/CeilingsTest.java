package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Resources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Limits and OOM scores a supervisor without CAP_SYS_RESOURCE cannot grant are clamped, never refused. */
class CeilingsTest {

    private static Resources res(Integer oom, Limit... limits) {
        return new Resources(null, null, null, null, List.of(limits), null, null, oom);
    }

    private static Ceilings container() {
        Map<String, Long> hard = new HashMap<>();
        hard.put("nofile", 1048576L);
        hard.put("core", null); // unlimited
        return new Ceilings(false, hard, 0);
    }

    @Test
    void aLowerOomScoreBecomesTheInheritedOne() {
        Ceilings.Clamped c = container().clamp(res(-900));
        assertEquals(Integer.valueOf(0), c.resources().oomScore());
        assertEquals(List.of("OOM score adjustment -900 is below what ordo may set (0, no CAP_SYS_RESOURCE); 0 applied"),
                c.changes());
        // A higher score is anyone's to take.
        assertEquals(Integer.valueOf(500), container().clamp(res(500)).resources().oomScore());
    }

    @Test
    void aHardLimitAboveTheSupervisorsIsLoweredToItAndTheSoftOneWithIt() {
        Ceilings.Clamped c = container().clamp(res(null, new Limit("nofile", 2_000_000L, null, null),
                new Limit("core", null, null, null), new Limit("nproc", 10L, 20L, null)));
        assertEquals("[nofile 1048576:1048576, core null:null, nproc 10:20]", c.resources().limits().stream()
                .map(l -> l.resource() + " " + l.soft() + ":" + l.hard()).toList().toString());
        assertEquals(List.of("limit nofile 2000000:infinity is above what ordo may set (1048576, no CAP_SYS_RESOURCE); "
                + "1048576:1048576 applied"), c.changes());
    }

    @Test
    void aPrivilegedSupervisorChangesNothing() {
        Resources r = res(-900, new Limit("nofile", 2_000_000L, null, null));
        assertSame(r, new Ceilings(true, Map.of("nofile", 1024L), 0).clamp(r).resources());
    }
}
