package dev.ordo.executor.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What {@code state.json} says (docs/control.md): enough for a supervisor that starts after a crash to
 * find the children of the one before (a pid together with its start time names one process, even after
 * the pid has been reused) and to check that each is the process it started ({@link Proof}).
 *
 * @param pid the supervisor's pid
 * @param started when the supervisor started
 * @param instances the job instances that exist, sorted by job and instance
 */
public record SupervisorState(long pid, Instant started, List<InstanceState> instances) {

    public static final String FORMAT = "ordo.state/1";

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /**
     * @param mainPid the main process, or 0 when there is none
     * @param mainStarted the main process's start time (ProcessHandle.Info#startInstant), or null
     * @param proof what shows, after a crash, that a process is this very main process; null when unknown
     */
    public record InstanceState(String job, String instance, JobGoal goal, JobState state, int mainPid, Instant mainStarted,
                                Proof proof) {

        public InstanceState(String job, String instance, JobGoal goal, JobState state, int mainPid, Instant mainStarted) {
            this(job, instance, goal, state, mainPid, mainStarted, null);
        }
    }

    /**
     * The main process as the kernel showed it when it was saved, and the start ordo gave it: a later
     * supervisor adopts a process only if these still hold (docs/reliability.md).
     *
     * @param ticks its start time in clock ticks after boot (field 22 of /proc/PID/stat); 0 when unknown
     * @param uid its real uid, or -1 when unknown
     * @param exe its executable, or null when unknown
     * @param invocation the INVOCATION_ID of its start, or null when unknown
     */
    public record Proof(long ticks, int uid, String exe, String invocation) {
    }

    public SupervisorState {
        instances = instances.stream()
                .sorted(Comparator.comparing(InstanceState::job).thenComparing(InstanceState::instance))
                .toList();
    }

    /** The JSON document: one instance per line for people, keys always in this order. */
    public byte[] toJson() {
        // One generator for the whole document (it is written many times a second during a boot of thousands
        // of jobs); the printer puts each instance on a line of its own and nothing else anywhere.
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + 120 * instances.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.setPrettyPrinter(LINES);
            g.writeStartObject();
            g.writeStringField("format", FORMAT);
            g.writeNumberField("pid", pid);
            g.writeStringField("started", started.toString());
            g.writeArrayFieldStart("instances");
            for (InstanceState i : instances) {
                g.writeStartObject();
                g.writeStringField("job", i.job());
                g.writeStringField("instance", i.instance());
                g.writeStringField("goal", i.goal().word());
                g.writeStringField("state", i.state().word());
                g.writeNumberField("pid", i.mainPid());
                if (i.mainStarted() == null) g.writeNullField("pid_started");
                else g.writeStringField("pid_started", i.mainStarted().toString());
                Proof f = i.proof();
                if (f != null) {
                    g.writeNumberField("ticks", f.ticks());
                    g.writeNumberField("uid", f.uid());
                    if (f.exe() == null) g.writeNullField("exe");
                    else g.writeStringField("exe", f.exe());
                    if (f.invocation() == null) g.writeNullField("invocation");
                    else g.writeStringField("invocation", f.invocation());
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Compact, except that each element of the (only) array starts a line of its own, indented by two. */
    private static final MinimalPrettyPrinter LINES = new MinimalPrettyPrinter() {
        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw("\n  ");
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n  ");
        }

        @Override
        public void writeEndArray(JsonGenerator g, int values) throws IOException {
            g.writeRaw(values > 0 ? "\n]" : "]");
        }
    };

    /**
     * Reads a document written by {@link #toJson}.
     *
     * @throws IllegalArgumentException saying what is wrong, for anything else
     */
    public static SupervisorState parse(byte[] json) {
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken() == JsonToken.START_OBJECT, "not a JSON object");
            String format = null;
            long pid = -1;
            Instant started = null;
            List<InstanceState> instances = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String k = p.currentName();
                JsonToken t = p.nextToken();
                switch (k) {
                    case "format" -> format = p.getValueAsString();
                    case "pid" -> pid = p.getValueAsLong(-1);
                    case "started" -> started = instant(p.getValueAsString());
                    case "instances" -> {
                        expect(t == JsonToken.START_ARRAY, "`instances` is not a list");
                        instances = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_OBJECT) instances.add(instance(p));
                    }
                    default -> p.skipChildren();
                }
            }
            expect(FORMAT.equals(format), "format is not " + FORMAT);
            expect(pid > 0 && started != null && instances != null, "pid, started or instances missing");
            return new SupervisorState(pid, started, instances);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot be read: " + e.getMessage());
        }
    }

    private static InstanceState instance(JsonParser p) throws IOException {
        String job = null;
        String inst = null;
        JobGoal goal = null;
        JobState state = null;
        int pid = -1;
        Instant at = null;
        long ticks = -1;
        int uid = -1;
        String exe = null;
        String invocation = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            p.nextToken();
            switch (k) {
                case "job" -> job = p.getValueAsString();
                case "instance" -> inst = p.getValueAsString();
                case "goal" -> goal = goal(p.getValueAsString());
                case "state" -> state = state(p.getValueAsString());
                case "pid" -> pid = p.getValueAsInt(-1);
                case "pid_started" -> at = p.currentToken() == JsonToken.VALUE_NULL ? null : instant(p.getValueAsString());
                case "ticks" -> ticks = p.getValueAsLong(-1);
                case "uid" -> uid = p.getValueAsInt(-1);
                case "exe" -> exe = p.getValueAsString();
                case "invocation" -> invocation = p.getValueAsString();
                default -> p.skipChildren();
            }
        }
        expect(job != null && inst != null && goal != null && state != null && pid >= 0, "an instance is incomplete");
        // Written by an ordo before the proof was kept: pid and start time are all there is.
        Proof proof = ticks < 0 ? null : new Proof(ticks, uid, exe, invocation);
        return new InstanceState(job, inst, goal, state, pid, at, proof);
    }

    private static JobGoal goal(String w) {
        for (JobGoal g : JobGoal.values()) if (g.word().equals(w)) return g;
        return null;
    }

    private static JobState state(String w) {
        for (JobState s : JobState.values()) if (s.word().equals(w)) return s;
        return null;
    }

    private static Instant instant(String s) {
        try {
            return s == null ? null : Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: " + s);
        }
    }

    private static void expect(boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException(what);
    }
}
