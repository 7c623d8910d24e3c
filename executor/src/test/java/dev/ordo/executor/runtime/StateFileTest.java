package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.plan.History;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** state.json is replaced whole; history.jsonl is what `ordo plan --learned` reads. */
class StateFileTest {

    @TempDir
    Path tmp;

    static final Instant T0 = Instant.parse("2026-11-21T06:01:02Z");

    static SupervisorState state(int n) {
        List<SupervisorState.InstanceState> xs = new ArrayList<>();
        for (int i = n - 1; i >= 0; i--) {
            xs.add(new SupervisorState.InstanceState("job" + i, i % 2 == 0 ? "" : "tty" + i, JobGoal.START, JobState.RUNNING,
                    1000 + i, T0.plusMillis(i)));
        }
        return new SupervisorState(42, T0, xs);
    }

    @Test
    void theDocumentIsReadableAndReadsBack() throws Exception {
        SupervisorState s = new SupervisorState(42, T0, List.of(
                new SupervisorState.InstanceState("hal", "", JobGoal.START, JobState.RUNNING, 1234, T0),
                new SupervisorState.InstanceState("getty", "tty1", JobGoal.STOP, JobState.KILLED, 0, null)));
        StateFile f = new StateFile(tmp.resolve("state.json"));
        assertNull(f.read());
        f.write(s);
        assertEquals("""
                {"format":"ordo.state/1","pid":42,"started":"2026-11-21T06:01:02Z","instances":[
                  {"job":"getty","instance":"tty1","goal":"stop","state":"killed","pid":0,"pid_started":null},
                  {"job":"hal","instance":"","goal":"start","state":"running","pid":1234,"pid_started":"2026-11-21T06:01:02Z"}
                ]}
                """, Files.readString(f.path()));
        assertEquals(s, f.read());
        assertFalse(Files.exists(tmp.resolve(".state.json.tmp")), "no temporary file is left");
        assertEquals(new SupervisorState(1, T0, List.of()), SupervisorState.parse(new SupervisorState(1, T0, List.of()).toJson()));
        assertEquals("{\"format\":\"ordo.state/1\",\"pid\":1,\"started\":\"2026-11-21T06:01:02Z\",\"instances\":[]}\n",
                new String(new SupervisorState(1, T0, List.of()).toJson(), StandardCharsets.UTF_8));
    }

    @Test
    void aDamagedStateFileFallsBackToThePreviousGoodCopy() throws Exception {
        StateFile f = new StateFile(tmp.resolve("state.json"));
        assertEquals(new StateFile.Recovered(null, null, List.of()), f.recover(), "nothing saved yet");
        f.write(state(1));
        f.write(state(2));
        assertEquals(state(1), SupervisorState.parse(Files.readAllBytes(f.previous())), "the content replaced is kept");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f.path())), "whatever the umask");
        byte[] b = Files.readAllBytes(f.path());
        Files.write(f.path(), Arrays.copyOf(b, b.length / 2)); // a disk that lost the end of it
        StateFile.Recovered r = f.recover();
        assertEquals(state(1), r.state());
        assertEquals(f.previous(), r.from());
        assertEquals(1, r.passedOver().size());
        assertTrue(r.passedOver().get(0).startsWith("cannot read " + f.path() + ": not JSON: "), r.passedOver().get(0));
        Files.writeString(f.previous(), "garbage");
        r = f.recover();
        assertNull(r.state(), "neither can be read: the processes' marks are all there is");
        assertEquals(2, r.passedOver().size());
        f.write(state(3));
        assertEquals(state(3), f.recover().state(), "the next write puts it right");
    }

    @Test
    void theProofOfEachMainProcessReadsBack() {
        SupervisorState s = new SupervisorState(7, T0, List.of(
                new SupervisorState.InstanceState("forking", "", JobGoal.START, JobState.RUNNING, 4321, T0,
                        new SupervisorState.Proof(123456, 0, "/usr/sbin/nginx", "0123456789abcdef0123456789abcdef")),
                new SupervisorState.InstanceState("unknown", "", JobGoal.START, JobState.SPAWNED, 4322, null,
                        new SupervisorState.Proof(123457, -1, null, null))));
        String text = new String(s.toJson(), StandardCharsets.UTF_8);
        assertTrue(text.contains("\"pid\":4321,\"pid_started\":\"2026-11-21T06:01:02Z\",\"ticks\":123456,\"uid\":0,"
                + "\"exe\":\"/usr/sbin/nginx\",\"invocation\":\"0123456789abcdef0123456789abcdef\"}"), text);
        assertEquals(s, SupervisorState.parse(s.toJson()));
    }

    @Test
    void namesThatNeedEscapingReadBack() {
        SupervisorState s = new SupervisorState(7, T0, List.of(
                new SupervisorState.InstanceState("we\"ird\\job", "tty\n1 é", JobGoal.START, JobState.RUNNING, 9, T0)));
        String text = new String(s.toJson(), StandardCharsets.UTF_8);
        assertTrue(text.contains("{\"job\":\"we\\\"ird\\\\job\",\"instance\":\"tty\\n1 é\""), text);
        assertEquals(s, SupervisorState.parse(s.toJson()));
    }

    @Test
    void badDocumentsSayWhatIsWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SupervisorState.parse("{\"format\":\"other\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("format is not ordo.state/1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SupervisorState.parse("{\"format\":".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().startsWith("not JSON: "), e.getMessage());
    }

    @Test
    void aReaderNeverSeesAPartialFile() throws Exception {
        StateFile f = new StateFile(tmp.resolve("state.json"));
        byte[] small = state(1).toJson();
        byte[] large = state(3000).toJson(); // hundreds of KiB: many writes' worth
        f.write(small);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger reads = new AtomicInteger();
        List<String> torn = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (!done.get()) {
                try {
                    byte[] seen = Files.readAllBytes(f.path());
                    reads.incrementAndGet();
                    if (!Arrays.equals(seen, small) && !Arrays.equals(seen, large)) torn.add(seen.length + " bytes");
                } catch (NoSuchFileException e) {
                    torn.add("the file was missing");
                } catch (Exception e) {
                    torn.add(e.toString());
                }
            }
        });
        reader.start();
        for (int i = 0; i < 100; i++) f.write(i % 2 == 0 ? large : small);
        done.set(true);
        reader.join();
        assertEquals(List.of(), torn);
        assertTrue(reads.get() > 0);
    }

    @Test
    void historyLinesAreWhatThePlannerLearnsFrom() throws Exception {
        HistoryLog h = new HistoryLog(tmp.resolve("history.jsonl"));
        h.add("dbus", "", 0.3104, T0, "ok");
        h.add("getty", "tty1", 0.05, T0.plusNanos(1_500_000), "ok");
        h.add("dbus", "", 0.5, T0, null);
        h.flushAndWait();
        assertEquals("""
                {"job":"dbus","instance":"","seconds":0.31,"at":"2026-11-21T06:01:02Z","result":"ok"}
                {"job":"getty","instance":"tty1","seconds":0.05,"at":"2026-11-21T06:01:02.001Z","result":"ok"}
                {"job":"dbus","instance":"","seconds":0.5,"at":"2026-11-21T06:01:02Z"}
                """, Files.readString(h.path()));
        assertEquals(Map.of("dbus", 0.405, "getty", 0.05, "getty (tty1)", 0.05),
                History.medians(Files.readAllLines(h.path())));
        assertThrows(IllegalArgumentException.class, () -> h.add("x", "", -1, T0, "ok"));
        assertThrows(IllegalArgumentException.class, () -> h.add("x", "", Double.NaN, T0, "ok"));
        h.close();
    }
}
