package dev.ordo.planner.render;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.PlanDiff;
import dev.ordo.planner.plan.Step;
import java.util.List;

/**
 * The {@code ordo.diff/1} JSON document (docs/diff.md): keys in a fixed order, every section always
 * present (empty when nothing changed), times rounded to the millisecond as in {@code ordo.plan/1}.
 */
public final class PlanDiffJsonRenderer {

    public static final String FORMAT = "ordo.diff/1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);

    public String render(PlanDiff diff) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("equal", diff.equal());
        ObjectNode goal = root.putObject("goal");
        goal.put("changed", diff.goalChanged());
        goal(goal.putObject("old"), diff.oldGoal());
        goal(goal.putObject("new"), diff.newGoal());
        schedule(root.putObject("boot"), diff.boot());
        ObjectNode ns = root.putObject("not_started");
        notStarted(ns.putArray("added"), diff.newlyNotStarted());
        notStarted(ns.putArray("removed"), diff.noLongerNotStarted());
        ArrayNode changed = ns.putArray("changed");
        for (PlanDiff.ReasonChange r : diff.reasonChanged()) {
            ObjectNode o = changed.addObject();
            o.put("id", r.id());
            reason(o.putObject("old"), r.old());
            reason(o.putObject("new"), r.neu());
        }
        schedule(root.putObject("shutdown"), diff.shutdown());
        ObjectNode errors = root.putObject("errors");
        diagnostics(errors.putArray("added"), diff.newErrors());
        diagnostics(errors.putArray("resolved"), diff.resolvedErrors());
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // plain nodes always serialise
        }
    }

    private static void goal(ObjectNode o, Goal g) {
        ArrayNode events = o.putArray("events");
        for (Goal.GoalEvent e : g.events()) events.add(e.text());
        ArrayNode jobs = o.putArray("jobs");
        g.jobs().forEach(jobs::add);
        ArrayNode fail = o.putArray("fail");
        for (Goal.Failure f : g.fail()) fail.add(f.how() == null ? f.job() : f.job() + "=" + f.how());
    }

    private static void schedule(ObjectNode o, PlanDiff.ScheduleDiff s) {
        o.put("equal", s.equal());
        steps(o.putArray("added"), s.added());
        steps(o.putArray("removed"), s.removed());
        ArrayNode changed = o.putArray("changed");
        for (PlanDiff.StepChange c : s.changed()) {
            ObjectNode n = changed.addObject();
            n.put("id", c.id());
            ObjectNode wave = n.putObject("wave");
            wave.put("old", c.oldWave());
            wave.put("new", c.newWave());
            pair(n.putObject("start"), c.oldStart(), c.newStart());
            pair(n.putObject("up"), c.oldUp(), c.newUp());
        }
        ObjectNode count = o.putObject("steps");
        count.put("old", s.oldSteps());
        count.put("new", s.newSteps());
        ObjectNode waves = o.putObject("waves");
        waves.put("old", s.oldWaves());
        waves.put("new", s.newWaves());
        pair(o.putObject("finish"), s.oldFinish(), s.newFinish());
        ObjectNode cp = o.putObject("critical_path");
        cp.put("changed", s.criticalPathChanged());
        ids(cp.putArray("old"), s.oldCriticalPath());
        ids(cp.putArray("new"), s.newCriticalPath());
    }

    private static void steps(ArrayNode a, List<Step> steps) {
        for (Step st : steps) {
            ObjectNode n = a.addObject();
            n.put("id", st.id());
            n.put("task", st.task());
            n.put("wave", st.wave());
            n.put("start", PlanJson.time(st.start()));
            n.put("up", PlanJson.time(st.up()));
        }
    }

    private static void pair(ObjectNode o, double old, double neu) {
        o.put("old", PlanJson.time(old));
        o.put("new", PlanJson.time(neu));
    }

    private static void ids(ArrayNode a, List<String> ids) {
        ids.forEach(a::add);
    }

    private static void notStarted(ArrayNode a, List<NotStarted> list) {
        for (NotStarted n : list) {
            ObjectNode o = a.addObject();
            o.put("id", n.id());
            reason(o, n);
        }
    }

    private static void reason(ObjectNode o, NotStarted n) {
        o.put("reason", n.reason());
        o.put("why", n.why());
    }

    private static void diagnostics(ArrayNode a, List<Diagnostic> ds) {
        for (Diagnostic d : ds) DiagnosticJson.put(a.addObject(), d, false);
    }
}
