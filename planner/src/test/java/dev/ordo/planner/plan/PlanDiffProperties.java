package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.render.PlanDiffJsonRenderer;
import dev.ordo.planner.render.PlanDiffTextRenderer;
import dev.ordo.planner.render.PlanJson;
import dev.ordo.planner.render.Style;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Laws every diff obeys, on random plans: a plan equals itself, OLD NEW mirrors NEW OLD, order of input does not matter. */
class PlanDiffProperties {

    @Property(tries = 300)
    void aPlanEqualsItselfAndItsSavedForm(@ForAll("plans") Plan p) {
        assertTrue(PlanDiff.compare(p, p).equal());
        assertTrue(PlanDiff.compare(p, PlanJson.read(PlanJson.write(p))).equal());
    }

    @Property(tries = 300)
    void swappingOldAndNewMirrorsTheDiff(@ForAll("plans") Plan a, @ForAll("plans") Plan b) {
        PlanDiff ab = PlanDiff.compare(a, b);
        PlanDiff ba = PlanDiff.compare(b, a);
        assertEquals(ab.equal(), ba.equal());
        assertEquals(ids(ab.boot().added()), ids(ba.boot().removed()));
        assertEquals(ids(ab.boot().removed()), ids(ba.boot().added()));
        assertEquals(ab.boot().changed().stream().map(c -> c.id() + c.oldWave() + c.newWave()).toList(),
                ba.boot().changed().stream().map(c -> c.id() + c.newWave() + c.oldWave()).toList());
        assertEquals(ab.newlyNotStarted(), ba.noLongerNotStarted());
        assertEquals(ab.newErrors(), ba.resolvedErrors());
        assertEquals(ab.boot().oldCriticalPath(), ba.boot().newCriticalPath());
        // Equal exactly when nothing is listed.
        boolean nothing = ab.boot().added().isEmpty() && ab.boot().removed().isEmpty() && ab.boot().changed().isEmpty()
                && ab.newlyNotStarted().isEmpty() && ab.noLongerNotStarted().isEmpty() && ab.reasonChanged().isEmpty()
                && ab.newErrors().isEmpty() && ab.resolvedErrors().isEmpty() && !ab.boot().criticalPathChanged()
                && ab.shutdown().equal();
        assertEquals(nothing, ab.equal());
    }

    @Property(tries = 200)
    void theOrderOfStepsNotStartedAndDiagnosticsInAPlanDoesNotMatter(@ForAll("plans") Plan a, @ForAll("plans") Plan b,
                                                                    @ForAll long seed) {
        Plan shuffled = shuffle(b, new Random(seed));
        assertEquals(PlanDiff.compare(a, b), PlanDiff.compare(a, shuffled));
        Style plain = Style.PLAIN;
        assertEquals(new PlanDiffTextRenderer(plain).render(PlanDiff.compare(a, b)),
                new PlanDiffTextRenderer(plain).render(PlanDiff.compare(a, shuffled)));
        assertEquals(new PlanDiffJsonRenderer().render(PlanDiff.compare(a, b)),
                new PlanDiffJsonRenderer().render(PlanDiff.compare(a, shuffled)));
    }

    static List<String> ids(List<Step> steps) {
        return steps.stream().map(Step::id).toList();
    }

    static Plan shuffle(Plan p, Random r) {
        List<Step> steps = new ArrayList<>(p.boot().steps());
        Collections.shuffle(steps, r);
        List<NotStarted> ns = new ArrayList<>(p.notStarted());
        Collections.shuffle(ns, r);
        List<Diagnostic> ds = new ArrayList<>(p.diagnostics());
        Collections.shuffle(ds, r);
        Schedule b = p.boot();
        return new Plan(p.goal(), new Schedule(steps, b.waves(), b.criticalPath(), b.finish()), p.shutdown(), ns, ds,
                p.assumptions());
    }

    @Provide
    Arbitrary<Plan> plans() {
        Arbitrary<List<Step>> steps = Arbitraries.of("a", "b", "c", "d", "e").set().ofMaxSize(5).flatMap(ids -> {
            List<String> sorted = new ArrayList<>(ids);
            Collections.sort(sorted);
            return Arbitraries.integers().between(0, 2).list().ofSize(sorted.size())
                    .flatMap(waves -> Arbitraries.of(0.5, 1.0, 1.25).list().ofSize(sorted.size()).map(ds -> {
                        List<Step> out = new ArrayList<>();
                        for (int i = 0; i < sorted.size(); i++) {
                            double start = waves.get(i) * 1.25;
                            out.add(PlanDiffTest.step(sorted.get(i), waves.get(i), start, start + ds.get(i)));
                        }
                        return out;
                    }));
        });
        Arbitrary<List<NotStarted>> ns = Arbitraries.of("f", "g", "h").set().ofMaxSize(3)
                .flatMap(ids -> Arbitraries.of("no-trigger", "deadlock").list().ofSize(ids.size()).map(rs -> {
                    List<String> sorted = new ArrayList<>(ids);
                    Collections.sort(sorted);
                    List<NotStarted> out = new ArrayList<>();
                    for (int i = 0; i < sorted.size(); i++) out.add(new NotStarted(sorted.get(i), rs.get(i), rs.get(i) + " why"));
                    return out;
                }));
        Arbitrary<List<Diagnostic>> ds = Arbitraries.integers().between(1, 4).set().ofMaxSize(3).map(lines -> {
            List<Diagnostic> out = new ArrayList<>();
            for (int l : lines) out.add(Diagnostic.of(Code.DEADLOCK, new Source("x.yaml", l, 1), "deadlock " + (l % 2)));
            out.sort(Diagnostic.ORDER);
            return out;
        });
        return Combinators.combine(steps, ns, ds).as((st, n, d) -> {
            List<String> path = st.isEmpty() ? List.of() : List.of(st.get(st.size() - 1).id());
            Schedule boot = PlanDiffTest.schedule(st, path);
            return new Plan(PlanDiffTest.STARTUP, boot, boot, n, d, List.of());
        });
    }
}
