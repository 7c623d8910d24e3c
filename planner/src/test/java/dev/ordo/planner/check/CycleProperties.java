package dev.ordo.planner.check;

import dev.ordo.planner.plan.Planner;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Ordering cycles are found exactly when there are some, and every one reported is real. */
class CycleProperties {

    private static final int N = 7;

    @Property(tries = 400)
    void cyclesAreReportedExactlyWhenTheOrderIsCyclic(@ForAll("edges") List<Tuple.Tuple3<Integer, Integer, Boolean>> edges) {
        List<Job.Builder> jobs = new ArrayList<>();
        for (int i = 0; i < N; i++) jobs.add(Job.builder("j" + i, Format.YAML, new Source("g.yaml", i + 1, 1)));
        boolean[][] waits = new boolean[N][N];
        int line = 100;
        for (Tuple.Tuple3<Integer, Integer, Boolean> e : edges) {
            int from = e.get1();
            int to = e.get2();
            if (from == to) continue; // self relations are ORD203, not a cycle
            // Half the edges are stated as `after` on the waiter, half as `before` on the other job.
            if (e.get3()) {
                jobs.get(from).relation(Relation.declared(RelationKind.AFTER, "j" + to, new Source("g.yaml", line++, 1)));
            } else {
                jobs.get(to).relation(Relation.declared(RelationKind.BEFORE, "j" + from, new Source("g.yaml", line++, 1)));
            }
            waits[from][to] = true;
        }
        List<Job> built = jobs.stream().map(Job.Builder::build).toList();
        List<Diagnostic> cycles = Planner.check(new Config(built, List.of(), List.of())).diagnostics().stream()
                .filter(d -> d.code() == Code.ORDERING_CYCLE).toList();
        assertEquals(cyclic(waits), !cycles.isEmpty(), cycles::toString);
        for (Diagnostic d : cycles) {
            // "ordering cycle j0 → j3 → j0: ..." — every step must be an edge of the graph.
            String path = d.message().substring("ordering cycle ".length(), d.message().indexOf(':'));
            String[] names = path.split(" → ");
            assertEquals(names[0], names[names.length - 1]);
            Set<String> seen = new HashSet<>();
            for (int i = 0; i + 1 < names.length; i++) {
                int a = Integer.parseInt(names[i].substring(1));
                int b = Integer.parseInt(names[i + 1].substring(1));
                assertTrue(waits[a][b], () -> "not an edge in " + d.message());
                assertTrue(seen.add(names[i]), "elementary cycle");
            }
        }
    }

    /** Independent of the checker: depth-first search for a back edge. */
    private static boolean cyclic(boolean[][] g) {
        int[] state = new int[N];
        for (int i = 0; i < N; i++) if (state[i] == 0 && dfs(g, i, state)) return true;
        return false;
    }

    private static boolean dfs(boolean[][] g, int v, int[] state) {
        state[v] = 1;
        for (int w = 0; w < N; w++) {
            if (!g[v][w]) continue;
            if (state[w] == 1) return true;
            if (state[w] == 0 && dfs(g, w, state)) return true;
        }
        state[v] = 2;
        return false;
    }

    @Provide
    Arbitrary<List<Tuple.Tuple3<Integer, Integer, Boolean>>> edges() {
        Arbitrary<Integer> v = Arbitraries.integers().between(0, N - 1);
        return net.jqwik.api.Combinators.combine(v, v, Arbitraries.of(true, false)).as(Tuple::of).list().ofMaxSize(12);
    }
}
