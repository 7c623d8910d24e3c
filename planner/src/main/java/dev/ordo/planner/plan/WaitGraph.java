package dev.ordo.planner.plan;

import dev.ordo.planner.check.ElementaryCycles;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultDirectedGraph;

/**
 * Who waits for whom among the steps a boot never finishes (SEMANTICS §6, Cycles and deadlocks): a step
 * stuck on an open wait, a job whose start condition waits for an event of a job that does not start,
 * a job only a puller would start, a job only another's end would start. A circle in it is a deadlock
 * (ORD302), reported at its weakest edge; a circle of pull-ins alone waits for nothing and is none.
 */
final class WaitGraph {

    /** An edge of the wait-for graph: {@code from} waits for {@code to}, for this reason, stated here. */
    record WaitEdge(String from, String to, EdgeKind kind, Source source) {
    }

    private final Config config;
    private final Map<String, Job> jobs;
    private final BootRun reach;
    private final BootRun timed;
    private final BiPredicate<EventExpr.Match, Job> happened;
    private final Function<EventExpr.Match, List<String>> producersOf;

    /**
     * @param happened whether an event of the timed boot matched the leaf (then what is missing is elsewhere)
     * @param producersOf the jobs whose event a leaf waits for
     */
    WaitGraph(Config config, Map<String, Job> jobs, BootRun reach, BootRun timed,
              BiPredicate<EventExpr.Match, Job> happened, Function<EventExpr.Match, List<String>> producersOf) {
        this.config = config;
        this.jobs = jobs;
        this.reach = reach;
        this.timed = timed;
        this.happened = happened;
        this.producersOf = producersOf;
    }

    /** The circles of waits through two or more jobs, at most {@code max} per strongly connected set. */
    List<List<WaitEdge>> deadlocks(List<StepStart> stuck, Set<String> neverTriggered, int max) {
        Graph<String, WaitEdge> g = graph(stuck, neverTriggered);
        // A job waiting on itself is no circle between jobs: only cycles through two or more are deadlocks here.
        List<List<WaitEdge>> cycles = new ArrayList<>(ElementaryCycles.of(g, max).cycles());
        cycles.removeIf(c -> c.size() < 2);
        // Jobs that only pull each other in are not waiting for anything: no deadlock without a wait.
        cycles.removeIf(c -> c.stream().allMatch(e -> isPull(e.kind())));
        // Nothing in the circle is on its way, and one of its jobs has a start condition of its own that
        // never holds (`started dbus`, and dbus fails), which it waits on a puller only besides: that job
        // does not start for its condition's reason, and the puller that waits for it does not start
        // because of it. Not started is not a deadlock (SEMANTICS §6); only a circle that is the whole
        // reason, or that holds up a job already triggered, is one.
        Set<String> onTheirWay = new HashSet<>();
        for (StepStart s : stuck) onTheirWay.add(s.id);
        cycles.removeIf(c -> c.stream().noneMatch(e -> onTheirWay.contains(e.from()))
                && c.stream().anyMatch(e -> isPull(e.kind()) && ownTrigger(jobs.get(e.from()))));
        return cycles;
    }

