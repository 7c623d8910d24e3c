package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.render.PlanJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PlanDiff on hand-built plans (each rule alone) and on plans of real ordo.yaml variants. */
class PlanDiffTest {

    static final Goal STARTUP = new Goal(List.of(new Goal.GoalEvent("startup", List.of())), List.of(), List.of());

    static Step step(String id, int wave, double start, double up) {
        return new Step(id, id, "", false, wave, start, start, up, List.of(),
                new Because(EdgeKind.GOAL, null, null, null));
    }

    /** A schedule of the given steps, waves grouped from their wave numbers, critical path as given. */
    static Schedule schedule(List<Step> steps, List<String> path) {
        java.util.TreeMap<Integer, java.util.TreeSet<String>> waves = new java.util.TreeMap<>();
        for (Step s : steps) waves.computeIfAbsent(s.wave(), k -> new java.util.TreeSet<>()).add(s.id());
        double finish = steps.stream().mapToDouble(Step::up).max().orElse(0);
        List<Schedule.PathStep> cp = path.stream().map(id -> {
            Step s = steps.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
            return new Schedule.PathStep(id, s.start(), s.up(), null);
        }).toList();
        return new Schedule(steps, waves.values().stream().map(w -> (List<String>) List.copyOf(w)).toList(), cp, finish);
    }

    static Plan plan(Schedule boot, List<NotStarted> ns, List<Diagnostic> ds) {
        return new Plan(STARTUP, boot, Schedule.EMPTY, ns, ds, List.of());
    }

    static final Schedule ABC = schedule(List.of(step("a", 0, 0, 1), step("b", 1, 1, 2), step("c", 0, 0, 1)),
            List.of("a", "b"));

    // ---- hand-built plans -----------------------------------------------------------------------

    @Test
    void aPlanEqualsItself() {
        Plan p = plan(ABC, List.of(new NotStarted("d", "no-trigger", "waits for `x`")), List.of());
        PlanDiff d = PlanDiff.compare(p, p);
        assertTrue(d.equal());
        assertEquals(List.of(), d.boot().changed());
        assertFalse(d.goalChanged());
    }

    @Test
    void addedRemovedAndChangedStepsAreSortedById() {
        Schedule neu = schedule(List.of(step("a", 0, 0, 1), step("z", 0, 0, 1), step("y", 2, 2, 3),
                step("c", 2, 2, 3)), List.of("a", "y"));
        PlanDiff d = PlanDiff.compare(plan(ABC, List.of(), List.of()), plan(neu, List.of(), List.of()));
        assertFalse(d.equal());
        assertEquals(List.of("y", "z"), d.boot().added().stream().map(Step::id).toList());
        assertEquals(List.of("b"), d.boot().removed().stream().map(Step::id).toList());
        assertEquals(List.of(new PlanDiff.StepChange("c", 0, 2, 0, 2, 1, 3)), d.boot().changed());
        assertEquals(d.boot().changed(), d.boot().moved());
        assertEquals(2.0, d.boot().oldFinish());
        assertEquals(3.0, d.boot().newFinish());
        assertEquals(List.of("a", "b"), d.boot().oldCriticalPath());
        assertEquals(List.of("a", "y"), d.boot().newCriticalPath());
        assertTrue(d.boot().criticalPathChanged());
        assertEquals(3, d.boot().oldSteps());
        assertEquals(4, d.boot().newSteps());
    }

    @Test
    void aTimeChangeWithoutAWaveChangeIsAChangeButNotAMove() {
        Schedule neu = schedule(List.of(step("a", 0, 0, 1.5), step("b", 1, 1.5, 2.5), step("c", 0, 0, 1)),
                List.of("a", "b"));
        PlanDiff d = PlanDiff.compare(plan(ABC, List.of(), List.of()), plan(neu, List.of(), List.of()));
        assertEquals(List.of(new PlanDiff.StepChange("a", 0, 0, 0, 0, 1, 1.5),
                new PlanDiff.StepChange("b", 1, 1, 1, 1.5, 2, 2.5)), d.boot().changed());
        assertEquals(List.of(), d.boot().moved());
        assertFalse(d.boot().changed().get(0).startChanged());
        assertTrue(d.boot().changed().get(0).upChanged());
        assertTrue(d.boot().finishChanged());
        assertFalse(d.boot().criticalPathChanged());
    }

    @Test
    void timesAreComparedToTheMillisecondAsASavedPlanKeepsThem() {
        Schedule close = schedule(List.of(step("a", 0, 0, 1.0004), step("b", 1, 1.0004, 2.0001),
                step("c", 0, 0, 1)), List.of("a", "b"));
        assertTrue(PlanDiff.compare(plan(ABC, List.of(), List.of()), plan(close, List.of(), List.of())).equal());
        Schedule apart = schedule(List.of(step("a", 0, 0, 1.0006), step("b", 1, 1.0006, 2),
                step("c", 0, 0, 1)), List.of("a", "b"));
        assertFalse(PlanDiff.compare(plan(ABC, List.of(), List.of()), plan(apart, List.of(), List.of())).equal());
    }

