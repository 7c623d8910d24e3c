package dev.ordo.planner.render;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.PlanDiff;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Times;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * {@code ordo diff} for people, readable at a glance like {@code git diff --stat}: {@code + job} added,
 * {@code - job} removed, {@code ~ job  wave 1 → 2, up 1.3s → 2.3s} changed, the finishing time and the
 * critical path before and after, and a summary line. Sections with no change are left out.
 */
public final class PlanDiffTextRenderer {

    private static final String ARROW = " → ";

    private final Style style;

    public PlanDiffTextRenderer(Style style) {
        this.style = style;
    }

    public String render(PlanDiff diff) {
        StringBuilder b = new StringBuilder();
        if (diff.equal()) {
            PlanDiff.ScheduleDiff boot = diff.boot();
            b.append("No differences: ").append(goalText(diff.newGoal())).append(", ")
                    .append(count(boot.newSteps(), "job", "jobs")).append(", ")
                    .append(count(boot.newWaves(), "wave", "waves")).append(", all up at ")
                    .append(Times.format(boot.newFinish())).append('\n');
            return b.toString();
        }
        if (diff.goalChanged()) {
            b.append(style.bold("Goal")).append(": ").append(goalText(diff.oldGoal())).append(ARROW)
                    .append(goalText(diff.newGoal())).append("\n\n");
        }
        schedule(b, "Boot", "up", diff.boot());
        notStarted(b, diff);
        schedule(b, "Shutdown", "stopped", diff.shutdown());
        errors(b, diff);
        b.append(summary(diff)).append('\n');
        return b.toString();
    }

    private void schedule(StringBuilder b, String title, String done, PlanDiff.ScheduleDiff s) {
        if (s.equal()) return;
        b.append(style.bold(title)).append(": ")
                .append(change(s.oldSteps(), s.newSteps(), n -> count(n, "job", "jobs"))).append(", ")
                .append(change(s.oldWaves(), s.newWaves(), n -> count(n, "wave", "waves"))).append(", all ")
                .append(done).append(" at ");
        b.append(s.finishChanged()
                ? style.bold(Times.format(s.oldFinish()) + ARROW + Times.format(s.newFinish()))
                : Times.format(s.newFinish()));
        b.append('\n');
        int w = 0;
        for (Step st : s.added()) w = Math.max(w, st.id().length());
        for (Step st : s.removed()) w = Math.max(w, st.id().length());
        for (PlanDiff.StepChange c : s.changed()) w = Math.max(w, c.id().length());
        for (Step st : s.added()) {
            b.append("  ").append(style.green("+ " + pad(st.id(), w))).append("  ")
                    .append(style.dim(stepText(st))).append('\n');
        }
        for (Step st : s.removed()) {
            b.append("  ").append(style.red("- " + pad(st.id(), w))).append("  ")
                    .append(style.dim("was " + stepText(st))).append('\n');
        }
        for (PlanDiff.StepChange c : s.changed()) {
            List<String> parts = new ArrayList<>();
            if (c.waveChanged()) parts.add("wave " + c.oldWave() + ARROW + c.newWave());
            if (c.startChanged()) parts.add("start " + Times.format(c.oldStart()) + ARROW + Times.format(c.newStart()));
            if (c.upChanged()) parts.add(done + " " + Times.format(c.oldUp()) + ARROW + Times.format(c.newUp()));
            b.append("  ").append(style.yellow("~ " + pad(c.id(), w))).append("  ").append(String.join(", ", parts))
                    .append('\n');
        }
        if (s.criticalPathChanged()) {
            b.append("  critical path\n");
            b.append("    ").append(style.red("- " + path(s.oldCriticalPath()))).append('\n');
            b.append("    ").append(style.green("+ " + path(s.newCriticalPath()))).append('\n');
        }
        b.append('\n');
    }

