package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.diag.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The plan against an independent brute-force fixpoint of SEMANTICS §6's equations, and the ordering
 * invariants every plan must keep, over generated configurations that mix every relation kind,
 * {@code and}/{@code or}, job events, custom events, tasks and estimates.
 */
class PlanProperties {

    static final double INF = Double.POSITIVE_INFINITY;
    static final double[] ESTIMATES = {0.5, 1, 1.5, 2, 3};

    /** A generated configuration: jobs plus the seed that made them, for a readable failure. */
    record Gen(List<Job> jobs, long seed) {
        Config config() {
            return new Config(jobs, List.of("g.yaml"), List.of());
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("seed " + seed + "\n");
            for (Job j : jobs) {
                b.append(j.name()).append(j.task() ? " task" : "").append(" est=").append(est(j));
                if (j.startOn() != null) b.append(" start_on: ").append(j.startOn().text());
                for (Relation r : j.relations()) b.append(' ').append(r.kind().key()).append(':').append(r.target());
                for (Named e : j.emits()) b.append(" emits:").append(e.name());
                b.append('\n');
            }
            return b.toString();
        }
    }

    static double est(Job j) {
        return j.estimate() == null ? 1 : j.estimate().toNanos() / 1e9;
    }

    @Provide
    Arbitrary<Gen> configs() {
        return Arbitraries.longs().map(PlanProperties::generate);
    }

