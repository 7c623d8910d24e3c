package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Issue 14: a shutdown never deadlocks where the stop relations themselves do not go round. Job sets
 * of Upstart's kind (start on job events, stop on another's stopping/stopped, `or`s in both), whose
 * stop relations only ever name a job earlier in a random rank (so they cannot close a circle): the
 * plan stops every job that was up, reports no job that never stops and reverses no event; the engine
 * on the simulator stops them all without letting go of any wait ("shutdown: ..."), and answers once.
 * With {@code after}/{@code before} added between them, the same holds: a reversed ordering that
 * would close a circle with the stop relations is dropped, in the plan and the engine alike.
 */
class StopRelationProperties {

    private static final Source AT = new Source("g.yaml", 1, 1);
    private static final long MAX_STEPS = 100_000;

    @Property(tries = 1000)
    void anEventOnlyShutdownWithAcyclicStopRelationsNeverDeadlocks(@ForAll long seed) {
        List<Job> jobs = generate(seed, false);
        Plan plan = shutsDown(jobs, seed);
        for (Step s : plan.shutdown().steps()) {
            for (Wait w : s.waitsFor()) {
                assertTrue(w.kind() != EdgeKind.REVERSE, () -> s.id() + " waits for " + w + ": an event reversed\n" + text(jobs));
            }
        }
        assertTrue(plan.diagnostics().stream().noneMatch(d -> d.code() == Code.REVERSE_ORDER_DROPPED), plan.diagnostics()::toString);
    }

    @Property(tries = 1000)
    void withOrderingsToo(@ForAll long seed) {
        List<Job> jobs = generate(seed, true);
        shutsDown(jobs, seed);
        boolean dropped = Planner.plan(config(jobs), Planner.Request.defaults()).diagnostics().stream()
                .anyMatch(d -> d.code() == Code.REVERSE_ORDER_DROPPED);
        Statistics.label("orderings").collect(dropped ? "one dropped" : "all kept");
    }

    /** The plan and the engine shut the set down; returns the plan. */
    private static Plan shutsDown(List<Job> jobs, long seed) {
        Plan plan = Planner.plan(config(jobs), Planner.Request.defaults());
        boolean bootStuck = plan.diagnostics().stream().anyMatch(d -> d.isError()
                && (d.code() == Code.DEADLOCK || d.code() == Code.ORDERING_CYCLE || d.code() == Code.HELD_EVENT));
        Statistics.label("boot").collect(bootStuck ? "stuck: shutdown not looked at" : "comes up");
        if (bootStuck) return plan;
        for (Diagnostic d : plan.diagnostics()) {
            assertTrue(!d.message().contains("never stops at shutdown"), () -> d + "\n" + text(jobs));
        }
        Set<String> up = new TreeSet<>();
        for (Step s : plan.boot().steps()) if (!s.task()) up.add(s.id());
        Set<String> stopped = new TreeSet<>();
        for (Step s : plan.shutdown().steps()) if (!s.task()) stopped.add(s.id());
        assertEquals(up, stopped, () -> "the plan stops what was up\n" + text(jobs));
        Statistics.label("jobs up").collect(up.size());

        Set<String> boot = Planner.bootSet(config(jobs), Planner.Request.defaults());
        Simulator sim = new Simulator(jobs, boot, seed, new Simulator.Behaviour(0, 0, 0, 0, 0, 0, 300), true);
        sim.boot();
        assertTrue(sim.run(MAX_STEPS), () -> "the boot comes to rest\n" + text(jobs));
        int from = sim.effects().size();
        sim.at(sim.now() + 1, Input.Command.shutdown(1_000_000));
        assertTrue(sim.run(MAX_STEPS), () -> "the shutdown comes to rest\n" + text(jobs));
        assertEquals(1, sim.replies().getOrDefault(1_000_000L, 0), () -> "shutdown answered once\n" + text(jobs));
        assertEquals(List.of(), sim.engine().instances(), () -> "left after shutdown\n" + text(jobs));
        for (Effect e : sim.effects().subList(from, sim.effects().size())) {
            assertTrue(!(e instanceof Effect.LogLine l && l.line().startsWith("shutdown: ")),
                    () -> "the engine had to let go of a wait: " + e + "\n" + text(jobs));
        }
        return plan;
    }

    private static Config config(List<Job> jobs) {
        return new Config(jobs, List.of("g.yaml"), List.of());
    }

    /**
     * Services (one in eight abstract) that start on startup or on job events of any other, and
     * (two in three) stop on the stopping/stopped of a job of lower rank, one leaf or an `or` of two.
     */
    static List<Job> generate(long seed, boolean orderings) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(6);
        int[] rank = new int[n];
        for (int i = 0; i < n; i++) rank[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int k = r.nextInt(i + 1);
            int t = rank[i];
            rank[i] = rank[k];
            rank[k] = t;
        }
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Job.Builder b = Job.builder("j" + i, Format.UPSTART, AT);
            if (r.nextInt(8) != 0) b.process(Process.exec(Phase.MAIN, "/bin/j" + i, AT));
            EventExpr start = startLeaf(r, n, i);
            if (r.nextInt(3) == 0) start = new EventExpr.Any(start, startLeaf(r, n, i));
            b.startOn(start);
            if (r.nextInt(3) != 0) {
                EventExpr stop = stopLeaf(r, n, i, rank);
                if (stop != null && r.nextInt(4) == 0) {
                    EventExpr other = stopLeaf(r, n, i, rank);
                    if (other != null) stop = new EventExpr.Any(stop, other);
                }
                if (stop != null) b.stopOn(stop);
            }
            if (orderings) {
                for (int k = r.nextInt(3); k > 0; k--) {
                    int t = r.nextInt(n);
                    if (t != i) b.relation(Relation.declared(r.nextBoolean() ? RelationKind.AFTER : RelationKind.BEFORE, "j" + t, AT));
                }
            }
            jobs.add(b.build());
        }
        return jobs;
    }

    private static EventExpr startLeaf(SplittableRandom r, int n, int self) {
        int t = r.nextInt(n);
        if (t == self || r.nextInt(4) == 0) return new EventExpr.Match("startup", List.of(), AT);
        String event = r.nextInt(3) == 0 ? "starting" : "started";
        return new EventExpr.Match(event, List.of(EventArg.positional("j" + t)), AT);
    }

    private static EventExpr stopLeaf(SplittableRandom r, int n, int self, int[] rank) {
        List<Integer> lower = new ArrayList<>();
        for (int t = 0; t < n; t++) if (t != self && rank[t] < rank[self]) lower.add(t);
        if (lower.isEmpty()) return null;
        int t = lower.get(r.nextInt(lower.size()));
        return new EventExpr.Match(r.nextBoolean() ? "stopping" : "stopped", List.of(EventArg.positional("j" + t)), AT);
    }

    private static String text(List<Job> jobs) {
        StringBuilder b = new StringBuilder();
        for (Job j : jobs) {
            b.append(j.name());
            if (!j.processes().containsKey(Phase.MAIN)) b.append(" abstract");
            b.append(" start_on: ").append(j.startOn().text());
            if (j.stopOn() != null) b.append(" stop_on: ").append(j.stopOn().text());
            for (Relation rel : j.relations()) b.append(' ').append(rel.kind().key()).append(':').append(rel.target());
            b.append('\n');
        }
        return b.toString();
    }
}
