package dev.ordo.planner.rules;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which reversed boot orderings the shutdown keeps (SEMANTICS §6, Shutdown). Only dependency-style
 * orderings ({@code after}/{@code before}, systemd's {@code After=}/{@code Before=}) are reversed at
 * shutdown, as systemd reverses them; Upstart's event relations are not (a job stops by its
 * {@code stop on}). Explicit stop relations come first: a reversed ordering that would close a circle
 * with them is dropped, and said so, since a shutdown that waits in a circle would only be broken
 * by the supervisor at some arbitrary point.
 *
 * <p>Written once for the plan and the engine, over the jobs that stop: each is three moments, asked
 * (its {@code stopping}), signalled, stopped. A stop relation {@code stop on stopped X} puts J's
 * asking after X's stop; {@code stop on stopping X} puts J's asking after X's, and X's signal after J
 * has stopped (J holds X's {@code stopping}). A reversed {@code A after B} puts B's signal after A
 * has stopped. The reversed orderings are added one by one, jobs in name order and each job's
 * relations in the order written; one that would close a circle is dropped. Every leaf of a stop
 * condition counts, whichever branch of an {@code or} comes first: a circle that only one branch
 * closes is still a circle on the day the other branch is late.
 */
public final class ShutdownOrder {

    /**
     * A reversed ordering the shutdown does not keep.
     *
     * @param waiter the job that would have waited ({@code B} of {@code A after B})
     * @param first the job it would have waited for ({@code A})
     * @param relation the ordering as written ({@code after} on A, or {@code before} on B)
     * @param through the jobs the stop relations lead through from {@code waiter} to {@code first}
     */
    public record Dropped(String waiter, String first, Relation relation, List<String> through) {

        public Dropped {
            through = List.copyOf(through);
        }
    }

    private static final int ASKED = 0;
    private static final int SIGNALLED = 1;
    private static final int STOPPED = 2;

    private final Set<String> droppedPairs;
    private final List<Dropped> dropped;

    private ShutdownOrder(List<Dropped> dropped) {
        this.dropped = List.copyOf(dropped);
        this.droppedPairs = new HashSet<>();
        for (Dropped d : dropped) droppedPairs.add(pair(d.waiter(), d.first()));
    }

    /** @param live the jobs that stop at this shutdown (one each, whatever their instances) */
    public static ShutdownOrder of(Collection<Job> live) {
        Map<String, Job> byName = new TreeMap<>();
        for (Job j : live) byName.put(j.name(), j);
        List<String> names = new ArrayList<>(byName.keySet());
        Map<String, Integer> index = new HashMap<>(names.size() * 2);
        for (int i = 0; i < names.size(); i++) index.put(names.get(i), i);
        Graph g = new Graph(names.size() * 3);
        boolean explicit = false;
        for (int i = 0; i < names.size(); i++) {
            g.add(node(i, ASKED), node(i, SIGNALLED));
            g.add(node(i, SIGNALLED), node(i, STOPPED));
            Job j = byName.get(names.get(i));
            if (!StopRelations.leftToStopOn(j, byName.keySet())) continue;
            for (EventExpr.Match m : j.stopOn().matches()) {
                JobEvent je = JobEvent.of(m.event());
                Integer x = m.jobArgument() == null ? null : index.get(m.jobArgument());
                if (je == null || !je.carriesResult() || x == null || x == i) continue;
                explicit = true;
                if (je == JobEvent.STOPPED) {
                    g.add(node(x, STOPPED), node(i, ASKED));
                } else {
                    g.add(node(x, ASKED), node(i, ASKED));
                    g.add(node(i, STOPPED), node(x, SIGNALLED));
                }
            }
        }
        // Without a stop relation between two jobs that stop, the boot's order reversed is a circle
        // only where the boot's order was one: nothing to look for (systemd trees, plain YAML).
        if (!explicit) return new ShutdownOrder(List.of());
        List<Dropped> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            Job a = byName.get(name);
            for (Relation r : a.relations()) {
                if (!byName.containsKey(r.target()) || r.target().equals(name)) continue;
                String first;
                String waiter;
                if (r.kind() == RelationKind.AFTER) {
                    first = name;
                    waiter = r.target();
                } else if (r.kind() == RelationKind.BEFORE) {
                    first = r.target();
                    waiter = name;
                } else {
                    continue;
                }
                // Where a stop_on of either job names the other, that relation decides (StopRelations).
                if (!seen.add(pair(waiter, first)) || StopRelations.related(byName.get(waiter), byName.get(first))) continue;
                int from = node(index.get(waiter), SIGNALLED);
                int to = node(index.get(first), STOPPED);
                int[] path = g.path(from, to);
                if (path == null) {
                    g.add(to, from);
                } else {
                    out.add(new Dropped(waiter, first, r, jobsOn(path, names)));
                }
            }
        }
        return new ShutdownOrder(out);
    }

    /** Whether the shutdown dropped {@code waiter}'s wait for {@code first} (the reverse of an ordering). */
    public boolean drops(String waiter, String first) {
        return !droppedPairs.isEmpty() && droppedPairs.contains(pair(waiter, first));
    }

    /** The dropped orderings, in the order they were met (jobs by name, relations as written). */
    public List<Dropped> dropped() {
        return dropped;
    }

    private static String pair(String waiter, String first) {
        return waiter + '\u0000' + first;
    }

    private static int node(int job, int moment) {
        return job * 3 + moment;
    }

    private static List<String> jobsOn(int[] path, List<String> names) {
        List<String> out = new ArrayList<>();
        for (int n : path) {
            String j = names.get(n / 3);
            if (out.isEmpty() || !out.get(out.size() - 1).equals(j)) out.add(j);
        }
        return out;
    }

    /** A directed graph over dense ints that grows by edges and answers one path at a time. */
    private static final class Graph {
        private final int[][] next;
        private final int[] size;

        Graph(int nodes) {
            next = new int[nodes][];
            size = new int[nodes];
        }

        void add(int from, int to) {
            int[] l = next[from];
            if (l == null) l = next[from] = new int[2];
            else if (size[from] == l.length) l = next[from] = Arrays.copyOf(l, l.length * 2);
            l[size[from]++] = to;
        }

        /**
         * A path from {@code from} to {@code to} (both ends included), or null; breadth first, so a
         * shortest. What it visits is remembered in a map, not in arrays over every node: a search
         * costs what it visits, not the size of the shutdown.
         */
        int[] path(int from, int to) {
            Map<Integer, Integer> parent = new HashMap<>();
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            parent.put(from, from);
            queue.add(from);
            while (!queue.isEmpty()) {
                int n = queue.poll();
                if (n == to) {
                    ArrayDeque<Integer> back = new ArrayDeque<>();
                    for (int x = n; x != from; x = parent.get(x)) back.push(x);
                    back.push(from);
                    return back.stream().mapToInt(Integer::intValue).toArray();
                }
                for (int k = 0; k < size[n]; k++) {
                    int m = next[n][k];
                    if (parent.putIfAbsent(m, n) == null) queue.add(m);
                }
            }
            return null;
        }
    }
}