    @Test
    void notStartedChangesSayWhatIsNewWhatIsGoneAndWhatChangedReason() {
        List<NotStarted> old = List.of(new NotStarted("g", "no-trigger", "waits for `tty-added`"),
                new NotStarted("h", "no-trigger", "waits for `x`"));
        List<NotStarted> neu = List.of(new NotStarted("b", "no-trigger", "waits for `net-up`, which nothing emits"),
                new NotStarted("h", "deadlock", "waits for itself"));
        PlanDiff d = PlanDiff.compare(plan(ABC, old, List.of()), plan(ABC, neu, List.of()));
        assertEquals(List.of(neu.get(0)), d.newlyNotStarted());
        assertEquals(List.of(old.get(0)), d.noLongerNotStarted());
        assertEquals(List.of(new PlanDiff.ReasonChange("h", old.get(1), neu.get(1))), d.reasonChanged());
        assertTrue(d.boot().equal());
        assertFalse(d.equal());
    }

    @Test
    void aReasonThatNamesItsPlaceIsTheSameInACopyOfTheDirectory() {
        Plan a = plan(ABC, List.of(new NotStarted("x", "deadlock", "deadlock: `y` (after, /tmp/a/ordo.yaml:4:3)")), List.of());
        Plan b = plan(ABC, List.of(new NotStarted("x", "deadlock", "deadlock: `y` (after, other/ordo.yaml:4:3)")), List.of());
        Plan c = plan(ABC, List.of(new NotStarted("x", "deadlock", "deadlock: `y` (after, other/ordo.yaml:5:3)")), List.of());
        assertTrue(PlanDiff.compare(a, b).equal());
        assertEquals(List.of("x"), PlanDiff.compare(a, c).reasonChanged().stream().map(PlanDiff.ReasonChange::id).toList());
    }

    static Diagnostic error(String file, int line, String message) {
        return Diagnostic.of(Code.DEADLOCK, new Source(file, line, 3), message);
    }

    @Test
    void errorsAreNewOrResolvedButNotWhenTheyOnlyMovedOrLiveInACopyOfTheDirectory() {
        List<Diagnostic> old = List.of(error("a/x.yaml", 4, "`p` waits for `q` (after, a/x.yaml:9:5)"),
                error("a/x.yaml", 7, "gone"),
                Diagnostic.of(Code.REQUIRES_WITHOUT_AFTER, new Source("a/x.yaml", 1, 1), "a warning"));
        List<Diagnostic> neu = List.of(error("b/x.yaml", 6, "`p` waits for `q` (after, b/x.yaml:9:5)"),
                error("b/x.yaml", 8, "fresh"), error("b/y.yaml", 7, "gone"));
        PlanDiff d = PlanDiff.compare(plan(ABC, List.of(), old), plan(ABC, List.of(), neu));
        assertEquals(List.of(neu.get(1), neu.get(2)), d.newErrors(), "another file is another error");
        assertEquals(List.of(old.get(1)), d.resolvedErrors(), "warnings are not compared");
    }

    @Test
    void aSecondCopyOfTheSameErrorIsNew() {
        Diagnostic e = error("x.yaml", 4, "same");
        Diagnostic again = error("x.yaml", 9, "same");
        PlanDiff d = PlanDiff.compare(plan(ABC, List.of(), List.of(e)), plan(ABC, List.of(), List.of(e, again)));
        assertEquals(List.of(again), d.newErrors());
        assertEquals(List.of(), d.resolvedErrors());
    }

    @Test
    void anotherGoalIsADifference() {
        Plan a = plan(ABC, List.of(), List.of());
        Plan b = new Plan(new Goal(List.of(new Goal.GoalEvent("tty-added", List.of("TTY=tty1"))), List.of(), List.of()),
                ABC, Schedule.EMPTY, List.of(), List.of(), List.of());
        PlanDiff d = PlanDiff.compare(a, b);
        assertTrue(d.goalChanged());
        assertTrue(d.boot().equal());
        assertFalse(d.equal());
    }

    @Test
    void shutdownIsComparedOnItsOwn() {
        Schedule down = schedule(List.of(step("a", 1, 1, 2), step("b", 0, 0, 1)), List.of("b", "a"));
        Schedule down2 = schedule(List.of(step("a", 0, 0, 1), step("b", 1, 1, 2)), List.of("a", "b"));
        Plan p = new Plan(STARTUP, ABC, down, List.of(), List.of(), List.of());
        Plan q = new Plan(STARTUP, ABC, down2, List.of(), List.of(), List.of());
        PlanDiff d = PlanDiff.compare(p, q);
        assertTrue(d.boot().equal());
        assertEquals(List.of(new PlanDiff.StepChange("a", 1, 0, 1, 0, 2, 1), new PlanDiff.StepChange("b", 0, 1, 0, 1, 1, 2)),
                d.shutdown().moved());
        assertEquals(List.of("a", "b"), d.shutdown().newCriticalPath());
        assertFalse(d.equal());
    }

    // ---- real plans of ordo.yaml variants -----------------------------------------------------------

