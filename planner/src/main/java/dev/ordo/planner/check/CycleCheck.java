package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * Ordering cycles among {@code after}/{@code before} relations (ORD301). Every elementary cycle is
 * reported (up to {@link #MAX_CYCLES_PER_COMPONENT} per strongly connected set), each edge with its
 * kind and source, at the edge that is weakest to cut: one whose pair is only wanted, then a plain
 * ordering, then one backed by {@code requires}. Nothing is broken silently.
 */
final class CycleCheck {

    static final int MAX_CYCLES_PER_COMPONENT = 64;

    /** "from waits for to", as one job stated it. */
    record OrderEdge(String from, String to, Relation relation, Job statedBy) {
        /** Says it the way it was written: `a` after `b`, `b` before `a`, or a.service After=b.service. */
        String text() {
            return statement() + " (" + relation.source()
                    + (relation.origin() == Relation.Origin.DECLARED ? "" : ", " + relation.origin().label()) + ")";
        }

        String statement() {
            if (statedBy.format() == Format.SYSTEMD) {
                return statedBy.name() + " " + ReferenceCheck.key(statedBy, relation.kind()) + relation.target();
            }
            return "`" + statedBy.name() + "` " + relation.kind().key() + " `" + relation.target() + "`";
        }

        // jgrapht keeps edges in hash maps: hashing the record would hash the whole stating Job (every
        // relation, process and source in it) on each lookup, most of the check's time on 1000 jobs.
        @Override
        public int hashCode() {
            return from.hashCode() * 31 + to.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OrderEdge e && from.equals(e.from) && to.equals(e.to) && relation.equals(e.relation)
                    && statedBy.name().equals(e.statedBy.name());
        }
    }

    private CycleCheck() {
    }

    static void run(Config config, List<Diagnostic> out) {
        Map<String, Job> jobs = config.byName();
        Graph<String, OrderEdge> g = new DefaultDirectedGraph<>(OrderEdge.class);
        for (String name : jobs.keySet()) g.addVertex(name);
        // Declared edges first, so that where two relations state the same order the declared one is shown.
        List<OrderEdge> edges = new ArrayList<>();
        for (Job j : config.jobs()) {
            for (Relation r : j.relations()) {
                if (!jobs.containsKey(r.target())) continue;
                if (r.kind() == RelationKind.AFTER) edges.add(new OrderEdge(j.name(), r.target(), r, j));
                if (r.kind() == RelationKind.BEFORE) edges.add(new OrderEdge(r.target(), j.name(), r, j));
            }
        }
        edges.sort(Comparator.comparing((OrderEdge e) -> e.relation().origin())
                .thenComparing(e -> e.relation().source()));
        for (OrderEdge e : edges) {
            if (!g.containsEdge(e.from(), e.to())) g.addEdge(e.from(), e.to(), e);
        }

        ElementaryCycles<OrderEdge> found = ElementaryCycles.of(g, MAX_CYCLES_PER_COMPONENT);
        List<Diagnostic> ds = new ArrayList<>();
        for (List<OrderEdge> c : found.cycles()) ds.add(report(c, jobs));
        for (Set<String> comp : found.truncated()) {
            String first = new TreeSet<>(comp).first();
            ds.add(Diagnostic.of(Code.ORDERING_CYCLE, jobs.get(first).source(),
                    "more than " + MAX_CYCLES_PER_COMPONENT + " ordering cycles run through these " + comp.size()
                            + " jobs: " + String.join(", ", new TreeSet<>(comp)),
                    "the cycles above are the first " + MAX_CYCLES_PER_COMPONENT + "; break them and check again"));
        }
        ds.sort(Diagnostic.ORDER);
        out.addAll(ds);
    }

    private static Diagnostic report(List<OrderEdge> cycle, Map<String, Job> jobs) {
        OrderEdge weakest = cycle.get(0);
        int best = Integer.MAX_VALUE;
        for (OrderEdge e : cycle) {
            int s = strength(e, jobs);
            if (s < best) {
                best = s;
                weakest = e;
            }
        }
        StringBuilder path = new StringBuilder();
        for (OrderEdge e : cycle) path.append(e.from()).append(" → ");
        path.append(cycle.get(0).from());
        List<String> parts = new ArrayList<>();
        for (OrderEdge e : cycle) parts.add(e.text());
        String why = switch (best) {
            case 0 -> "only `wants` goes with it";
            case 1 -> "no requirement goes with it";
            default -> "every edge here comes with `requires`";
        };
        return Diagnostic.of(Code.ORDERING_CYCLE, weakest.relation().source(),
                "ordering cycle " + path + ": " + String.join(", ", parts),
                "cut the weakest edge, " + weakest.statement() + " (" + why + ")");
    }

    /** 0: the waiting job only wants the other; 1: plain ordering; 2: it requires it. */
    private static int strength(OrderEdge e, Map<String, Job> jobs) {
        Job waiter = jobs.get(e.from());
        int s = 1;
        for (Relation r : waiter.relations()) {
            if (!r.target().equals(e.to())) continue;
            if (r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.BINDS_TO
                    || r.kind() == RelationKind.REQUISITE) {
                return 2;
            }
            if (r.kind() == RelationKind.WANTS) s = 0;
        }
        return s;
    }
}
