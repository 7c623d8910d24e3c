package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What changed between two plans ({@code ordo diff OLD NEW}): jobs added to or removed from the boot,
 * steps that moved wave or start or come up at another time, what no longer starts (or now does), the
 * finishing times and critical paths of boot and shutdown, and errors that appeared or went away.
 *
 * <p>Times are compared to the millisecond, the precision of a saved plan, so a plan read back from
 * its {@code ordo.plan/1} form equals the plan it was written from. Every list is sorted by step id
 * (diagnostics in {@link Diagnostic#ORDER}), so the same two plans always give the same diff.
 *
 * @param newlyNotStarted jobs that do not start in the new plan but did not appear as not started in
 *     the old one (they started, or did not exist), with the new reason
 * @param noLongerNotStarted jobs the old plan listed as not started that the new one does not (they
 *     start now, or are gone), with the old reason
 * @param reasonChanged jobs not started in both plans, for another reason
 * @param newErrors error diagnostics of the new plan that the old one did not have
 * @param resolvedErrors error diagnostics of the old plan that the new one no longer has
 */
public record PlanDiff(Goal oldGoal, Goal newGoal, ScheduleDiff boot, ScheduleDiff shutdown,
                       List<NotStarted> newlyNotStarted, List<NotStarted> noLongerNotStarted,
                       List<ReasonChange> reasonChanged, List<Diagnostic> newErrors, List<Diagnostic> resolvedErrors) {

    public PlanDiff {
        newlyNotStarted = List.copyOf(newlyNotStarted);
        noLongerNotStarted = List.copyOf(noLongerNotStarted);
        reasonChanged = List.copyOf(reasonChanged);
        newErrors = List.copyOf(newErrors);
        resolvedErrors = List.copyOf(resolvedErrors);
    }

    /**
     * How one schedule (boot or shutdown) changed.
     *
     * @param added steps only the new schedule has, as they are there
     * @param removed steps only the old schedule has, as they were there
     * @param changed steps in both whose wave, start or up differs
     * @param oldCriticalPath the step ids of the old critical path, first to last
     */
    public record ScheduleDiff(List<Step> added, List<Step> removed, List<StepChange> changed,
                               int oldSteps, int newSteps, int oldWaves, int newWaves,
                               double oldFinish, double newFinish,
                               List<String> oldCriticalPath, List<String> newCriticalPath) {

        public ScheduleDiff {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
            oldCriticalPath = List.copyOf(oldCriticalPath);
            newCriticalPath = List.copyOf(newCriticalPath);
        }

        public boolean finishChanged() {
            return !sameTime(oldFinish, newFinish);
        }

        public boolean criticalPathChanged() {
            return !oldCriticalPath.equals(newCriticalPath);
        }

        /** The changed steps that moved to another wave: the order changed, not only the timing. */
        public List<StepChange> moved() {
            return changed.stream().filter(StepChange::waveChanged).toList();
        }

        public boolean equal() {
            return added.isEmpty() && removed.isEmpty() && changed.isEmpty() && oldSteps == newSteps
                    && oldWaves == newWaves && !finishChanged() && !criticalPathChanged();
        }
    }

    /** A step in both schedules whose wave, start or up changed; the unchanged ones appear with old == new. */
    public record StepChange(String id, int oldWave, int newWave, double oldStart, double newStart,
                             double oldUp, double newUp) {

        public boolean waveChanged() {
            return oldWave != newWave;
        }

        public boolean startChanged() {
            return !sameTime(oldStart, newStart);
        }

        public boolean upChanged() {
            return !sameTime(oldUp, newUp);
        }
    }

    /** A job that does not start in either plan, but for another reason. */
    public record ReasonChange(String id, NotStarted old, NotStarted neu) {
    }

    /** Compares two plans; {@code old} and {@code neu} are left as they are. */
    public static PlanDiff compare(Plan old, Plan neu) {
        Map<String, NotStarted> oldNs = byId(old.notStarted(), NotStarted::id);
        Map<String, NotStarted> newNs = byId(neu.notStarted(), NotStarted::id);
        List<NotStarted> newly = new ArrayList<>();
        List<NotStarted> noLonger = new ArrayList<>();
        List<ReasonChange> reasons = new ArrayList<>();
        for (NotStarted n : newNs.values()) {
            NotStarted o = oldNs.get(n.id());
            if (o == null) newly.add(n);
            else if (!o.reason().equals(n.reason()) || !withoutDirs(o.why()).equals(withoutDirs(n.why()))) {
                reasons.add(new ReasonChange(n.id(), o, n));
            }
        }
        for (NotStarted o : oldNs.values()) if (!newNs.containsKey(o.id())) noLonger.add(o);
        return new PlanDiff(old.goal(), neu.goal(), compare(old.boot(), neu.boot()),
                compare(old.shutdown(), neu.shutdown()), newly, noLonger, reasons,
                unmatched(errors(neu), errors(old)), unmatched(errors(old), errors(neu)));
    }

    /** True when the plans say the same: goal, steps at the same waves and times, reasons, errors. */
    public boolean equal() {
        return Objects.equals(oldGoal, newGoal) && boot.equal() && shutdown.equal() && newlyNotStarted.isEmpty()
                && noLongerNotStarted.isEmpty() && reasonChanged.isEmpty() && newErrors.isEmpty()
                && resolvedErrors.isEmpty();
    }

    public boolean goalChanged() {
        return !Objects.equals(oldGoal, newGoal);
    }

    private static ScheduleDiff compare(Schedule old, Schedule neu) {
        Map<String, Step> before = byId(old.steps(), Step::id);
        Map<String, Step> after = byId(neu.steps(), Step::id);
        List<Step> added = new ArrayList<>();
        List<Step> removed = new ArrayList<>();
        List<StepChange> changed = new ArrayList<>();
        for (Step n : after.values()) {
            Step o = before.get(n.id());
            if (o == null) {
                added.add(n);
                continue;
            }
            StepChange c = new StepChange(n.id(), o.wave(), n.wave(), o.start(), n.start(), o.up(), n.up());
            if (c.waveChanged() || c.startChanged() || c.upChanged()) changed.add(c);
        }
        for (Step o : before.values()) if (!after.containsKey(o.id())) removed.add(o);
        return new ScheduleDiff(added, removed, changed, old.steps().size(), neu.steps().size(), old.waves().size(),
                neu.waves().size(), old.finish(), neu.finish(), ids(old.criticalPath()), ids(neu.criticalPath()));
    }

    /** Sorted by id; of two entries with one id (which plans never have) the first counts. */
    private static <T> Map<String, T> byId(List<T> items, java.util.function.Function<T, String> id) {
        Map<String, T> out = new TreeMap<>();
        for (T t : items) out.putIfAbsent(id.apply(t), t);
        return out;
    }

    private static List<String> ids(List<Schedule.PathStep> path) {
        return path.stream().map(Schedule.PathStep::id).toList();
    }

    private static List<Diagnostic> errors(Plan plan) {
        return plan.diagnostics().stream().filter(d -> d.severity() == Severity.ERROR).toList();
    }

    /**
     * The diagnostics of {@code these} that {@code others} has no counterpart for. An exact match
     * (same place) pairs first; then one with the same code, file name and message (directories left
     * out), so an error that only moved a few lines, or lives in a copy of the directory, is not new.
     */
    private static List<Diagnostic> unmatched(List<Diagnostic> these, List<Diagnostic> others) {
        List<Diagnostic> pool = new ArrayList<>(others);
        List<Diagnostic> rest = new ArrayList<>();
        for (Diagnostic d : sorted(these)) {
            Diagnostic exact = pool.stream().filter(o -> o.code() == d.code() && o.message().equals(d.message())
                    && o.source().equals(d.source())).findFirst().orElse(null);
            if (exact != null) pool.remove(exact);
            else rest.add(d);
        }
        List<Diagnostic> out = new ArrayList<>();
        for (Diagnostic d : rest) {
            Iterator<Diagnostic> it = pool.iterator();
            boolean found = false;
            while (it.hasNext() && !found) {
                Diagnostic o = it.next();
                if (o.code() == d.code() && withoutDirs(o.message()).equals(withoutDirs(d.message()))
                        && withoutDirs(o.source().file()).equals(withoutDirs(d.source().file()))) {
                    it.remove();
                    found = true;
                }
            }
            if (!found) out.add(d);
        }
        return out;
    }

    private static List<Diagnostic> sorted(List<Diagnostic> ds) {
        List<Diagnostic> out = new ArrayList<>(ds);
        out.sort(Diagnostic.ORDER);
        return out;
    }

    /** Messages and reasons name places ("(after, a/x.yaml:5:7)"): the same in a copy of the directory. */
    private static String withoutDirs(String text) {
        return DIRS.matcher(text).replaceAll("");
    }

    private static final Pattern DIRS = Pattern.compile("[^\\s(`'\"]*[/\\\\]");

    /** The same time to the millisecond (a saved plan's precision); two nevers are the same too. */
    static boolean sameTime(double a, double b) {
        if (Double.isInfinite(a) || Double.isInfinite(b) || Double.isNaN(a) || Double.isNaN(b)) {
            return Double.compare(a, b) == 0;
        }
        // The rounding a saved plan and Times.format use, so a plan read back compares equal to its origin.
        return BigDecimal.valueOf(a).setScale(3, RoundingMode.HALF_UP)
                .compareTo(BigDecimal.valueOf(b).setScale(3, RoundingMode.HALF_UP)) == 0;
    }
}