    private void notStarted(StringBuilder b, PlanDiff diff) {
        if (diff.newlyNotStarted().isEmpty() && diff.noLongerNotStarted().isEmpty() && diff.reasonChanged().isEmpty()) {
            return;
        }
        b.append(style.bold("Not started")).append('\n');
        int w = 0;
        for (NotStarted n : diff.newlyNotStarted()) w = Math.max(w, n.id().length());
        for (NotStarted n : diff.noLongerNotStarted()) w = Math.max(w, n.id().length());
        for (PlanDiff.ReasonChange r : diff.reasonChanged()) w = Math.max(w, r.id().length());
        for (NotStarted n : diff.newlyNotStarted()) {
            b.append("  ").append(style.green("+ " + pad(n.id(), w))).append("  ").append(n.why()).append('\n');
        }
        for (NotStarted n : diff.noLongerNotStarted()) {
            b.append("  ").append(style.red("- " + pad(n.id(), w))).append("  ")
                    .append(style.dim("was: " + n.why())).append('\n');
        }
        for (PlanDiff.ReasonChange r : diff.reasonChanged()) {
            b.append("  ").append(style.yellow("~ " + pad(r.id(), w))).append("  ")
                    .append(style.dim("was: " + r.old().why())).append('\n')
                    .append("  ").append(" ".repeat(w + 2)).append("  now: ").append(r.neu().why()).append('\n');
        }
        b.append('\n');
    }

    private void errors(StringBuilder b, PlanDiff diff) {
        if (diff.newErrors().isEmpty() && diff.resolvedErrors().isEmpty()) return;
        b.append(style.bold("Errors")).append('\n');
        for (Diagnostic d : diff.newErrors()) {
            b.append("  ").append(style.red("+ ")).append(d.source()).append(": ")
                    .append(style.red("error[" + d.code().id() + "]")).append(": ").append(d.message()).append('\n');
        }
        for (Diagnostic d : diff.resolvedErrors()) {
            b.append("  ").append(style.green("- ")).append(style.dim(d.source() + ": error[" + d.code().id() + "]: "
                    + d.message() + " (resolved)")).append('\n');
        }
        b.append('\n');
    }

    /** One line, the counts of what changed: the last line, like git's "3 files changed". */
    static String summary(PlanDiff diff) {
        List<String> parts = new ArrayList<>();
        PlanDiff.ScheduleDiff boot = diff.boot();
        if (diff.goalChanged()) parts.add("goal changed");
        if (!boot.added().isEmpty()) parts.add(boot.added().size() + " added");
        if (!boot.removed().isEmpty()) parts.add(boot.removed().size() + " removed");
        if (!boot.changed().isEmpty()) parts.add(boot.changed().size() + " changed");
        if (!diff.newlyNotStarted().isEmpty()) parts.add(diff.newlyNotStarted().size() + " newly not started");
        if (!diff.noLongerNotStarted().isEmpty()) {
            parts.add(diff.noLongerNotStarted().size() + " no longer not started");
        }
        if (!diff.reasonChanged().isEmpty()) parts.add(diff.reasonChanged().size() + " not started for another reason");
        int down = diff.shutdown().added().size() + diff.shutdown().removed().size() + diff.shutdown().changed().size();
        if (down > 0) parts.add(count(down, "shutdown change", "shutdown changes"));
        if (!diff.newErrors().isEmpty()) parts.add(count(diff.newErrors().size(), "new error", "new errors"));
        if (!diff.resolvedErrors().isEmpty()) {
            parts.add(count(diff.resolvedErrors().size(), "error resolved", "errors resolved"));
        }
        if (boot.finishChanged()) {
            parts.add("boot " + Times.format(boot.oldFinish()) + ARROW + Times.format(boot.newFinish()));
        }
        if (parts.isEmpty()) parts.add("critical path changed");
        return String.join(", ", parts);
    }

    private static String stepText(Step s) {
        return "wave " + s.wave() + ", " + Times.format(s.start()) + ARROW + Times.format(s.up())
                + (s.task() ? " task" : "");
    }

    private static String path(List<String> ids) {
        return ids.isEmpty() ? "(none)" : String.join(ARROW, ids);
    }

    static String goalText(Goal g) {
        List<String> parts = new ArrayList<>();
        for (Goal.GoalEvent e : g.events()) parts.add("emit " + e.text());
        for (String j : g.jobs()) parts.add("start " + j);
        for (Goal.Failure f : g.fail()) parts.add("fail " + f.job() + (f.how() == null ? "" : "=" + f.how()));
        return parts.isEmpty() ? "no goal" : String.join(", ", parts);
    }

    private static String change(int old, int neu, Function<Integer, String> text) {
        return old == neu ? text.apply(neu) : old + ARROW + text.apply(neu);
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }
}
