package dev.ordo.planner.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;
import org.junit.jupiter.api.Test;

/** The one cycle finder that check (ORD301) and plan (ORD302) share. */
class ElementaryCyclesTest {

    record E(String from, String to) {
    }

    static Graph<String, E> graph(String... edges) {
        Graph<String, E> g = new DefaultDirectedGraph<>(E.class);
        for (String e : edges) {
            String[] ab = e.split(">");
            g.addVertex(ab[0]);
            g.addVertex(ab[1]);
            g.addEdge(ab[0], ab[1], new E(ab[0], ab[1]));
        }
        return g;
    }

    @Test
    void eachCycleStartsAtItsSmallestVertexAndSelfLoopsCount() {
        ElementaryCycles<E> found = ElementaryCycles.of(graph("c>a", "a>b", "b>c", "d>d", "x>y"), 10);
        assertEquals(Set.of(List.of(new E("a", "b"), new E("b", "c"), new E("c", "a")), List.of(new E("d", "d"))),
                Set.copyOf(found.cycles()));
        assertEquals(List.of(), found.truncated());
    }

    @Test
    void aSetWithMoreCyclesThanTheLimitIsNamedAndKeepsTheLimit() {
        // A complete graph on 4 vertices has 20 elementary cycles.
        Graph<String, E> k4 = graph("a>b", "a>c", "a>d", "b>a", "b>c", "b>d", "c>a", "c>b", "c>d", "d>a", "d>b", "d>c");
        assertEquals(20, ElementaryCycles.of(k4, 100).cycles().size());
        ElementaryCycles<E> some = ElementaryCycles.of(k4, 5);
        assertEquals(5, some.cycles().size());
        assertEquals(List.of(Set.of("a", "b", "c", "d")), some.truncated());
    }
}
