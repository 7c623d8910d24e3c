package dev.ordo.executor.runtime;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.engine.JobStatus;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code --format json} of the client commands: each instance's status as one object, with the fields of
 * docs/control.md ("JSON answers"), in a fixed order, so that the same state gives the same bytes. {@code list}
 * is an array of them; {@code status}, {@code start}, {@code stop} and {@code restart} one (an array when a job
 * has several instances); a command with nothing to show ({@code emit}, a {@code --no-wait}) an empty object.
 */
final class StatusJson {

    private static final JsonFactory JSON = new JsonFactory();

    private StatusJson() {
    }

    static String render(List<JobStatus> statuses, boolean list) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            if (list || statuses.size() > 1) {
                g.writeStartArray();
                for (JobStatus s : statuses) write(g, s);
                g.writeEndArray();
            } else if (statuses.isEmpty()) {
                g.writeStartObject();
                g.writeEndObject();
            } else {
                write(g, statuses.get(0));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return w.toString();
    }

    private static void write(JsonGenerator g, JobStatus s) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", s.name());
        g.writeStringField("job", s.job());
        g.writeStringField("instance", s.instance());
        g.writeStringField("goal", s.goal().word());
        g.writeStringField("state", s.state().word());
        g.writeBooleanField("running", s.goal() == JobGoal.START && s.state() == JobState.RUNNING);
        g.writeObjectFieldStart("processes");
        for (Map.Entry<String, Integer> p : s.processes().entrySet()) g.writeNumberField(p.getKey(), p.getValue());
        g.writeEndObject();
        if (s.failed() != null) g.writeStringField("failed", s.failed());
        if (s.skipped() != null) g.writeStringField("skipped", s.skipped());
        if (s.removed()) g.writeBooleanField("removed", true);
        g.writeEndObject();
    }
}