    /**
     * Small configurations. A blocking leaf ({@code starting X}, {@code stopping X}) appears only as a
     * whole condition or in a flat {@code and}, and a job with one is never pulled in: in other shapes
     * whether it holds the event depends on the order of simultaneous events (FIFO), which an equation
     * cannot see; example tests cover those.
     */
    static Gen generate(long seed) {
        Random r = new Random(seed);
        int n = 2 + r.nextInt(6);
        int line = 1;
        List<Job> jobs = new ArrayList<>();
        boolean[] task = new boolean[n];
        for (int i = 0; i < n; i++) task[i] = r.nextInt(5) == 0;
        for (int i = 0; i < n; i++) {
            Job.Builder b = Job.builder("j" + i, Format.YAML, new Source("g.yaml", line++, 1));
            b.task(task[i]);
            b.estimate(Duration.ofMillis((long) (ESTIMATES[r.nextInt(ESTIMATES.length)] * 1000)));
            int shape = r.nextInt(10);
            if (shape == 0) {
                b.manual(true);
            } else {
                b.startOn(expr(r, n, task, i, line++));
            }
            for (int k = 0; k < r.nextInt(3); k++) {
                RelationKind kind = new RelationKind[] {RelationKind.AFTER, RelationKind.BEFORE, RelationKind.REQUIRES,
                        RelationKind.WANTS}[r.nextInt(4)];
                int t = r.nextInt(n);
                if (t == i) continue;
                b.relation(Relation.declared(kind, "j" + t, new Source("g.yaml", line++, 1)));
            }
            if (r.nextInt(4) == 0) b.emits(new Named("ev" + r.nextInt(2), new Source("g.yaml", line++, 1)));
            jobs.add(b.build());
        }
        Set<String> blockingHolders = new HashSet<>();
        for (Job j : jobs) {
            if (Brute.names(j, "starting", null) || Brute.names(j, "stopping", null)) blockingHolders.add(j.name());
        }
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) {
            List<Relation> keep = new ArrayList<>();
            for (Relation rel : j.relations()) {
                boolean pull = rel.kind() == RelationKind.REQUIRES || rel.kind() == RelationKind.WANTS;
                if (!(pull && blockingHolders.contains(rel.target()))) keep.add(rel);
            }
            out.add(j.toBuilder().relations(keep).build());
        }
        return new Gen(out, seed);
    }

    private static EventExpr expr(Random r, int n, boolean[] task, int self, int line) {
        boolean flat = r.nextBoolean();
        if (flat) {
            int leaves = 1 + r.nextInt(3);
            boolean and = r.nextBoolean();
            boolean blocking = and || leaves == 1;
            EventExpr e = leaf(r, n, task, self, line, blocking);
            for (int k = 1; k < leaves; k++) {
                EventExpr x = leaf(r, n, task, self, line, blocking);
                e = and ? new EventExpr.All(e, x) : new EventExpr.Any(e, x);
            }
            return e;
        }
        EventExpr a = leaf(r, n, task, self, line, false);
        EventExpr b = leaf(r, n, task, self, line, false);
        EventExpr c = leaf(r, n, task, self, line, false);
        return r.nextBoolean() ? new EventExpr.Any(new EventExpr.All(a, b), c) : new EventExpr.All(new EventExpr.Any(a, b), c);
    }

    private static EventExpr leaf(Random r, int n, boolean[] task, int self, int line, boolean blockingAllowed) {
        int k = r.nextInt(10);
        Source s = new Source("g.yaml", line, 1 + r.nextInt(40));
        if (k <= 1) return new EventExpr.Match("startup", List.of(), s);
        if (k == 2) return new EventExpr.Match("ev" + r.nextInt(2), List.of(), s);
        int t = r.nextInt(n);
        String event;
        if (blockingAllowed && k == 3) event = "starting";
        else if (blockingAllowed && k == 4 && task[t]) event = "stopping";
        else if (k == 5 && task[t]) event = "stopped";
        else event = "started";
        if (t == self) return new EventExpr.Match("startup", List.of(), s);
        return new EventExpr.Match(event, List.of(EventArg.positional("j" + t)), s);
    }

    // ---- the brute force -----------------------------------------------------------------------

    /** Times of SEMANTICS §6 as the greatest fixpoint, iterated down from "never". */
    static final class Brute {
        final Map<String, Job> jobs = new TreeMap<>();
        final Map<String, Double> trig = new HashMap<>();
        final Map<String, Double> start = new HashMap<>();
        final Map<String, Double> fin = new HashMap<>();
        final Map<String, Double> up = new HashMap<>();

        Brute(List<Job> js, boolean waits, Set<String> closure, boolean unit) {
            for (Job j : js) {
                jobs.put(j.name(), j);
                trig.put(j.name(), INF);
                start.put(j.name(), INF);
                fin.put(j.name(), INF);
                up.put(j.name(), INF);
            }
            for (int round = 0; round < 400; round++) {
                boolean changed = false;
                for (Job j : jobs.values()) {
                    double t = INF;
                    if (j.startOn() != null && !j.manual()) t = cond(j.startOn());
                    for (Job k : jobs.values()) {
                        for (Relation rel : k.relations()) {
                            if ((rel.kind() == RelationKind.REQUIRES || rel.kind() == RelationKind.WANTS)
                                    && rel.target().equals(j.name())) {
                                t = Math.min(t, trig.get(k.name()));
                            }
                        }
                    }
                    double st = t;
                    if (waits && t < INF) {
                        for (Relation rel : j.relations()) {
                            if (rel.kind() == RelationKind.AFTER && closure.contains(rel.target())) {
                                st = Math.max(st, up.get(rel.target()));
                            }
                        }
                        for (Job k : jobs.values()) {
                            for (Relation rel : k.relations()) {
                                if (rel.kind() == RelationKind.BEFORE && rel.target().equals(j.name())
                                        && closure.contains(k.name())) {
                                    st = Math.max(st, up.get(k.name()));
                                }
                            }
                            if (k != j && names(k, "starting", j.name()) && trig.get(k.name()) >= t) {
                                st = Math.max(st, up.get(k.name()));
                            }
                        }
                    }
                    double d = waits ? (unit ? 1 : est(j)) : 0;
                    double f = st + d;
                    double u = f;
                    if (j.task() && waits && f < INF) {
                        for (Job k : jobs.values()) {
                            if (k != j && names(k, "stopping", j.name()) && trig.get(k.name()) >= f) {
                                u = Math.max(u, up.get(k.name()));
                            }
                        }
                    }
                    changed |= set(trig, j.name(), t) | set(start, j.name(), st) | set(fin, j.name(), f)
                            | set(up, j.name(), u);
                }
                if (!changed) break;
            }
        }

        private static boolean set(Map<String, Double> m, String k, double v) {
            return !Double.valueOf(v).equals(m.put(k, v));
        }

        static boolean names(Job k, String event, String job) {
            if (k.startOn() == null || k.manual()) return false;
            for (EventExpr.Match m : k.startOn().matches()) {
                if (m.event().equals(event) && (job == null || job.equals(m.jobArgument()))) return true;
            }
            return false;
        }

        double cond(EventExpr e) {
            if (e instanceof EventExpr.All a) return Math.max(cond(a.left()), cond(a.right()));
            if (e instanceof EventExpr.Any o) return Math.min(cond(o.left()), cond(o.right()));
            EventExpr.Match m = (EventExpr.Match) e;
            if (m.event().equals("startup")) return 0;
            if (m.event().startsWith("ev")) {
                double t = INF;
                for (Job j : jobs.values()) {
                    for (Named x : j.emits()) if (x.name().equals(m.event())) t = Math.min(t, up.get(j.name()));
                }
                return t;
            }
            Job x = jobs.get(m.jobArgument());
            return switch (m.event()) {
                case "starting" -> trig.get(x.name());
                case "started" -> x.task() ? start.get(x.name()) : up.get(x.name());
                case "stopping" -> x.task() ? fin.get(x.name()) : INF;
                default -> x.task() ? up.get(x.name()) : INF;
            };
        }

        Set<String> startedJobs() {
            Set<String> s = new HashSet<>();
            for (Map.Entry<String, Double> e : up.entrySet()) if (e.getValue() < INF) s.add(e.getKey());
            return s;
        }
    }

    static Plan plan(Config c) {
        return Planner.plan(c, new Planner.Request(new Goal(List.of(), List.of(), List.of()), Map.of()));
    }

    @Property(tries = 1500)
    void thePlanIsTheBruteForceFixpoint(@ForAll("configs") Gen g) {
        Set<String> closure = new Brute(g.jobs(), false, Set.of(), false).startedJobs();
        Brute timed = new Brute(g.jobs(), true, closure, false);
        Brute unit = new Brute(g.jobs(), true, closure, true);
        Plan p = plan(g.config());
        Set<String> planned = new HashSet<>();
        for (Step s : p.boot().steps()) planned.add(s.job());
        assertEquals(timed.startedJobs(), planned, g::toString);
        for (Step s : p.boot().steps()) {
            assertEquals(timed.trig.get(s.job()), s.trigger(), 1e-9, () -> s.id() + " trigger\n" + g);
            assertEquals(timed.start.get(s.job()), s.start(), 1e-9, () -> s.id() + " start\n" + g);
            assertEquals(timed.up.get(s.job()), s.up(), 1e-9, () -> s.id() + " up\n" + g);
            assertEquals(unit.start.get(s.job()), s.wave(), 1e-9, () -> s.id() + " wave\n" + g);
        }
        // A deadlock (or a held event) is reported exactly when the fixpoint leaves a job of the closure
        // unstarted, or jobs that never start wait on each other's events in a circle.
        boolean stuck = false;
        for (String j : closure) if (timed.up.get(j) == INF) stuck = true;
        stuck |= eventCycle(g.jobs(), timed);
        boolean reported = p.notStarted().stream()
                .anyMatch(x -> x.reason().equals("deadlock") || x.reason().equals("held"));
        assertEquals(stuck, reported, () -> p.notStarted() + "\n" + p.diagnostics() + "\n" + g);
        // ... and said as an error: ORD302/ORD303, or ORD301 for a circle of after/before alone.
        boolean error = p.diagnostics().stream().anyMatch(d -> d.code() == Code.DEADLOCK
                || d.code() == Code.HELD_EVENT || d.code() == Code.ORDERING_CYCLE);
        if (reported) assertTrue(error, () -> p.diagnostics() + "\n" + g);
    }

    /**
     * Jobs that never start, each waiting for the next: for an event of it that never came, or (never
     * triggered, and with no start condition of its own) for it to pull it in. A cycle of those is a
     * deadlock too (SEMANTICS §6).
     */
    private static boolean eventCycle(List<Job> jobs, Brute b) {
        Map<String, Set<String>> edges = new TreeMap<>();
        Set<String> waitEdges = new HashSet<>();
        for (Job j : jobs) {
            if (b.up.get(j.name()) < INF || j.startOn() == null || j.manual()) continue;
            for (EventExpr.Match m : j.startOn().matches()) {
                if (b.cond(m) < INF) continue; // that event did come
                List<String> producers = new ArrayList<>();
                if (m.jobArgument() != null) producers.add(m.jobArgument());
                for (Job e : jobs) {
                    for (Named x : e.emits()) if (x.name().equals(m.event())) producers.add(e.name());
                }
                for (String x : producers) {
                    if (x.equals(j.name()) || b.up.get(x) < INF) continue;
                    edges.computeIfAbsent(j.name(), k -> new HashSet<>()).add(x);
                    waitEdges.add(j.name() + " " + x);
                }
            }
        }
        // A job that only a puller would start waits for that puller, when something waits for the job.
        Set<String> vertices = new HashSet<>(edges.keySet());
        for (Set<String> ts : edges.values()) vertices.addAll(ts);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Job k : jobs) {
                if (b.trig.get(k.name()) < INF) continue;
                for (Relation rel : k.relations()) {
                    boolean pull = rel.kind() == RelationKind.REQUIRES || rel.kind() == RelationKind.WANTS;
                    if (!pull || b.trig.get(rel.target()) < INF || !vertices.contains(rel.target())) continue;
                    // One with a start condition of its own does not start for that condition's reason
                    // (its event never came), not for want of a puller: not started is not a deadlock.
                    Job target = jobs.stream().filter(x -> x.name().equals(rel.target())).findFirst().orElse(null);
                    if (target != null && target.startOn() != null && !target.manual()) continue;
                    if (edges.computeIfAbsent(rel.target(), x -> new HashSet<>()).add(k.name())) grew = true;
                    vertices.add(k.name());
                }
            }
        }
        // A cycle needs at least one real wait: jobs that only pull each other in wait for nothing.
        for (String e : waitEdges) {
            String[] uv = e.split(" ");
            if (reaches(uv[1], uv[0], edges, new HashSet<>())) return true;
        }
        return false;
    }

    private static boolean reaches(String from, String to, Map<String, Set<String>> edges, Set<String> seen) {
        if (from.equals(to)) return true;
        if (!seen.add(from)) return false;
        for (String w : edges.getOrDefault(from, Set.of())) if (reaches(w, to, edges, seen)) return true;
        return false;
    }

    @Property(tries = 800)
    void everyEdgeIsRespectedByTimesAndWavesAndNothingStartsLater(@ForAll("configs") Gen g) {
        Plan p = plan(g.config());
        Map<String, Step> by = new HashMap<>();
        for (Step s : p.boot().steps()) by.put(s.id(), s);
        for (Step s : p.boot().steps()) {
            double latest = s.trigger();
            for (Wait w : s.waitsFor()) {
                Step x = by.get(w.id());
                if (x == null) continue; // it failed or never started, and released the wait when it ended
                if (s.task() && w.kind() == EdgeKind.STOPPING) {
                    // What a task's own `stopping` event started holds the task's end, not its start.
                    assertTrue(x.up() <= s.up() + 1e-9, () -> s.id() + " is done before " + w.id() + " is up\n" + g);
                    continue;
                }
                assertTrue(x.up() <= s.start() + 1e-9, () -> s.id() + " starts before " + w.id() + " is up\n" + g);
                assertTrue(x.wave() < s.wave(), () -> s.id() + " is not in a later wave than " + w.id() + "\n" + g);
                latest = Math.max(latest, x.up());
            }
            // Tight: it starts exactly when the last thing it waited for allowed it.
            assertEquals(latest, s.start(), 1e-9, () -> s.id() + " could have started earlier\n" + g);
            Because because = s.because();
            if (because.by() != null && by.containsKey(because.by()) && because.kind() != EdgeKind.GOAL) {
                Step cause = by.get(because.by());
                double when = switch (because.kind()) {
                    case STARTING, REQUIRES, WANTS, BINDS_TO -> cause.trigger();
                    case STARTED -> cause.task() ? cause.start() : cause.up();
                    case STOPPING -> cause.start() + est(g.config().job(cause.job()));
                    default -> cause.up();
                };
                assertEquals(when, s.trigger(), 1e-9, () -> s.id() + " triggered at the wrong time\n" + g);
            }
        }
        // Waves are tight: a step of wave w > 0 waited for, or was triggered by, a step of wave w − 1,
        // or was triggered (with the same wave) by one that was.
        List<List<String>> waves = p.boot().waves();
        for (int w = 0; w < waves.size(); w++) {
            for (String id : waves.get(w)) assertEquals(w, by.get(id).wave());
        }
        // Waves are tight: they are exactly the start times when every duration is 1, and the checks
        // above (start = the latest thing waited for, trigger = the time of its cause) hold for those.
        List<Job> unitJobs = new ArrayList<>();
        for (Job j : g.jobs()) unitJobs.add(j.toBuilder().estimate(null).build());
        Plan unit = plan(new Config(unitJobs, List.of("g.yaml"), List.of()));
        for (Step s : unit.boot().steps()) {
            assertEquals(s.wave(), s.start(), 1e-9, () -> s.id() + ": wave and unit start differ\n" + g);
            assertEquals(s.wave(), by.get(s.id()).wave(), () -> s.id() + ": waves depend on estimates\n" + g);
            double latest = s.trigger();
            for (Wait w : s.waitsFor()) {
                Step x = unit.boot().step(w.id());
                if (x != null && !(s.task() && w.kind() == EdgeKind.STOPPING)) latest = Math.max(latest, x.up());
            }
            assertEquals(latest, s.start(), 1e-9, () -> s.id() + " could have started in an earlier wave\n" + g);
        }
        assertEquals(p.boot().steps().stream().mapToDouble(Step::up).max().orElse(0), p.boot().finish(), 1e-9);
    }

    @Property(tries = 800)
    void shutdownRespectsStopRelationsAndTheReversedBootOrder(@ForAll("configs") Gen g) {
        Plan p = plan(g.config());
        Map<String, Step> down = new HashMap<>();
        for (Step s : p.shutdown().steps()) down.put(s.id(), s);
        for (Step s : p.boot().steps()) {
            if (s.task()) continue;
            assertTrue(down.containsKey(s.id()), () -> s.id() + " is up at the end of the boot but never stops\n" + g);
        }
        Set<String> orderings = new HashSet<>();
        for (Step s : p.boot().steps()) {
            Step sd = down.get(s.id());
            if (sd == null) continue;
            for (Wait w : s.waitsFor()) {
                Step xd = down.get(w.id());
                // Only orderings are reversed (these configs have no stop_on to take their place);
                // an event that started s, or one s held, orders nothing at shutdown.
                if (xd == null || (w.kind() != EdgeKind.AFTER && w.kind() != EdgeKind.BEFORE)) continue;
                orderings.add(w.id() + " " + s.id());
                // s was ordered after x during the boot: x is signalled only once s has stopped.
                assertTrue(sd.up() <= xd.start() + 1e-9, () -> w.id() + " signalled before " + s.id() + " stopped\n" + g);
            }
        }
        for (Step sd : p.shutdown().steps()) {
            for (Wait w : sd.waitsFor()) {
                if (w.kind() != EdgeKind.REVERSE) continue;
                assertTrue(orderings.contains(sd.id() + " " + w.id()),
                        () -> sd.id() + " waits for " + w.id() + " at shutdown, but no after/before ordered them\n" + g);
            }
        }
        for (Step sd : p.shutdown().steps()) {
            double latest = sd.trigger();
            for (Wait w : sd.waitsFor()) latest = Math.max(latest, down.get(w.id()).up());
            assertEquals(latest, sd.start(), 1e-9, () -> sd.id() + " signalled later than it had to be\n" + g);
        }
    }

    @Property(tries = 300)
    void theOrderOfJobsChangesNothing(@ForAll("configs") Gen g, @ForAll long shuffle) {
        List<Job> shuffled = new ArrayList<>(g.jobs());
        java.util.Collections.shuffle(shuffled, new Random(shuffle));
        Plan a = plan(g.config());
        Plan b = plan(new Config(shuffled, List.of("g.yaml"), List.of()));
        assertEquals(dev.ordo.planner.render.PlanJson.write(a), dev.ordo.planner.render.PlanJson.write(b));
    }

    @Property(tries = 50)
    void planningTwiceGivesTheSameBytes(@ForAll("configs") Gen g) {
        String[] outs = new String[2];
        for (int i = 0; i < 2; i++) outs[i] = dev.ordo.planner.render.PlanJson.write(plan(g.config()));
        assertEquals(outs[0], outs[1]);
        assertTrue(Arrays.asList(outs).stream().allMatch(o -> o.startsWith("{")));
    }
}
