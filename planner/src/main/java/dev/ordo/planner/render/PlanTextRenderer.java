package dev.ordo.planner.render;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.plan.Because;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Times;
import dev.ordo.planner.plan.Wait;
import java.util.ArrayList;
import java.util.List;

/** {@code ordo plan} for people: the waves with times and reasons, the critical path, what does not start. */
public final class PlanTextRenderer {

    private final Style style;
    private final boolean shutdown;

    public PlanTextRenderer(Style style, boolean shutdown) {
        this.style = style;
        this.shutdown = shutdown;
    }

    public String render(Plan plan) {
        StringBuilder b = new StringBuilder();
        for (Diagnostic d : plan.diagnostics()) {
            if (d.severity() != Severity.ERROR) continue;
            // The form of `ordo check` and of compilers, which editors and CI annotators read.
            b.append(style.bold(d.source().toString())).append(": ").append(style.red("error"))
                    .append(style.bold("[" + d.code().id() + "]")).append(": ").append(d.message()).append('\n');
            if (d.hint() != null) b.append("  ").append(style.cyan("hint:")).append(' ').append(d.hint()).append('\n');
        }
        if (b.length() > 0) b.append('\n');
        schedule(b, "Boot", goalText(plan.goal()), plan.boot(), false);
        if (!plan.notStarted().isEmpty()) {
            b.append('\n').append(style.bold("Not started")).append('\n');
            int w = 0;
            for (NotStarted n : plan.notStarted()) w = Math.max(w, n.id().length());
            for (NotStarted n : plan.notStarted()) {
                b.append("  ").append(pad(n.id(), w)).append("  ").append(n.why()).append('\n');
            }
        }
        if (shutdown) {
            b.append('\n');
            schedule(b, "Shutdown", "every job up at the end of the boot", plan.shutdown(), true);
        }
        long warnings = plan.diagnostics().stream().filter(d -> d.severity() == Severity.WARNING).count();
        if (warnings > 0) {
            b.append('\n').append(warnings).append(warnings == 1 ? " warning" : " warnings")
                    .append(" (see `ordo check`)\n");
        }
        return b.toString();
    }

    private static String goalText(Goal g) {
        List<String> parts = new ArrayList<>();
        for (Goal.GoalEvent e : g.events()) parts.add("emit " + e.text());
        for (String j : g.jobs()) parts.add("start " + j);
        for (Goal.Failure f : g.fail()) parts.add("fail " + f.job() + (f.how() == null ? "" : "=" + f.how()));
        return String.join(", ", parts);
    }

    private void schedule(StringBuilder b, String title, String goal, Schedule s, boolean down) {
        b.append(style.bold(title)).append(" (").append(goal).append("): ");
        if (s.steps().isEmpty()) {
            b.append("nothing ").append(down ? "to stop" : "starts").append('\n');
            return;
        }
        b.append(s.steps().size()).append(s.steps().size() == 1 ? " job" : " jobs").append(", ")
                .append(s.waves().size()).append(s.waves().size() == 1 ? " wave" : " waves").append(", ")
                .append(down ? "all stopped at " : "all up at ").append(style.bold(Times.format(s.finish())))
                .append('\n');
        int idWidth = 0;
        int timeWidth = 0;
        for (Step st : s.steps()) {
            idWidth = Math.max(idWidth, st.id().length());
            timeWidth = Math.max(timeWidth, span(st).length());
        }
        java.util.Set<String> critical = new java.util.HashSet<>();
        for (Schedule.PathStep p : s.criticalPath()) critical.add(p.id());
        for (int w = 0; w < s.waves().size(); w++) {
            if (s.waves().get(w).isEmpty()) continue; // nothing starts in it: its steps are held
            b.append("  ").append(style.dim("wave " + w)).append('\n');
            for (String id : s.waves().get(w)) {
                Step st = s.step(id);
                String name = pad(st.id(), idWidth);
                if (critical.contains(st.id())) name = style.bold(name);
                b.append("    ").append(pad(span(st), timeWidth)).append("  ").append(name).append("  ")
                        .append(style.dim(reasons(st, down))).append('\n');
            }
        }
        b.append("  ").append(down ? "critical path: " : "critical path: ");
        List<String> parts = new ArrayList<>();
        for (Schedule.PathStep p : s.criticalPath()) {
            String step = p.id() + " " + Times.format(p.start()) + "→" + Times.format(p.up());
            parts.add(p.via() == null ? step : "─" + p.via().label() + "→ " + step);
        }
        b.append(String.join(" ", parts)).append('\n');
    }

    private static String span(Step s) {
        return Times.format(s.start()) + " → " + Times.format(s.up()) + (s.task() ? " task" : "");
    }

    private static String reasons(Step s, boolean down) {
        List<String> r = new ArrayList<>();
        Because because = s.because();
        if (because.kind() == EdgeKind.GOAL) {
            r.add(down ? "shutdown" : because.by() != null ? because.by() : "goal");
        } else if (because.by() != null) {
            r.add(switch (because.kind()) {
                case REQUIRES -> "required by " + because.by();
                case WANTS -> "wanted by " + because.by();
                case BINDS_TO -> "bound to by " + because.by();
                case REQUISITE -> "required by " + because.by();
                case ON_FAILURE -> "on failure of " + because.by();
                case ON_SUCCESS -> "on success of " + because.by();
                case EMITS -> "event from " + because.by();
                default -> because.kind().label() + " " + because.by();
            });
        }
        List<String> waits = new ArrayList<>();
        for (Wait w : s.waitsFor()) {
            if (because.by() != null && w.id().equals(because.by()) && w.kind() == because.kind()) continue;
            waits.add(w.id() + " (" + w.kind().label() + ")");
        }
        if (!waits.isEmpty()) r.add("waited for " + String.join(", ", waits));
        return String.join("; ", r);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
