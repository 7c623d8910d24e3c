package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Boot progress lines and the history they feed. */
class BootProgressTest {

    @TempDir
    Path tmp;

    @Test
    void durationsAreHundredthsRoundedHalfUp() {
        assertEquals("0.00s", BootProgress.seconds(0));
        assertEquals("0.00s", BootProgress.seconds(-5));
        assertEquals("0.01s", BootProgress.seconds(5_000_000));
        assertEquals("0.12s", BootProgress.seconds(123_456_789));
        assertEquals("1.05s", BootProgress.seconds(1_049_999_999 + 1));
        assertEquals("12.30s", BootProgress.seconds(12_300_000_000L));
    }

    /** What String.format("%.2fs") said before, for whole microseconds (no binary fraction on a .5 boundary). */
    @Property(tries = 300)
    void sameAsTheFormatterItReplaces(@ForAll @LongRange(min = 0, max = 10_000_000_000L) long micros) {
        long nanos = micros * 1000 + 1;
        assertEquals(String.format(Locale.ROOT, "%.2fs", nanos / 1e9), BootProgress.seconds(nanos));
    }

    @Test
    void failuresSayWhyInWords() {
        List<String> out = new ArrayList<>();
        HistoryLog h = new HistoryLog(tmp.resolve("history.jsonl"));
        BootProgress p = new BootProgress(out::add, false, job -> false, h);
        String[][] cases = {
            {"slow", "PROCESS=ready", "[FAILED] Failed to start slow (not ready in time, or its readiness probe failed)"},
            {"api", "PROCESS=dependency", "[FAILED] Failed to start api (a job it requires failed)"},
            {"db", "PROCESS=main EXIT_STATUS=3", "[FAILED] Failed to start db (main process exited with status 3)"},
            {"web", "PROCESS=main EXIT_SIGNAL=SEGV", "[FAILED] Failed to start web (main process killed by SIGSEGV)"},
            {"flappy", "PROCESS=respawn", "[FAILED] Failed to start flappy (respawning too fast)"},
        };
        for (String[] c : cases) {
            List<String> env = new ArrayList<>(List.of("JOB=" + c[0], "INSTANCE=", "RESULT=failed"));
            env.addAll(List.of(c[1].split(" ")));
            p.event("starting", List.of("JOB=" + c[0], "INSTANCE="), 0);
            p.event("stopped", env, 1);
        }
        List<String> expected = new ArrayList<>();
        for (String[] c : cases) expected.add(c[2]);
        assertEquals(expected, out);
        h.close();
    }

    @Test
    void aFailureDownAChainIsReportedRootCauseFirstAndOnce() {
        // As the engine emits them: each job's stopping says it failed, in the order the failure went
        // (db, then what requires it); they then stop the other way round (db is ordered first).
        List<String> out = new ArrayList<>();
        BootProgress p = new BootProgress(out::add, false, job -> false, new HistoryLog(tmp.resolve("history.jsonl")));
        for (String job : List.of("db", "api", "web")) p.event("starting", List.of("JOB=" + job, "INSTANCE="), 0);
        p.event("stopping", List.of("JOB=db", "INSTANCE=", "RESULT=failed", "PROCESS=pre-start", "EXIT_STATUS=1"), 1);
        p.event("stopping", List.of("JOB=api", "INSTANCE=", "RESULT=failed", "PROCESS=dependency"), 1);
        p.event("stopping", List.of("JOB=web", "INSTANCE=", "RESULT=failed", "PROCESS=dependency"), 1);
        p.event("stopped", List.of("JOB=web", "INSTANCE=", "RESULT=failed", "PROCESS=dependency"), 2);
        p.event("stopped", List.of("JOB=api", "INSTANCE=", "RESULT=failed", "PROCESS=dependency"), 2);
        p.event("stopped", List.of("JOB=db", "INSTANCE=", "RESULT=failed", "PROCESS=pre-start", "EXIT_STATUS=1"), 2);
        assertEquals(List.of("[FAILED] Failed to start db (pre-start process exited with status 1)",
                "[FAILED] Failed to start api (a job it requires failed)",
                "[FAILED] Failed to start web (a job it requires failed)"), out);
    }

    @Test
    void startsGoToTheHistoryOnlyWhenFlushedAndAllAtOnce() throws Exception {
        HistoryLog h = new HistoryLog(tmp.resolve("history.jsonl"));
        List<String> out = new ArrayList<>();
        BootProgress p = new BootProgress(out::add, false, job -> false, h);
        for (String job : List.of("a", "b")) {
            p.event("starting", List.of("JOB=" + job, "INSTANCE="), 1_000_000_000L);
            p.event("started", List.of("JOB=" + job, "INSTANCE="), 1_250_000_000L);
        }
        assertEquals(List.of("[  OK  ] Started a  0.25s", "[  OK  ] Started b  0.25s"), out);
        assertEquals(false, Files.exists(h.path()), "nothing written before the flush");
        h.flushAndWait();
        List<String> lines = Files.readAllLines(h.path());
        assertEquals(2, lines.size(), lines.toString());
        assertEquals(true, lines.get(0).startsWith("{\"job\":\"a\",\"instance\":\"\",\"seconds\":0.25,\"at\":\""), lines.get(0));
        assertEquals(true, lines.get(1).startsWith("{\"job\":\"b\","), lines.get(1));
        h.flushAndWait();
        assertEquals(2, Files.readAllLines(h.path()).size(), "a flush with nothing added writes nothing");
        h.add("c", "", 0.5, Instant.EPOCH, null);
        h.flushAndWait();
        assertEquals("{\"job\":\"c\",\"instance\":\"\",\"seconds\":0.5,\"at\":\"1970-01-01T00:00:00Z\"}",
                Files.readAllLines(h.path()).get(2));
        h.close();
    }

    /** The history line written by hand is the line a Jackson generator writes, whatever the names hold. */
    @Property(tries = 300)
    void historyLinesAreWhatAJsonGeneratorWrites(@ForAll String job, @ForAll String instance,
                                                 @ForAll @LongRange(min = 0, max = 100_000_000L) long millis,
                                                 @ForAll boolean withResult) throws Exception {
        Path file = Files.createTempFile("history", ".jsonl");
        try {
            double seconds = millis / 1000.0 + 0.0004;
            Instant at = Instant.ofEpochSecond(1_700_000_000L, millis * 1_000_017L % 1_000_000_000L);
            HistoryLog h = new HistoryLog(file);
            h.add(job, instance, seconds, at, withResult ? "ok" : null);
            h.close();
            java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
            try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(expected)) {
                g.writeStartObject();
                g.writeStringField("job", job);
                g.writeStringField("instance", instance);
                g.writeNumberField("seconds", Math.round(seconds * 1000) / 1000.0);
                g.writeStringField("at", at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
                if (withResult) g.writeStringField("result", "ok");
                g.writeEndObject();
            }
            expected.write('\n');
            assertEquals(expected.toString(java.nio.charset.StandardCharsets.UTF_8),
                    Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