    static final String BASE = """
            jobs:
              a:
                exec: sleep infinity
                start_on: startup
                estimate: 1s
              b:
                exec: sleep infinity
                start_on: started a
                estimate: 1s
              c:
                exec: sleep infinity
                start_on: startup
                estimate: 500ms
            """;

    @TempDir
    Path tmp;

    Plan planOf(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("ordo.yaml"), yaml);
        return Planner.plan(ConfigLoader.load(List.of(dir), null), Planner.Request.defaults());
    }

    @Test
    void addingAJobAddsOneStepAndNothingElse() throws IOException {
        Plan old = planOf("old", BASE);
        Plan neu = planOf("new", BASE + """
                  d:
                    exec: sleep infinity
                    start_on: started c
                    estimate: 2s
                """);
        PlanDiff d = PlanDiff.compare(old, neu);
        assertEquals(List.of("d"), d.boot().added().stream().map(Step::id).toList());
        Step added = d.boot().added().get(0);
        assertEquals(1, added.wave());
        assertEquals(0.5, added.start());
        assertEquals(2.5, added.up());
        assertEquals(List.of(), d.boot().removed());
        assertEquals(List.of(), d.boot().changed());
        assertEquals(2.0, d.boot().oldFinish());
        assertEquals(2.5, d.boot().newFinish());
        assertEquals(List.of("a", "b"), d.boot().oldCriticalPath());
        assertEquals(List.of("c", "d"), d.boot().newCriticalPath());
        assertEquals(List.of(), d.newlyNotStarted());
        assertEquals(List.of(), d.newErrors());
    }

    @Test
    void anAfterMovesAJobAWaveLater() throws IOException {
        Plan old = planOf("old", BASE);
        Plan neu = planOf("new", BASE.replace("    estimate: 500ms\n", "    estimate: 500ms\n    after: [b]\n"));
        PlanDiff d = PlanDiff.compare(old, neu);
        assertEquals(List.of(), d.boot().added());
        assertEquals(List.of(new PlanDiff.StepChange("c", 0, 2, 0, 2, 0.5, 2.5)), d.boot().changed());
        assertEquals(List.of("a", "b", "c"), d.boot().newCriticalPath());
        assertEquals(2.5, d.boot().newFinish());
        // Shutdown reverses the new ordering: c now stops first, so b stops a wave later. a does not move:
        // b's `start_on: started a` is an event relation, which the shutdown does not reverse.
        assertEquals(List.of("b 0→1"), d.shutdown().moved().stream()
                .map(c -> c.id() + " " + c.oldWave() + "→" + c.newWave()).toList());
        assertFalse(d.equal());
    }

    @Test
    void waitingForAMissingEventTakesTheJobAndItsDependantsOutOfTheBoot() throws IOException {
        Plan old = planOf("old", BASE);
        Plan neu = planOf("new", BASE.replace("start_on: started a", "start_on: started a and net-up"));
        PlanDiff d = PlanDiff.compare(old, neu);
        assertEquals(List.of("b"), d.boot().removed().stream().map(Step::id).toList());
        assertEquals(List.of(new NotStarted("b", "no-trigger",
                "waits for `net-up`, which nothing emits (plan with --emit net-up)")), d.newlyNotStarted());
        assertEquals(List.of("b"), d.shutdown().removed().stream().map(Step::id).toList());
        assertEquals(List.of("a"), d.boot().newCriticalPath());
        assertEquals(1.0, d.boot().newFinish());
        // The reverse: the job comes back.
        PlanDiff back = PlanDiff.compare(neu, old);
        assertEquals(List.of("b"), back.boot().added().stream().map(Step::id).toList());
        assertEquals(d.newlyNotStarted(), back.noLongerNotStarted());
    }

    @Test
    void aSavedPlanReadBackEqualsThePlanItWasWrittenFrom() throws IOException {
        // Estimates whose sums are not exact in binary: the saved form rounds them.
        Plan p = planOf("p", BASE.replace("estimate: 1s", "estimate: 100ms").replace("500ms", "200ms")
                + "  d:\n    exec: x\n    start_on: started b\n    estimate: 100ms\n"
                + "  e:\n    exec: x\n    start_on: started d and started c\n    estimate: 1ms\n");
        Plan back = PlanJson.read(PlanJson.write(p));
        assertTrue(PlanDiff.compare(p, back).equal(), () -> PlanDiff.compare(p, back).toString());
        assertTrue(PlanDiff.compare(back, p).equal());
    }

    @Test
    void learnedDurationsChangeTimesNotWaves() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("l"));
        Files.writeString(dir.resolve("ordo.yaml"), BASE);
        var config = ConfigLoader.load(List.of(dir), null);
        Plan declared = Planner.plan(config, Planner.Request.defaults());
        Plan learned = Planner.plan(config, new Planner.Request(Planner.Request.defaults().goal(), Map.of("a", 3.0)));
        PlanDiff d = PlanDiff.compare(declared, learned);
        assertEquals(List.of(new PlanDiff.StepChange("a", 0, 0, 0, 0, 1, 3), new PlanDiff.StepChange("b", 1, 1, 1, 3, 2, 4)),
                d.boot().changed());
        assertEquals(List.of(), d.boot().moved());
    }
}
