package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * state.json is written off the loop and coalesced: after a burst of changes it still ends up saying what
 * the last change left, and the last word (after a shutdown) is on the disk when the supervisor has ended.
 */
class StateWriteTest extends SupervisorHarness {

    static final int JOBS = 40;

    SupervisorState read() {
        try {
            return new StateFile(state().resolve("state.json")).read();
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    @Test
    void afterABurstOfStartsTheFileListsEveryRunningProcessAndAfterTheShutdownNone() throws Exception {
        StringBuilder y = new StringBuilder("jobs:\n");
        for (int i = 0; i < JOBS; i++) {
            y.append("  s").append(i).append(":\n    exec: sleep infinity\n    start_on: startup\n");
            if (i > 0) y.append("    after: [s").append(i - 1).append("]\n");
        }
        run(List.of(yaml(y.toString())));
        for (int i = 0; i < JOBS; i++) awaitLine("[  OK  ] Started s" + i + " ");

        Map<String, Integer> listed = new HashMap<>();
        Run list = ordo("list");
        assertEquals(0, list.status(), list.err());
        for (String l : list.out().split("\n")) {
            listed.put(l.substring(0, l.indexOf(' ')), Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)));
        }
        assertEquals(JOBS, listed.size(), list.out());
        // Written a moment after the last change: wait for the file to catch up, then it must match exactly.
        eventually(() -> "state.json lists " + JOBS + " running instances: " + read(), () -> {
            SupervisorState s = read();
            return s != null && s.instances().size() == JOBS
                    && s.instances().stream().allMatch(i -> i.state() == JobState.RUNNING && i.mainPid() > 0);
        });
        SupervisorState s = read();
        assertNotNull(s);
        assertEquals(ProcessHandle.current().pid(), s.pid());
        for (SupervisorState.InstanceState i : s.instances()) {
            assertEquals(JobGoal.START, i.goal(), i.toString());
            assertEquals(listed.get(i.job()), i.mainPid(), i.toString());
            Instant started = ProcessHandle.of(i.mainPid()).flatMap(h -> h.info().startInstant()).orElse(null);
            assertEquals(started, i.mainStarted(), i.toString());
        }

        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
        // No waiting here: the writer has finished before awaitExit returned.
        assertEquals(List.of(), read().instances());
    }

    @Test
    void theWriterEndsWithTheLastSnapshotHowEverManyCameBefore() throws Exception {
        StateFile file = new StateFile(tmp.resolve("state.json"));
        List<String> trouble = new ArrayList<>();
        StateWriter w = new StateWriter(file, trouble::add);
        SupervisorState last = null;
        for (int n = 0; n < 300; n++) {
            List<SupervisorState.InstanceState> xs = new ArrayList<>();
            for (int i = 0; i <= n % 7; i++) {
                xs.add(new SupervisorState.InstanceState("j" + i, "", JobGoal.START, JobState.RUNNING, 100 + n, null));
            }
            last = new SupervisorState(1, Instant.EPOCH, xs);
            w.offer(last);
        }
        w.flush();
        assertEquals(last, file.read());

        // What is offered before close is written by close.
        SupervisorState end = new SupervisorState(1, Instant.EPOCH, List.of());
        w.offer(end);
        w.close();
        assertEquals(end, file.read());
        assertTrue(trouble.isEmpty(), trouble.toString());
        assertTrue(Files.exists(file.path()));
    }
}
