package dev.ordo.planner.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.plan.Because;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ordo.plan/1} JSON document (docs/plan-format.md): written by {@code ordo plan --format
 * json}, read back by {@code ordo diff}. Keys come in a fixed order and times are rounded to the
 * millisecond, so the same plan is the same bytes.
 */
public final class PlanJson {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    private PlanJson() {
    }

    /** The document as a string (with a final newline). */
    public static String write(Plan plan) {
        StringWriter out = new StringWriter();
        try {
            write(plan, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * Writes the document to {@code out} as it goes (the same bytes as {@link #write(Plan)}), so that
     * a plan of 100,000 steps is never held as a tree or a string. Does not close {@code out}.
     */
    public static void write(Plan plan, Writer out) throws IOException {
        // The generator is set up as the mapper sets up its own for INDENT_OUTPUT: same factory
        // features (plain BigDecimal), the same default pretty printer.
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("format", Plan.FORMAT);
            g.writeObjectFieldStart("goal");
            g.writeArrayFieldStart("events");
            for (Goal.GoalEvent e : plan.goal().events()) {
                g.writeStartObject();
                g.writeStringField("name", e.name());
                g.writeArrayFieldStart("env");
                for (String v : e.env()) g.writeString(v);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("jobs");
            for (String j : plan.goal().jobs()) g.writeString(j);
            g.writeEndArray();
            g.writeArrayFieldStart("fail");
            for (Goal.Failure f : plan.goal().fail()) {
                g.writeStartObject();
                g.writeStringField("job", f.job());
                nullable(g, "how", f.how());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeFieldName("boot");
            schedule(g, plan.boot());
            g.writeFieldName("shutdown");
            schedule(g, plan.shutdown());
            g.writeArrayFieldStart("not_started");
            for (NotStarted n : plan.notStarted()) {
                g.writeStartObject();
                g.writeStringField("id", n.id());
                g.writeStringField("reason", n.reason());
                g.writeStringField("why", n.why());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("assumptions");
            for (String a : plan.assumptions()) g.writeString(a);
            g.writeEndArray();
            g.writeArrayFieldStart("diagnostics");
            for (Diagnostic d : plan.diagnostics()) {
                g.writeStartObject();
                g.writeStringField("severity", d.severity().label());
                g.writeStringField("code", d.code().id());
                g.writeStringField("name", d.code().slug());
                g.writeStringField("message", d.message());
                g.writeStringField("file", d.source().file());
                g.writeNumberField("line", d.source().line());
                g.writeNumberField("column", d.source().column());
                nullable(g, "hint", d.hint());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.write("\n");
    }

    private static void schedule(JsonGenerator g, Schedule s) throws IOException {
        g.writeStartObject();
        g.writeArrayFieldStart("steps");
        for (Step st : s.steps()) {
            g.writeStartObject();
            g.writeStringField("id", st.id());
            g.writeStringField("job", st.job());
            g.writeStringField("instance", st.instance());
            g.writeBooleanField("task", st.task());
            g.writeNumberField("wave", st.wave());
            timeField(g, "trigger", st.trigger());
            timeField(g, "start", st.start());
            timeField(g, "up", st.up());
            g.writeArrayFieldStart("waits_for");
            for (Wait x : st.waitsFor()) {
                g.writeStartObject();
                g.writeStringField("id", x.id());
                g.writeStringField("kind", x.kind().label());
                source(g, x.source());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("because");
            Because because = st.because();
            g.writeStringField("kind", because.kind().label());
            nullable(g, "by", because.by());
            nullable(g, "condition", because.condition());
            source(g, because.source());
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("waves");
        for (List<String> wave : s.waves()) {
            g.writeStartArray();
            for (String id : wave) g.writeString(id);
            g.writeEndArray();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("critical_path");
        for (Schedule.PathStep p : s.criticalPath()) {
            g.writeStartObject();
            g.writeStringField("id", p.id());
            timeField(g, "start", p.start());
            timeField(g, "up", p.up());
            nullable(g, "via", p.via() == null ? null : p.via().label());
            g.writeEndObject();
        }
        g.writeEndArray();
        timeField(g, "finish", s.finish());
        g.writeEndObject();
    }

    private static void nullable(JsonGenerator g, String field, String value) throws IOException {
        if (value == null) g.writeNullField(field);
        else g.writeStringField(field, value);
    }

    private static void source(JsonGenerator g, Source s) throws IOException {
        nullable(g, "source", s == null ? null : s.toString());
    }

    /**
     * Writes {@link #time}: a whole number of seconds (most times, and every time in waves) is written
     * as the integer it prints as, without making a BigDecimal.
     */
    private static void timeField(JsonGenerator g, String field, double seconds) throws IOException {
        if (seconds == Math.rint(seconds) && Math.abs(seconds) < 1e15) g.writeNumberField(field, (long) seconds);
        else g.writeNumberField(field, time(seconds));
    }

    /** Seconds, rounded to the millisecond, written without trailing zeros or exponent. */
    static BigDecimal time(double seconds) {
        BigDecimal d = BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    /**
     * Reads a document written by {@link #write}.
     *
     * @throws IllegalArgumentException with a one-line reason when it is not an {@code ordo.plan/1} document
     */
    public static Plan read(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw new IllegalArgumentException("not JSON: " + (m == null ? "" : m.lines().findFirst().orElse(""))
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        }
        if (root == null || !root.isObject() || !Plan.FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException("not an " + Plan.FORMAT + " document (its \"format\" is "
                    + (root == null ? "missing" : root.path("format").toString()) + ")");
        }
        try {
            JsonNode g = root.path("goal");
            List<Goal.GoalEvent> events = new ArrayList<>();
            for (JsonNode e : g.path("events")) events.add(new Goal.GoalEvent(e.path("name").asText(), strings(e.path("env"))));
            List<Goal.Failure> fail = new ArrayList<>();
            for (JsonNode f : g.path("fail")) fail.add(new Goal.Failure(f.path("job").asText(), text(f.path("how"))));
            Goal goal = new Goal(events, strings(g.path("jobs")), fail);
            List<NotStarted> ns = new ArrayList<>();
            for (JsonNode n : root.path("not_started")) {
                ns.add(new NotStarted(n.path("id").asText(), n.path("reason").asText(), n.path("why").asText()));
            }
            List<Diagnostic> ds = new ArrayList<>();
            for (JsonNode d : root.path("diagnostics")) {
                Code code = codeOf(d.path("code").asText());
                if (code == null) continue; // a code from a later ordo: the diff does not need it
                ds.add(new Diagnostic(d.path("severity").asText().equals("error") ? Severity.ERROR : Severity.WARNING,
                        code, d.path("message").asText(),
                        new Source(d.path("file").asText(), d.path("line").asInt(), d.path("column").asInt()),
                        text(d.path("hint"))));
            }
            return new Plan(goal, schedule(root.path("boot")), schedule(root.path("shutdown")), ns, ds,
                    strings(root.path("assumptions")));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("malformed " + Plan.FORMAT + " document: " + e.getMessage());
        }
    }

    private static Schedule schedule(JsonNode o) {
        List<Step> steps = new ArrayList<>();
        for (JsonNode n : o.path("steps")) {
            List<Wait> waits = new ArrayList<>();
            for (JsonNode w : n.path("waits_for")) {
                waits.add(new Wait(w.path("id").asText(), kind(w.path("kind").asText()), source(w.path("source"))));
            }
            JsonNode b = n.path("because");
            steps.add(new Step(n.path("id").asText(), n.path("job").asText(), n.path("instance").asText(),
                    n.path("task").asBoolean(), n.path("wave").asInt(), n.path("trigger").asDouble(),
                    n.path("start").asDouble(), n.path("up").asDouble(), waits,
                    new Because(kind(b.path("kind").asText()), text(b.path("by")), text(b.path("condition")),
                            source(b.path("source")))));
        }
        List<List<String>> waves = new ArrayList<>();
        for (JsonNode w : o.path("waves")) waves.add(strings(w));
        List<Schedule.PathStep> cp = new ArrayList<>();
        for (JsonNode p : o.path("critical_path")) {
            String via = text(p.path("via"));
            cp.add(new Schedule.PathStep(p.path("id").asText(), p.path("start").asDouble(), p.path("up").asDouble(),
                    via == null ? null : kind(via)));
        }
        return new Schedule(steps, waves, cp, o.path("finish").asDouble());
    }

    private static EdgeKind kind(String label) {
        for (EdgeKind k : EdgeKind.values()) if (k.label().equals(label)) return k;
        throw new IllegalArgumentException("unknown edge kind \"" + label + "\"");
    }

    private static Code codeOf(String id) {
        for (Code c : Code.values()) if (c.id().equals(id)) return c;
        return null;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : a) out.add(s.asText());
        return out;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    /** Parses {@code file:line:col} as written by {@link Source#toString()}; a bare file name is line 0. */
    private static Source source(JsonNode n) {
        String s = text(n);
        if (s == null) return null;
        int c2 = s.lastIndexOf(':');
        int c1 = c2 > 0 ? s.lastIndexOf(':', c2 - 1) : -1;
        if (c1 > 0) {
            try {
                return new Source(s.substring(0, c1), Integer.parseInt(s.substring(c1 + 1, c2)),
                        Integer.parseInt(s.substring(c2 + 1)));
            } catch (NumberFormatException e) {
                // a file name with colons in it
            }
        }
        return Source.file(s);
    }
}
