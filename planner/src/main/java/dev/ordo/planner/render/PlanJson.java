package dev.ordo.planner.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.planner.check.Code;
import dev.ordo.planner.check.Diagnostic;
import dev.ordo.planner.check.Severity;
import dev.ordo.planner.model.Source;
import dev.ordo.planner.plan.Because;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
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

    public static String write(Plan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", Plan.FORMAT);
        ObjectNode goal = root.putObject("goal");
        ArrayNode events = goal.putArray("events");
        for (Goal.GoalEvent e : plan.goal().events()) {
            ObjectNode o = events.addObject();
            o.put("name", e.name());
            ArrayNode env = o.putArray("env");
            e.env().forEach(env::add);
        }
        ArrayNode jobs = goal.putArray("jobs");
        plan.goal().jobs().forEach(jobs::add);
        ArrayNode fail = goal.putArray("fail");
        for (Goal.Failure f : plan.goal().fail()) {
            ObjectNode o = fail.addObject();
            o.put("job", f.job());
            if (f.how() == null) o.putNull("how");
            else o.put("how", f.how());
        }
        schedule(root.putObject("boot"), plan.boot());
        schedule(root.putObject("shutdown"), plan.shutdown());
        ArrayNode ns = root.putArray("not_started");
        for (NotStarted n : plan.notStarted()) {
            ObjectNode o = ns.addObject();
            o.put("id", n.id());
            o.put("reason", n.reason());
            o.put("why", n.why());
        }
        ArrayNode as = root.putArray("assumptions");
        plan.assumptions().forEach(as::add);
        ArrayNode ds = root.putArray("diagnostics");
        for (Diagnostic d : plan.diagnostics()) {
            ObjectNode o = ds.addObject();
            o.put("severity", d.severity().label());
            o.put("code", d.code().id());
            o.put("name", d.code().slug());
            o.put("message", d.message());
            o.put("file", d.source().file());
            o.put("line", d.source().line());
            o.put("column", d.source().column());
            if (d.hint() == null) o.putNull("hint");
            else o.put("hint", d.hint());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // plain nodes always serialise
        }
    }

    private static void schedule(ObjectNode o, Schedule s) {
        ArrayNode steps = o.putArray("steps");
        for (Step st : s.steps()) {
            ObjectNode n = steps.addObject();
            n.put("id", st.id());
            n.put("job", st.job());
            n.put("instance", st.instance());
            n.put("task", st.task());
            n.put("wave", st.wave());
            n.put("trigger", time(st.trigger()));
            n.put("start", time(st.start()));
            n.put("up", time(st.up()));
            ArrayNode w = n.putArray("waits_for");
            for (Wait x : st.waitsFor()) {
                ObjectNode wo = w.addObject();
                wo.put("id", x.id());
                wo.put("kind", x.kind().label());
                source(wo, x.source());
            }
            ObjectNode b = n.putObject("because");
            Because because = st.because();
            b.put("kind", because.kind().label());
            if (because.by() == null) b.putNull("by");
            else b.put("by", because.by());
            if (because.condition() == null) b.putNull("condition");
            else b.put("condition", because.condition());
            source(b, because.source());
        }
        ArrayNode waves = o.putArray("waves");
        for (List<String> wave : s.waves()) {
            ArrayNode a = waves.addArray();
            wave.forEach(a::add);
        }
        ArrayNode cp = o.putArray("critical_path");
        for (Schedule.PathStep p : s.criticalPath()) {
            ObjectNode n = cp.addObject();
            n.put("id", p.id());
            n.put("start", time(p.start()));
            n.put("up", time(p.up()));
            if (p.via() == null) n.putNull("via");
            else n.put("via", p.via().label());
        }
        o.put("finish", time(s.finish()));
    }

    private static void source(ObjectNode o, Source s) {
        if (s == null) o.putNull("source");
        else o.put("source", s.toString());
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
