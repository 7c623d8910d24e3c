package dev.ordo.planner.render;

import dev.ordo.planner.plan.Because;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;

import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Times;
import dev.ordo.planner.plan.Wait;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.UnitCondition;
import dev.ordo.planner.rules.EarlyBoot;
import dev.ordo.planner.rules.NeedsSystemd;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ordo explain JOB}: why a job starts (the chain from the goal, each edge with its kind and
 * where it is written), what it waits for, what waits for it, and where it stops in the shutdown.
 */
public final class ExplainTextRenderer {

    private final Style style;

    public ExplainTextRenderer(Style style) {
        this.style = style;
    }

    /** The ids of every step and not-started job a plan mentions for {@code job} (a job name or a step id). */
    public static List<String> ids(Plan plan, String job) {
        List<String> out = new ArrayList<>();
        for (Step s : plan.boot().steps()) if (s.id().equals(job) || s.job().equals(job)) out.add(s.id());
        for (NotStarted n : plan.notStarted()) {
            if (n.id().equals(job) || n.id().startsWith(job + " (")) out.add(n.id());
        }
        return out;
    }

    public String render(Plan plan, String id) {
        StringBuilder b = new StringBuilder();
        Step step = plan.boot().step(id);
        if (step == null) {
            for (NotStarted n : plan.notStarted()) {
                if (n.id().equals(id)) {
                    b.append(style.bold(id)).append(" does not start: ").append(n.why()).append('\n');
                    return b.toString();
                }
            }
            b.append(style.bold(id)).append(" is not in this plan\n");
            return b.toString();
        }
        boolean critical = plan.boot().criticalPath().stream().anyMatch(p -> p.id().equals(id));
        b.append(style.bold(id)).append(step.task() ? " (task)" : "").append(" starts at ")
                .append(Times.format(step.start())).append(", ").append(step.task() ? "done" : "up").append(" at ")
                .append(Times.format(step.up())).append(" (wave ").append(step.wave()).append(')')
                .append(critical ? ", on the critical path" : "").append('\n');

        b.append('\n').append(style.bold("Why it starts")).append('\n');
        List<Step> chain = new ArrayList<>();
        Step cur = step;
        while (cur != null && !chain.contains(cur)) {
            chain.add(0, cur);
            Because because = cur.because();
            cur = because.by() == null ? null : plan.boot().step(because.by());
        }
        Because root = chain.get(0).because();
        b.append("  ").append(root.kind() == EdgeKind.GOAL
                ? "goal: " + (root.by() == null ? "start " + chain.get(0).id() : "emit " + root.by())
                : root.kind().label() + " " + root.by()).append('\n');
        for (int i = 0; i < chain.size(); i++) {
            Step s = chain.get(i);
            b.append("  ").append("   ".repeat(i)).append("└─ ").append(style.bold(s.id())).append("  ")
                    .append(how(s.because())).append("  ")
                    .append(style.dim(Times.format(s.start()) + " → " + Times.format(s.up()))).append('\n');
        }

        b.append('\n').append(style.bold("It waits for")).append('\n');
        if (step.waitsFor().isEmpty()) b.append("  nothing: it starts as soon as it is triggered\n");
        for (Wait w : step.waitsFor()) {
            Step other = plan.boot().step(w.id());
            b.append("  ").append(w.id()).append("  ").append(w.kind().label())
                    .append(w.source() == null ? "" : " (" + w.source() + ")")
                    .append(other == null ? "" : ", up at " + Times.format(other.up())).append('\n');
        }

        b.append('\n').append(style.bold("Waiting for it")).append('\n');
        int n = 0;
        for (Step s : plan.boot().steps()) {
            for (Wait w : s.waitsFor()) {
                if (!w.id().equals(id)) continue;
                b.append("  ").append(s.id()).append("  ").append(w.kind().label())
                        .append(w.source() == null ? "" : " (" + w.source() + ")").append('\n');
                n++;
            }
            if (s.because().by() != null && s.because().by().equals(id) && s.because().kind() != EdgeKind.GOAL) {
                b.append("  ").append(s.id()).append("  triggered by its ").append(s.because().kind().label())
                        .append(" event").append(s.because().source() == null ? "" : " (" + s.because().source() + ")")
                        .append('\n');
                n++;
            }
        }
        if (n == 0) b.append("  nothing\n");

        b.append('\n').append(style.bold("Shutdown")).append('\n');
        Step down = plan.shutdown().step(id);
        if (down == null) {
            b.append(step.task() ? "  a task: done during the boot, nothing to stop\n" : "  not stopped\n");
        } else {
            b.append("  asked to stop at ").append(Times.format(down.trigger())).append(" (")
                    .append(down.because().kind() == EdgeKind.GOAL ? "shutdown" : down.because().kind().label() + " "
                            + down.because().by()).append("), signalled at ").append(Times.format(down.start()))
                    .append(", stopped at ").append(Times.format(down.up())).append(" (wave ").append(down.wave())
                    .append(")\n");
            for (Wait w : down.waitsFor()) {
                b.append("  after ").append(w.id()).append(" has stopped (").append(w.kind().label())
                        .append(w.source() == null ? "" : ", " + w.source()).append(")\n");
            }
            List<String> later = new ArrayList<>();
            for (Step s : plan.shutdown().steps()) {
                for (Wait w : s.waitsFor()) if (w.id().equals(id)) later.add(s.id());
            }
            if (!later.isEmpty()) b.append("  before ").append(String.join(", ", later)).append(" is signalled\n");
        }
        return b.toString();
    }

    /**
     * {@link #render(Plan, String)}, and what is looked at when {@code job} starts under {@code ordo run}: its
     * conditions and asserts (tested then; the plan takes them to hold), and whether {@code ordo run} skips it
     * on a machine ordo does not own ({@code earlyBoot}: the early boot's units of the configuration).
     */
    public String render(Plan plan, String id, Job job, Set<String> earlyBoot) {
        StringBuilder b = new StringBuilder(render(plan, id));
        if (job == null || plan.boot().step(id) == null) return b.toString();
        List<String> notes = new ArrayList<>();
        if (job.unit() != null) {
            for (UnitCondition c : job.unit().conditions()) {
                notes.add(c.text() + " (" + c.source() + "): tested then; the plan takes it to hold");
            }
        }
        if (earlyBoot.contains(job.name()) && EarlyBoot.skipped(job)) {
            notes.add("ordo run skips it unless ordo is PID 1 or is given --early-boot: it is part of the early boot ("
                    + EarlyBoot.SYSINIT + ")");
        }
        NeedsSystemd needs = NeedsSystemd.of(job);
        if (needs != null) notes.add("ordo run skips it: " + needs.skipText());
        if (notes.isEmpty()) return b.toString();
        b.append('\n').append(style.bold("When it starts")).append('\n');
        for (String n : notes) b.append("  ").append(n).append('\n');
        return b.toString();
    }

    private static String how(Because because) {
        String where = because.source() == null ? "" : " (" + because.source() + ")";
        return switch (because.kind()) {
            case GOAL -> because.by() == null ? "a goal" : "on `" + because.by() + "`" + where;
            case REQUIRES, WANTS, BINDS_TO, REQUISITE, ON_FAILURE, ON_SUCCESS ->
                    "pulled in by " + because.by() + " (" + because.kind().label() + ")" + where;
            default -> "on `" + (because.condition() != null ? because.condition() : because.kind().label() + " "
                    + because.by()) + "`" + where;
        };
    }

}
