package dev.ordo.planner.check;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jgrapht.Graph;
import org.jgrapht.alg.connectivity.KosarajuStrongConnectivityInspector;
import org.jgrapht.alg.cycle.JohnsonSimpleCycles;
import org.jgrapht.graph.AsSubgraph;

/**
 * The one finder of elementary cycles, for ordering cycles ({@code ordo check}, ORD301) and for deadlocks
 * ({@code ordo plan}, ORD302). Cycles are looked for only inside a strongly connected set that has one, at
 * most {@code limit} per set (Johnson's enumeration can be exponential: the first ones show what to cut,
 * and the set is named so that nothing is hidden). Each cycle starts at its smallest vertex, so the same
 * cycle always reads the same.
 *
 * @param cycles every cycle found, as its edges in order; a self-loop is a cycle of one edge
 * @param truncated the strongly connected sets that had more than {@code limit} cycles
 */
public record ElementaryCycles<E>(List<List<E>> cycles, List<Set<String>> truncated) {

    public ElementaryCycles {
        cycles = List.copyOf(cycles);
        truncated = List.copyOf(truncated);
    }

    /** The elementary cycles of {@code g}, at most {@code limit} per strongly connected set. */
    public static <E> ElementaryCycles<E> of(Graph<String, E> g, int limit) {
        List<List<E>> cycles = new ArrayList<>();
        List<Set<String>> truncated = new ArrayList<>();
        for (Set<String> comp : new KosarajuStrongConnectivityInspector<>(g).stronglyConnectedSets()) {
            if (comp.size() == 1) {
                String v = comp.iterator().next();
                if (g.containsEdge(v, v)) cycles.add(List.of(g.getEdge(v, v)));
                continue;
            }
            List<List<String>> found = new ArrayList<>();
            try {
                new JohnsonSimpleCycles<>(new AsSubgraph<>(g, new TreeSet<>(comp))).findSimpleCycles(c -> {
                    if (found.size() >= limit) throw new Enough();
                    found.add(c);
                });
            } catch (Enough e) {
                truncated.add(comp);
            }
            for (List<String> c : found) cycles.add(edges(g, c));
        }
        return new ElementaryCycles<>(cycles, truncated);
    }

    private static <E> List<E> edges(Graph<String, E> g, List<String> cycle) {
        int start = 0;
        for (int i = 1; i < cycle.size(); i++) if (cycle.get(i).compareTo(cycle.get(start)) < 0) start = i;
        List<E> out = new ArrayList<>();
        for (int i = 0; i < cycle.size(); i++) {
            out.add(g.getEdge(cycle.get((start + i) % cycle.size()), cycle.get((start + i + 1) % cycle.size())));
        }
        return out;
    }

    /** Ends Johnson's enumeration once enough cycles are in hand (its callback has no other way out). */
    private static final class Enough extends RuntimeException {
        Enough() {
            super(null, null, false, false);
        }
    }
}
