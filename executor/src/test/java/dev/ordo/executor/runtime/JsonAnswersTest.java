package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code --format json} of status, list, start, stop, restart and emit against a real supervisor: one object per
 * instance with the facts of the status line, the same exit codes as the text, and errors still a sentence on stderr.
 */
class JsonAnswersTest extends SupervisorHarness {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void clientCommandsAnswerInJsonWithTheStatusLinesFacts() throws Exception {
        Path yaml = yaml("""
                jobs:
                  web:
                    exec: sleep 300
                  broken:
                    manual: true
                    pre_start: /bin/false
                    exec: sleep 300
                """);
        run(List.of(yaml));
        awaitLine("[  OK  ] Started web");
        String text = ordo("status", "web").out();
        int pid = Integer.parseInt(text.substring(text.lastIndexOf(' ') + 1).strip());

        Run status = ordo("status", "web", "--format", "json");
        assertEquals(0, status.status(), status.err());
        assertEquals("{\"name\":\"web\",\"job\":\"web\",\"instance\":\"\",\"goal\":\"start\",\"state\":\"running\","
                + "\"running\":true,\"processes\":{\"main\":" + pid + "}}\n", status.out());

        Run failed = ordo("start", "broken", "--format", "json");
        assertEquals(1, failed.status());
        assertEquals("", failed.out());
        assertTrue(failed.err().startsWith("ordo: Job failed to start: broken: "), failed.err());
        Run after = ordo("status", "broken", "--format", "json");
        assertEquals(3, after.status(), "LSB's not running, as for the text");
        JsonNode b = JSON.readTree(after.out());
        assertEquals("stop", b.get("goal").asText());
        assertFalse(b.get("running").asBoolean());
        assertEquals("pre-start process exited with status 1", b.get("failed").asText());

        JsonNode list = JSON.readTree(ordo("list", "--format", "json").out());
        assertTrue(list.isArray());
        List<String> textOrder = ordo("list").out().lines().map(l -> l.substring(0, l.indexOf(' '))).toList();
        assertEquals(textOrder, List.of(list.get(0).get("name").asText(), list.get(1).get("name").asText()), "as the text lists them");

        JsonNode stopped = JSON.readTree(ordo("stop", "web", "--format", "json").out());
        assertEquals("stop", stopped.get("goal").asText());
        assertEquals("waiting", stopped.get("state").asText());
        assertEquals(0, stopped.get("processes").size());
        assertEquals("{}\n", ordo("emit", "nothing-waits-for-this", "--format", "json").out());
        assertEquals(4, ordo("status", "nosuch", "--format", "json").status());

        Run bad = ordo("status", "web", "--format", "xml");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--format") && bad.err().contains("xml"), bad.err());
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }
}
