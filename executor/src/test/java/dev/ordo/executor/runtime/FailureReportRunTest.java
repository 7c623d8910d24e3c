package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "the failure report lists causes backwards": with real processes, a failure that goes
 * down a chain of requires+after is reported root cause first, on the console, in the reply to
 * {@code ordo start} and in {@code ordo status}.
 */
class FailureReportRunTest extends SupervisorHarness {

    @Test
    void theConsoleTheReplyAndStatusGoFromTheRootCauseToTheEffect() throws Exception {
        run(List.of(yaml("""
                jobs:
                  db:
                    exec: sleep 300
                    pre_start: "false"
                    manual: true
                  api:
                    exec: sleep 300
                    manual: true
                    requires: [db]
                    after: [db]
                  web:
                    exec: sleep 300
                    manual: true
                    requires: [api]
                    after: [api]
                """)));
        awaitLine("ordo: running as pid");
        Run start = ordo("start", "web");
        String chain = "dependency failed: db (pre-start process exited with status 1) → api → web";
        assertEquals(new Run(1, "", "ordo: Job failed to start: web: " + chain + "\n"), start);
        awaitLine("[FAILED] Failed to start web");
        List<String> failed = lines().stream().filter(l -> l.startsWith("[FAILED]")).toList();
        assertEquals(List.of("[FAILED] Failed to start db (pre-start process exited with status 1)",
                "[FAILED] Failed to start api (a job it requires failed)",
                "[FAILED] Failed to start web (a job it requires failed)"), failed);
        Run status = ordo("status", "web");
        assertTrue(status.out().equals("web stop/waiting, failed: " + chain + "\n"), status.toString());
        assertEquals(new Run(0, "", ""), ordo("shutdown"));
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }
}