    private Graph<String, WaitEdge> graph(List<StepStart> stuck, Set<String> neverTriggered) {
        Graph<String, WaitEdge> g = new DefaultDirectedGraph<>(WaitEdge.class);
        for (StepStart s : stuck) {
            g.addVertex(s.id);
            for (Wait w : s.open) {
                g.addVertex(w.id());
                if (!g.containsEdge(s.id, w.id())) g.addEdge(s.id, w.id(), new WaitEdge(s.id, w.id(), w.kind(), w.source()));
            }
        }
        Set<String> upJobs = new HashSet<>();
        for (StepStart s : timed.states()) if (s.succeeded) upJobs.add(s.job.name());
        for (String name : neverTriggered) {
            Job j = jobs.get(name);
            g.addVertex(name);
            for (EventExpr.Match m : j.startOn().matches()) {
                if (happened.test(m, j)) continue; // `starting x` came; what is missing is elsewhere
                for (String x : producersOf.apply(m)) {
                    if (x.equals(name) || !jobs.containsKey(x) || upJobs.contains(x)) continue;
                    g.addVertex(x);
                    if (!g.containsEdge(name, x)) g.addEdge(name, x, new WaitEdge(name, x, kindOf(m), m.source()));
                }
            }
        }
        // A job that only a puller would start waits for that puller: part of the circle too. Only
        // for jobs something waits for; two manual jobs that pull each other are just not asked for.
        Set<String> triggeredJobs = new HashSet<>();
        for (StepStart s : timed.states()) if (s.triggered) triggeredJobs.add(s.job.name());
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Job k : config.jobs()) {
                if (triggeredJobs.contains(k.name())) continue;
                for (Relation r : k.relations()) {
                    if (r.kind() != RelationKind.REQUIRES && r.kind() != RelationKind.WANTS
                            && r.kind() != RelationKind.BINDS_TO) {
                        continue;
                    }
                    String target = r.target();
                    if (!g.containsVertex(target) || triggeredJobs.contains(target)) continue;
                    if (g.containsEdge(target, k.name())) continue;
                    g.addVertex(k.name());
                    g.addEdge(target, k.name(), new WaitEdge(target, k.name(), BootRelations.kindOf(r.kind()), r.source()));
                    grew = true;
                }
            }
        }
        // Likewise a job only another's end starts (its on_success when a task, its on_failure when
        // it fails in this plan) waits for that job: a job ordered after it and before that one is
        // a circle too.
        for (Job p : config.jobs()) {
            if (!g.containsVertex(p.name())) continue;
            boolean fails = false;
            for (StepStart s : reach.statesOf(p.name())) if (s.failed) fails = true;
            for (Relation r : p.relations()) {
                boolean ends = (r.kind() == RelationKind.ON_SUCCESS && p.task())
                        || (r.kind() == RelationKind.ON_FAILURE && fails);
                String target = r.target();
                if (!ends || target.equals(p.name()) || !g.containsVertex(target) || triggeredJobs.contains(target)) continue;
                if (g.containsEdge(target, p.name())) continue;
                g.addEdge(target, p.name(), new WaitEdge(target, p.name(), BootRelations.kindOf(r.kind()), r.source()));
            }
        }
        return g;
    }

    private static boolean isPull(EdgeKind k) {
        return k == EdgeKind.REQUIRES || k == EdgeKind.WANTS || k == EdgeKind.BINDS_TO;
    }

    /** Whether the job starts by a condition of its own, not only when something pulls it in. */
    static boolean ownTrigger(Job j) {
        return j != null && j.startOn() != null && !j.manual();
    }

    private static EdgeKind kindOf(EventExpr.Match m) {
        return switch (m.event()) {
            case "starting" -> EdgeKind.STARTING;
            case "started" -> EdgeKind.STARTED;
            case "stopping" -> EdgeKind.STOPPING;
            case "stopped" -> EdgeKind.STOPPED;
            default -> EdgeKind.EMITS;
        };
    }

    /** ORD302 for one circle, at its weakest edge. */
    Diagnostic deadlock(List<WaitEdge> cycle) {
        WaitEdge weakest = cycle.get(0);
        for (WaitEdge e : cycle) if (e.kind().strength() < weakest.kind().strength()) weakest = e;
        StringBuilder path = new StringBuilder();
        List<String> parts = new ArrayList<>();
        for (WaitEdge e : cycle) {
            path.append(e.from()).append(" → ");
            parts.add("`" + e.from() + "` waits for `" + e.to() + "` (" + e.kind().label()
                    + (e.source() == null ? "" : ", " + e.source()) + ")");
        }
        path.append(cycle.get(0).from());
        Source at = weakest.source() != null ? weakest.source() : jobs.containsKey(weakest.from())
                ? jobs.get(weakest.from()).source() : Source.file("(plan)");
        return Diagnostic.of(Code.DEADLOCK, at, "deadlock " + path + ": " + String.join(", ", parts),
                "cut the weakest edge: `" + weakest.from() + "` waits for `" + weakest.to() + "` ("
                        + weakest.kind().label() + ")");
    }
}
