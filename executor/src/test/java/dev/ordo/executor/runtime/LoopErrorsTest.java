package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Never headless (issue 12): a stack overflow in one handler loses that input, not the loop; any other Error
 * ends the supervisor with 70, its state saved, the jobs left running for a restart to adopt.
 */
class LoopErrorsTest extends SupervisorHarness {

    @Test
    void aStackOverflowIsLoggedAndTheLoopGoesOnAnyOtherErrorEndsItWithTheStateSaved() throws Exception {
        run(List.of(yaml("jobs:\n  j:\n    exec: sleep infinity\n    start_on: startup\n")));
        awaitLine("[  OK  ] Started j");
        supervisor.submit(() -> {
            throw new StackOverflowError();
        });
        awaitLine("ordo: internal error: java.lang.StackOverflowError");
        Run status = ordo("status", "j");
        assertEquals(0, status.status(), status.err());
        int pid = Integer.parseInt(status.out().substring(status.out().lastIndexOf(' ') + 1).trim());

        supervisor.submit(() -> {
            throw new OutOfMemoryError("as if the heap were full");
        });
        assertEquals(70, supervisor.awaitExit(WAIT_MILLIS), output());
        assertTrue(lines().contains("ordo: fatal: java.lang.OutOfMemoryError: as if the heap were full; exiting, the jobs keep"
                + " running and a restart adopts them"), output());
        Optional<ProcessHandle> job = ProcessHandle.of(pid);
        try {
            assertTrue(job.isPresent() && job.get().isAlive(), "the job keeps running");
            SupervisorState saved = new StateFile(state().resolve("state.json")).read();
            assertEquals(pid, saved.instances().get(0).mainPid(), "what a restart adopts is on the disk");
            assertTrue(saved.instances().get(0).proof() != null, saved.toString());
        } finally {
            job.ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
