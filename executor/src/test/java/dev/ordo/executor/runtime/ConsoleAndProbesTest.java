package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code console: output} through a pipe, and the {@code exec} and {@code log} probes, with real processes. */
class ConsoleAndProbesTest extends SupervisorHarness {

    void run(String yaml) throws Exception {
        run(List.of(yaml(yaml)));
    }

    boolean started(String job) {
        return lines().stream().anyMatch(l -> l.startsWith("[  OK  ] Started " + job));
    }

    void shutdown() throws Exception {
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS), output());
    }

    @Test
    void consoleOutputLinesArePrefixedWithTheJobsName() throws Exception {
        run("""
                jobs:
                  chatty:
                    script: |
                      echo hello
                      printf 'to stderr\\n' >&2
                      printf 'no newline'
                      exec sleep infinity
                    start_on: startup
                    console: output
                  quiet:
                    script: echo only in the log; exec sleep infinity
                    start_on: startup
                """);
        awaitLine("chatty | hello");
        awaitLine("chatty | to stderr");
        // "Started quiet" says its shell was spawned, not that it has run its echo yet: stopped before that, it
        // never writes the line (under load the test once read the log too soon). So the line itself is awaited.
        Path quiet = tmp.resolve("state/logs/quiet.log");
        eventually(() -> "quiet wrote its line", () -> Files.exists(quiet) && readQuietly(quiet).contains("only in the log"));
        shutdown();
        // The unfinished last line is given out when the job ends and its pipe closes, before the supervisor ends.
        assertTrue(lines().contains("chatty | no newline"), output());
        assertFalse(output().contains("only in the log"), output());
        assertEquals("only in the log\n", Files.readString(quiet));
        // Nothing unprefixed from the job reached the supervisor's output.
        for (String l : lines()) {
            assertTrue(l.startsWith("chatty | ") || l.startsWith("ordo: ") || l.startsWith("[  OK  ]"), l);
        }
    }

    static String readQuietly(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    void anExecProbePassesWhenItsCommandExitsZero() throws Exception {
        Path flag = tmp.resolve("flag");
        run("""
                jobs:
                  db:
                    exec: sleep infinity
                    start_on: startup
                    ready: {exec: "test -f %s", timeout: 20s}
                  app:
                    exec: sleep infinity
                    start_on: started db
                """.formatted(flag));
        Thread.sleep(1200); // two retries at least
        assertFalse(started("db"), output());
        assertFalse(started("app"), output());
        Files.writeString(flag, "");
        awaitLine("[  OK  ] Started db");
        awaitLine("[  OK  ] Started app");
        shutdown();
        synchronized (effects) {
            assertTrue(effects.stream().anyMatch(e -> e instanceof Effect.StartProbe p && p.job().equals("db")), effects.toString());
        }
    }

    @Test
    void anExecProbeThatNeverPassesFailsTheJobAtItsTimeout() throws Exception {
        run("""
                jobs:
                  db:
                    exec: sleep infinity
                    start_on: startup
                    ready: {exec: "false", timeout: 1500ms}
                """);
        awaitLine("[FAILED] Failed to start db");
        assertFalse(started("db"), output());
        shutdown();
    }

    @Test
    void aLogProbePassesOnAMatchingLineOfTheLogFile() throws Exception {
        run("""
                jobs:
                  web:
                    script: |
                      echo starting up
                      sleep 1
                      echo "listening on :8080"
                      exec sleep infinity
                    start_on: startup
                    ready: {log: 'listening on :\\d+', timeout: 20s}
                """);
        Thread.sleep(500);
        assertFalse(started("web"), output());
        awaitLine("[  OK  ] Started web");
        shutdown();
    }

    @Test
    void aLogProbePassesOnALineOfConsoleOutputEvenOnePrintedAtOnce() throws Exception {
        // Printed before the engine starts the probe: the watch begins at the spawn, so it is not missed.
        run("""
                jobs:
                  web:
                    script: echo "ready to serve"; exec sleep infinity
                    start_on: startup
                    console: output
                    ready: {log: '^ready', timeout: 20s}
                """);
        awaitLine("[  OK  ] Started web");
        awaitLine("web | ready to serve");
        shutdown();
    }

    @Test
    void aLogProbeWithoutAMatchTimesOut() throws Exception {
        run("""
                jobs:
                  web:
                    script: echo "not yet"; exec sleep infinity
                    start_on: startup
                    console: none
                    ready: {log: 'listening', timeout: 1500ms}
                """);
        awaitLine("[FAILED] Failed to start web");
        shutdown();
    }
}
