package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.statistics.Statistics;

/**
 * Property 1: the engine, run by the simulated process layer with random durations and no failures,
 * agrees with the plan of the same configuration (SEMANTICS §6: "the executor's observed order must
 * be a linear extension of the plan's edges"). (a) What comes up in the boot is the plan's boot; (b)
 * every wait of a boot step is up before the step leaves starting (a task's stopping wait: before it
 * leaves stopping), and its start condition (or a job pulling it in) came before it was started; (c)
 * after {@code shutdown}, every wait of a shutdown step has stopped before the step is signalled,
 * every job the plan stops has stopped, the jobs the shutdown starts are the plan's, nothing is left and the command
 * is answered. Where the planner reports a deadlock, the engine must be stuck too, and only in jobs
 * the plan does not start.
 */
class PlanAgreementProperties {

    private static final long MAX_STEPS = 100_000;
    private static final Source AT = new Source("g.yaml", 1, 1);
    private static final Set<Code> STUCK = Set.of(Code.ORDERING_CYCLE, Code.DEADLOCK, Code.HELD_EVENT);

    record Gen(List<Job> jobs, long seed) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("seed " + seed + "\n");
            for (Job j : jobs) {
                b.append(j.name()).append(j.task() ? " task" : "").append(j.manual() ? " manual" : "");
                if (!j.processes().containsKey(Phase.MAIN)) b.append(" abstract");
                if (j.startOn() != null) b.append(" start_on: ").append(j.startOn().text());
                if (j.stopOn() != null) b.append(" stop_on: ").append(j.stopOn().text());
                for (Relation r : j.relations()) b.append(' ').append(r.kind().key()).append(':').append(r.target());
                for (Named e : j.emits()) b.append(" emits:").append(e.name());
                b.append('\n');
            }
            return b.toString();
        }
    }

    /**
     * Small configurations in the spirit of the planner's own property: a blocking leaf
     * ({@code starting X}, {@code stopping X}) is a whole condition or in a flat {@code and}, and a job
     * with one is never pulled in, so whether an event is held does not depend on the order of
     * simultaneous events. stop_on names only services' stopping/stopped: nothing stops in the boot.
     * No task runs twice (the engine runs a task again whenever it is triggered again, as Upstart
     * and systemd do; a plan runs each once): a task's condition has no {@code or}, no emitted
     * event, and hears only later jobs; only services emit; no task is pulled in.
     */
    static Gen generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(6);
        boolean[] task = new boolean[n];
        for (int i = 0; i < n; i++) task[i] = r.nextInt(4) == 0;
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Job.Builder b = Job.builder("j" + i, Format.YAML, AT).task(task[i]);
            if (r.nextInt(8) != 0) b.process(Process.exec(Phase.MAIN, "/bin/j" + i, AT));
            if (r.nextInt(5) == 0) b.process(Process.exec(Phase.PRE_START, "/bin/pre", AT));
            if (r.nextInt(5) == 0) b.process(Process.exec(Phase.POST_STOP, "/bin/post", AT));
            if (r.nextInt(10) == 0) b.manual(true);
            else b.startOn(startOn(r, n, task, i));
            if (!task[i] && r.nextInt(3) == 0) {
                EventExpr stop = stopOn(r, n, task, i);
                if (stop != null) b.stopOn(stop);
            }
            for (int k = r.nextInt(3); k > 0; k--) {
                RelationKind kind = new RelationKind[] {RelationKind.AFTER, RelationKind.BEFORE, RelationKind.REQUIRES,
                        RelationKind.WANTS, RelationKind.REQUISITE, RelationKind.ON_SUCCESS, RelationKind.ON_FAILURE}[r.nextInt(7)];
                int t = r.nextInt(n);
                boolean pull = kind == RelationKind.REQUIRES || kind == RelationKind.WANTS || kind == RelationKind.ON_SUCCESS
                        || kind == RelationKind.ON_FAILURE;
                // A task pulled in again after it ran runs again in the engine (as systemd re-runs a
                // oneshot), once in the plan: a known difference, left out here. Only a task stops in
                // the boot, so only a task's on_success fires.
                if (t == i || (pull && task[t])) continue;
                if (kind == RelationKind.ON_SUCCESS && !task[i]) continue;
                b.relation(Relation.declared(kind, "j" + t, AT));
            }
            if (!task[i] && r.nextInt(3) == 0) b.emits(new Named("ev" + r.nextInt(2), AT));
            jobs.add(b.build());
        }
        Set<String> holders = new HashSet<>();
        for (Job j : jobs) {
            if (j.startOn() == null) continue;
            for (EventExpr.Match m : j.startOn().matches()) {
                if (m.event().equals("starting") || m.event().equals("stopping")) holders.add(j.name());
            }
        }
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) {
            List<Relation> keep = new ArrayList<>();
            for (Relation rel : j.relations()) {
                boolean pull = rel.kind() == RelationKind.REQUIRES || rel.kind() == RelationKind.WANTS
                        || rel.kind() == RelationKind.ON_SUCCESS || rel.kind() == RelationKind.ON_FAILURE;
                if (!(pull && holders.contains(rel.target()))) keep.add(rel);
            }
            out.add(j.toBuilder().relations(keep).build());
        }
        return new Gen(out, seed);
    }

    private static EventExpr startOn(SplittableRandom r, int n, boolean[] task, int self) {
        int leaves = 1 + r.nextInt(3);
        // A task's condition has no `or`: two branches holding one after the other would run it twice.
        int shape = task[self] ? 0 : r.nextInt(3);
        if (shape == 2 && leaves == 3) {
            EventExpr a = leaf(r, n, task, self, false);
            EventExpr b = leaf(r, n, task, self, false);
            EventExpr c = leaf(r, n, task, self, false);
            return r.nextBoolean() ? new EventExpr.Any(new EventExpr.All(a, b), c)
                    : new EventExpr.All(new EventExpr.Any(a, b), c);
        }
        boolean and = shape == 0;
        boolean blocking = and || leaves == 1;
        EventExpr e = leaf(r, n, task, self, blocking);
        for (int k = 1; k < leaves; k++) {
            EventExpr x = leaf(r, n, task, self, blocking);
            e = and ? new EventExpr.All(e, x) : new EventExpr.Any(e, x);
        }
        return e;
    }

    private static EventExpr.Match leaf(SplittableRandom r, int n, boolean[] task, int self, boolean blockingAllowed) {
        int k = r.nextInt(12);
        int t = r.nextInt(n);
        // Tasks run again when triggered again: a task hears only later jobs, so nothing it causes
        // can trigger it again.
        if (k <= 1 || t == self || (task[self] && t < self)) return match("startup");
        // Several jobs may emit the same event: a task listens to job events only.
        if (k == 2) return task[self] ? match("startup") : match("ev" + r.nextInt(2));
        String event;
        if (blockingAllowed && k == 3) event = "starting";
        else if (blockingAllowed && k == 4) event = "stopping"; // a task's in the boot, a service's at shutdown
        else if (k == 5) event = "stopped";
        else event = "started";
        return match(event, EventArg.positional("j" + t));
    }

    private static EventExpr stopOn(SplittableRandom r, int n, boolean[] task, int self) {
        // One leaf: with `stopping A or stopped B` which comes first depends on the order of
        // simultaneous events, which the plan's shutdown takes depth first (see the report).
        List<EventExpr.Match> leaves = new ArrayList<>();
        for (int k = 1; k > 0; k--) {
            int t = r.nextInt(n);
            if (t == self || task[t]) continue;
            leaves.add(match(r.nextBoolean() ? "stopping" : "stopped", EventArg.positional("j" + t)));
        }
        if (leaves.isEmpty()) return null;
        return leaves.size() == 1 ? leaves.get(0) : new EventExpr.Any(leaves.get(0), leaves.get(1));
    }

    private static EventExpr.Match match(String event, EventArg... args) {
        return new EventExpr.Match(event, List.of(args), AT);
    }

    // ---- the run ---------------------------------------------------------------------------------

    /** What the effects show, as positions in the effect list. */
    static final class Trace {
        final List<Effect> effects;
        final int shutdownAt;

        Trace(List<Effect> effects, int shutdownAt) {
            this.effects = effects;
            this.shutdownAt = shutdownAt;
        }

        /** The first state change of {@code id} to {@code state} at or after {@code from}, or -1. */
        int state(String id, JobState state, int from) {
            for (int i = from; i < effects.size(); i++) {
                if (effects.get(i) instanceof Effect.StateChanged c && id(c).equals(id) && c.state() == state) return i;
            }
            return -1;
        }

        /** The first goal change of {@code id} to {@code goal} at or after {@code from}, or -1. */
        int goal(String id, JobGoal goal, int from) {
            for (int i = from; i < effects.size(); i++) {
                if (effects.get(i) instanceof Effect.StateChanged c && id(c).equals(id) && c.goal() == goal) return i;
            }
            return -1;
        }

        /** When a boot step is up: a service running, a task stopped after it ran. */
        int up(String id, boolean task) {
            int running = state(id, JobState.RUNNING, 0);
            if (!task || running < 0) return running;
            return state(id, JobState.WAITING, running);
        }

        List<Event> eventsBefore(int end) {
            List<Event> l = new ArrayList<>();
            for (int i = 0; i < end; i++) {
                if (effects.get(i) instanceof Effect.EventEmitted x) l.add(new Event(x.event(), x.name(), x.env()));
            }
            return l;
        }

        private static String id(Effect.StateChanged c) {
            return Step.id(c.job(), c.instance());
        }
    }

    @Property(tries = 1500)
    void theEngineIsALinearExtensionOfThePlan(@ForAll long seed) {
        agrees(generate(seed));
    }

    /** Property 1 for one configuration (the simulator's durations drawn from {@code g.seed()}). */
    static void agrees(Gen g) {
        long seed = g.seed();
        Map<String, Job> jobs = new HashMap<>();
        for (Job j : g.jobs()) jobs.put(j.name(), j);
        Plan plan = Planner.plan(new Config(g.jobs(), List.of("g.yaml"), List.of()), Planner.Request.defaults());
        boolean stuck = plan.diagnostics().stream().anyMatch(d -> STUCK.contains(d.code()));
        Statistics.label("plan").collect(stuck ? "deadlock reported" : "no deadlock");
        Set<String> bootJobs = Planner.bootSet(new Config(g.jobs(), List.of("g.yaml"), List.of()), Planner.Request.defaults());

        Simulator sim = new Simulator(g.jobs(), bootJobs, seed, new Simulator.Behaviour(0, 0, 0, 0, 0, 0, 300), true);
        sim.boot();
        assertTrue(sim.run(MAX_STEPS), () -> "the boot does not come to rest\n" + g);
        int shutdownAt = sim.effects().size();
        Trace t = new Trace(sim.effects(), shutdownAt);

        // (a) what comes up before the boot is taken to be over (see Engine.BOOT_SETTLE)
        int quietAt = sim.effects().indexOf(new Effect.LogLine("the boot is over: jobs it did not start are no longer waited for"));
        if (quietAt < 0) quietAt = shutdownAt;
        Set<String> up = new TreeSet<>();
        Map<String, JobState> stateAtQuiet = new TreeMap<>();
        Set<String> ran = new HashSet<>();
        for (Effect e : sim.effects().subList(0, quietAt)) {
            if (e instanceof Effect.StateChanged c) {
                String id = Step.id(c.job(), c.instance());
                // Up: a service running, a task done (stopped after it ran).
                if (c.state() == JobState.RUNNING && !jobs.get(c.job()).task()) up.add(id);
                if (c.state() == JobState.RUNNING) ran.add(id);
                if (c.state() == JobState.WAITING && ran.contains(id)) up.add(id);
                stateAtQuiet.put(id, c.state());
            }
        }
        Set<String> planned = new TreeSet<>();
        for (Step s : plan.boot().steps()) planned.add(s.id());
        Set<String> refused = new HashSet<>();
        for (NotStarted x : plan.notStarted()) if (x.reason().equals("requisite-missing")) refused.add(x.id());
        boolean chained = g.jobs().stream().anyMatch(j -> j.relations().stream()
                .anyMatch(r -> r.kind() == RelationKind.REQUISITE && refused.contains(r.target())));
        boolean requisites = g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE));
        if (chained) Statistics.label("requisite").collect("on a refused job");
        else if (stuck && requisites) Statistics.label("requisite").collect("with a deadlock");
        else if (g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE
                && jobs.get(r.target()).task()))) Statistics.label("requisite").collect("on a task");
        else Statistics.label("requisite").collect(requisites ? "other" : "none");
        assertEquals(planned, up, () -> "jobs up in the boot\n" + g + "plan: " + plan.boot().steps()
                + "\nnot started: " + plan.notStarted());
        stateAtQuiet.values().removeIf(x -> x == JobState.RUNNING || x == JobState.WAITING);
        if (stuck) {
            // Stuck in the same jobs: whatever waits is what the plan says cannot start.
            Set<String> blocked = new TreeSet<>();
            for (NotStarted x : plan.notStarted()) if (bootJobs.contains(x.id())) blocked.add(x.id());
            assertTrue(blocked.containsAll(stateAtQuiet.keySet()), () -> "waiting " + stateAtQuiet
                    + ", the plan's deadlock is " + blocked + "\n" + g + plan.diagnostics());
            return;
        }
        List<Engine.InstanceView> waiting = new ArrayList<>();
        for (Engine.InstanceView v : sim.engine().instances()) if (v.state() != JobState.RUNNING) waiting.add(v);
        assertEquals(List.of(), waiting, () -> "no deadlock reported, yet the engine waits\n" + g);

        // (b) the boot's edges
        for (Step s : plan.boot().steps()) {
            int started = t.goal(s.id(), JobGoal.START, 0);
            int leaves = t.state(s.id(), JobState.PRE_START, 0);
            assertTrue(started >= 0 && leaves > started, () -> s.id() + " never started\n" + g);
            for (Wait w : s.waitsFor()) {
                Statistics.label("boot waits").collect(w.kind().label());
                Step target = plan.boot().step(w.id());
                // A wait on a step that never started (a requisite refused it): it only says when that was decided.
                if (target == null) continue;
                int ready = t.up(target.id(), target.task());
                int until = leaves;
                if (w.kind() == EdgeKind.STOPPING && s.task()) until = t.state(s.id(), JobState.KILLED, leaves);
                int before = until;
                assertTrue(ready >= 0 && ready < before,
                        () -> s.id() + " went on before " + w.id() + " (" + w.kind().label() + ") was up\n" + g);
            }
            Job j = jobs.get(s.id());
            boolean condition = j.startOn() != null && !j.manual() && holds(j.startOn(), t.eventsBefore(started));
            boolean pulled = false;
            for (Job p : g.jobs()) {
                for (Relation rel : p.relations()) {
                    if ((rel.kind() == RelationKind.REQUIRES || rel.kind() == RelationKind.WANTS)
                            && rel.target().equals(s.job())) {
                        int ps = t.goal(p.name(), JobGoal.START, 0);
                        pulled |= ps >= 0 && ps < started;
                    }
                    if (rel.kind() == RelationKind.ON_SUCCESS && rel.target().equals(s.job())) {
                        // Started once the task was done: after it ran and came back to waiting.
                        int running = t.state(p.name(), JobState.RUNNING, 0);
                        int done = running < 0 ? -1 : t.state(p.name(), JobState.WAITING, running);
                        pulled |= done >= 0 && done < started;
                    }
                }
            }
            boolean because = condition || pulled;
            assertTrue(because, () -> s.id() + " started before its condition held (" + s.because() + ")\n" + g);
        }

        // (c) the shutdown
        Set<String> liveAtShutdown = new TreeSet<>();
        for (Engine.InstanceView v : sim.engine().instances()) liveAtShutdown.add(Step.id(v.job(), v.instance()));
        Set<String> plannedLive = new TreeSet<>();
        for (Step s : plan.boot().steps()) if (!s.task()) plannedLive.add(s.id());
        sim.at(sim.now() + 1, Input.Command.shutdown(1_000_000));
        assertTrue(sim.run(MAX_STEPS), () -> "the shutdown does not come to rest\n" + g);
        assertEquals(1, sim.replies().getOrDefault(1_000_000L, 0), () -> "shutdown answered once\n" + g);
        assertEquals(List.of(), sim.engine().instances(), () -> "left after shutdown\n" + g);
        // The jobs the shutdown starts: the plan's conditions go on from the boot's matches (U§3.3)
        // and hear the events of the jobs it starts, as the engine's do, so the same jobs start.
        Set<String> startedAtShutdown = new TreeSet<>();
        for (Effect e : sim.effects().subList(shutdownAt, sim.effects().size())) {
            if (e instanceof Effect.StateChanged c && c.state() == JobState.STARTING) startedAtShutdown.add(Step.id(c.job(), c.instance()));
        }
        Set<String> plannedAtShutdown = new TreeSet<>();
        for (Step s : plan.shutdown().steps()) if (s.task()) plannedAtShutdown.add(s.id());
        // Except where a service the shutdown started was stopped by its own stop_on before it was
        // up: the plan takes it to come up, and which comes first is a matter of durations (see
        // docs/semantics.md, Plans, Shutdown); what its `started` would start then does not.
        boolean cutShort = false;
        for (String id : startedAtShutdown) {
            Job j = jobs.get(id);
            cutShort |= j != null && !j.task() && j.stopOn() != null && t.state(id, JobState.RUNNING, shutdownAt) < 0;
        }
        // Where the engine had to break a wait (a job left to a stop_on that will not come, an event
        // held by a partial match), the order is not the plan's by construction: counted, not compared.
        boolean broke = sim.effects().subList(shutdownAt, sim.effects().size()).stream()
                .anyMatch(e -> e instanceof Effect.LogLine l && l.line().startsWith("shutdown: "));
        // Jobs the engine started after the boot was taken to be over (above: what was up then is
        // the plan's boot) are not the plan's: the shutdown then starts from other jobs.
        boolean later = !liveAtShutdown.equals(plannedLive);
        // A requisite on a job left to its stop_on: whether the job that needs it is triggered
        // before or after that stop_on comes is a matter of durations (docs/semantics.md, Shutdown).
        boolean requisiteRace = false;
        for (Job j : g.jobs()) {
            for (Relation r : j.relations()) {
                Job target = jobs.get(r.target());
                requisiteRace |= r.kind() == RelationKind.REQUISITE && target != null && target.stopOn() != null
                        && plannedLive.contains(target.name()) && !plannedLive.contains(j.name());
            }
        }
        boolean sameStarts = plannedAtShutdown.equals(startedAtShutdown);
        // Starts at shutdown that differ only in jobs with a requisite: the shutdown run of the plan
        // decides a requisite on what it has stopped so far, and does not follow a refusal down a
        // chain (a requisite on a job itself refused) or a task run at shutdown as the boot set does;
        // a known planner difference (docs/semantics.md, Shutdown), counted, not compared.
        Set<String> differ = new TreeSet<>(plannedAtShutdown);
        differ.addAll(startedAtShutdown);
        Set<String> both = new TreeSet<>(plannedAtShutdown);
        both.retainAll(startedAtShutdown);
        differ.removeAll(both);
        // The jobs a differently decided requisite explains: those with one, and those started by
        // their events or pulled in by them, down the chain.
        Set<String> explained = new TreeSet<>();
        for (String id : differ) {
            if (jobs.containsKey(id) && jobs.get(id).relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE)) {
                explained.add(id);
            }
        }
        for (boolean more = true; more; ) {
            more = false;
            for (String id : differ) {
                Job j = jobs.get(id);
                if (j == null || explained.contains(id)) continue;
                boolean follows = j.startOn() != null && j.startOn().matches().stream()
                        .anyMatch(m -> !m.args().isEmpty() && explained.contains(m.args().get(0).value()));
                for (String e : explained) {
                    follows |= jobs.get(e).relations().stream().anyMatch(r -> r.target().equals(id)
                            && (r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.WANTS));
                }
                if (follows) more = explained.add(id);
            }
        }
        boolean requisiteStart = !differ.isEmpty() && explained.equals(differ);
        Statistics.label("shutdown").collect(later ? "more up after the boot was over: not compared"
                : broke ? "the engine broke a wait: order not compared"
                : cutShort ? "a started job stopped by its stop_on before up: not compared"
                : requisiteRace && !sameStarts ? "a requisite on a job left to its stop_on: not compared"
                : requisiteStart ? "a requisite decided otherwise at shutdown: not compared"
                : "order compared");
        if (!later && !broke && !cutShort && !requisiteRace && !requisiteStart) {
            assertEquals(plannedAtShutdown, startedAtShutdown, () -> "jobs started at shutdown\n" + g
                    + "shutdown: " + plan.shutdown().steps());
        }
        boolean compare = !later && !broke && !cutShort && sameStarts;
        for (Step s : plan.shutdown().steps()) {
            if (s.task()) continue;
            int stopped = t.state(s.id(), JobState.WAITING, shutdownAt);
            int signalled = t.state(s.id(), JobState.KILLED, shutdownAt);
            assertTrue(stopped >= 0, () -> s.id() + " did not stop\n" + g);
            if (!compare) continue;
            for (Wait w : s.waitsFor()) {
                Job holder = jobs.get(w.id());
                boolean stopChoice = w.kind() == EdgeKind.STOPPING && holder != null && holder.stopOn() != null
                        && hasOr(holder.stopOn());
                // (A reversed wait is an after/before of the boot, never an event an or chose: compared always.)
                if (stopChoice) {
                    // Which branch of the or comes first is the order of simultaneous events: the
                    // engine handles them first come first served, the plan's shutdown depth first.
                    Statistics.label("shutdown waits").collect("skipped: an or-branch choice");
                    continue;
                }
                Statistics.label("shutdown waits").collect(w.kind().label());
                // At rest: a job that was there has stopped; one the shutdown started is up (a service
                // running, a task done) or stopped (its own stop_on may come before it is up).
                Step held = plan.shutdown().step(w.id());
                boolean startedService = held != null && held.task() && !jobs.get(held.job()).task();
                int done = t.state(w.id(), JobState.WAITING, shutdownAt);
                int running = startedService ? t.state(w.id(), JobState.RUNNING, shutdownAt) : -1;
                if (running >= 0 && (done < 0 || running < done)) done = running;
                assertTrue(done >= 0 && done < signalled,
                        () -> s.id() + " signalled before " + w.id() + " (" + w.kind().label() + ") stopped\n" + g
                                + "shutdown: " + plan.shutdown().steps());
            }
        }
    }

    /**
     * Property 1 under {@code ordo plan --fail F}: F's main process can never be started. What comes up
     * in the boot is still the plan's boot: F's {@code on_failure} targets come up, the jobs that
     * require it (or have it as requisite) and are ordered after it do not. The supervisor is given
     * the boot set without the failure, as for real. Left out, each with its label: what the plan
     * cannot know without durations or does not model (docs/semantics.md, Failures): a stop_on on a
     * failing job, a requisite on F without {@code after}, requisites decided after the supervisor's
     * boot is over, a requisite on a job only F's failure brings in, F started again by its own failure
     * (an endless loop), a deadlock.
     */
    @Property(tries = 800)
    void underAFailureTheEngineStartsWhatThePlanStarts(@ForAll long seed) {
        Gen g = generate(seed);
        Set<String> bootJobs = Planner.bootSet(new Config(g.jobs(), List.of("g.yaml"), List.of()), Planner.Request.defaults());
        List<Job> mains = new ArrayList<>();
        for (Job j : g.jobs()) if (bootJobs.contains(j.name()) && j.processes().containsKey(Phase.MAIN)) mains.add(j);
        if (mains.isEmpty()) return;
        String f = mains.get(Math.floorMod(seed, mains.size())).name();
        Set<String> targets = new HashSet<>();
        for (Job j : g.jobs()) {
            if (!j.name().equals(f)) continue;
            for (Relation r : j.relations()) if (r.kind() == RelationKind.ON_FAILURE) targets.add(r.target());
        }
        // F and the jobs that fail with it (they require it or have it as requisite, at any depth).
        Set<String> failing = new HashSet<>(Set.of(f));
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Job j : g.jobs()) {
                if (!failing.contains(j.name()) && j.relations().stream().anyMatch(r -> failing.contains(r.target())
                        && (r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.REQUISITE))) {
                    grew |= failing.add(j.name());
                }
            }
        }
        // What F's failure starts (its on_failure targets, jobs on events of the failing jobs, and what
        // those pull in or cause in turn): if that starts F again, F fails again, for ever, in the
        // engine as in systemd; the plan runs each job once.
        Set<String> caused = new HashSet<>(targets);
        for (boolean grew = true; grew; ) {
            grew = false;
            for (Job j : g.jobs()) {
                if (caused.contains(j.name())) continue;
                boolean hears = j.startOn() != null && j.startOn().matches().stream().anyMatch(m -> caused.contains(m.jobArgument())
                        || (failing.contains(m.jobArgument()) && (m.event().equals("stopping") || m.event().equals("stopped"))));
                boolean pulled = g.jobs().stream().anyMatch(p -> caused.contains(p.name()) && p.relations().stream()
                        .anyMatch(r -> r.target().equals(j.name()) && r.kind() != RelationKind.AFTER && r.kind() != RelationKind.BEFORE
                                && r.kind() != RelationKind.REQUISITE));
                if (hears || pulled) grew |= caused.add(j.name());
            }
        }
        if (caused.contains(f)) {
            Statistics.label("failure").collect("left out: F started again by what its failure starts");
            return;
        }
        // F's start_on with an `or`: a later branch's event can trigger F again while its failed
        // attempt is still stopping; it then goes back to starting without a `stopped` (U§1.3), so
        // what waits for F's stopped does not start in that run. The plan fails F once. Left out.
        Job fJob = g.jobs().stream().filter(j -> j.name().equals(f)).findFirst().orElseThrow();
        if (fJob.startOn() != null && hasOr(fJob.startOn()) && g.jobs().stream().anyMatch(j -> j.startOn() != null
                && j.startOn().matches().stream().anyMatch(m -> f.equals(m.jobArgument()) && m.event().equals("stopped")))) {
            Statistics.label("failure").collect("left out: F triggered again while it stops, and a job waits for its stopped");
            return;
        }
        for (Job j : g.jobs()) {
            if (!bootJobs.contains(j.name()) && j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE
                    && g.jobs().stream().anyMatch(t -> t.name().equals(r.target()) && t.task()))) {
                // Started only because F failed, it may come after the supervisor's boot is over (every
                // boot job settled), when a task done is no longer there; the plan's boot goes on. Left out.
                Statistics.label("failure").collect("left out: a requisite on a task from a job outside the boot set");
                return;
            }
            if (j.stopOn() != null && j.stopOn().matches().stream().anyMatch(m -> failing.contains(m.jobArgument()))) {
                // The plan stops nothing in the boot; the engine stops this job when F (or a job failing
                // with it) stops failed, if it is there by then: a matter of durations.
                Statistics.label("failure").collect("left out: a stop_on on a failing job");
                return;
            }
            boolean requisite = j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE && r.target().equals(f));
            boolean after = j.relations().stream().anyMatch(r -> r.kind() == RelationKind.AFTER && r.target().equals(f));
            if (requisite && !after) {
                Statistics.label("failure").collect("left out: a requisite on F without after");
                return;
            }
        }
        // A boot job F's failure keeps from coming is waited for by the supervisor until the boot is
        // quiet (it cannot know), and a requisite on it is decided then, as if the boot were over; the
        // plan knows it will not come. Left out, as a requisite on such a job.
        Set<String> failBoot = Planner.bootSet(new Config(g.jobs(), List.of("g.yaml"), List.of()),
                new Planner.Request(new dev.ordo.planner.plan.Goal(List.of(), List.of(),
                        List.of(new dev.ordo.planner.plan.Goal.Failure(f, null))), Map.of()));
        if (g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE
                && bootJobs.contains(r.target()) && !failBoot.contains(r.target()) && !r.target().equals(f)))) {
            Statistics.label("failure").collect("left out: a requisite on a boot job F's failure keeps away");
            return;
        }
        // A boot job F's failure keeps away that another is ordered against: the supervisor waits for it
        // until the boot is over, so that job starts after the boot, when a task done no longer counts
        // for a requisite (a boot is one transaction); the plan, knowing the failure, does not wait.
        Set<String> keptAway = new HashSet<>(bootJobs);
        keptAway.removeAll(failBoot);
        keptAway.remove(f);
        boolean orderedOnKeptAway = g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r ->
                (r.kind() == RelationKind.AFTER || r.kind() == RelationKind.BEFORE)
                        && (keptAway.contains(r.target()) != keptAway.contains(j.name()))));
        boolean requisiteOnTask = g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE
                && g.jobs().stream().anyMatch(t -> t.name().equals(r.target()) && t.task())));
        if (orderedOnKeptAway && requisiteOnTask) {
            Statistics.label("failure").collect("left out: ordered against a boot job F's failure keeps away, with a requisite on a task");
            return;
        }
        // The other way round: a requisite on a job only F's failure brings in (it hears F's stopping or
        // stopped). Whether it is triggered before the job that needs it is asked depends on when F
        // fails, which the plan fixes in plan time and the run leaves to durations. Left out.
        if (g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE
                && !bootJobs.contains(r.target()) && failBoot.contains(r.target())))) {
            Statistics.label("failure").collect("left out: a requisite on a job only F's failure brings in");
            return;
        }
        // F's on_failure targets start once F has ended, whatever after/before say (both sides): counted.
        boolean ordered = g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r ->
                (r.kind() == RelationKind.BEFORE || r.kind() == RelationKind.AFTER)
                        && (targets.contains(j.name()) || targets.contains(r.target()))));
        if (ordered) Statistics.label("on_failure").collect("a target ordered against F");
        dev.ordo.planner.plan.Goal goal = new dev.ordo.planner.plan.Goal(List.of(), List.of(),
                List.of(new dev.ordo.planner.plan.Goal.Failure(f, null)));
        Plan plan = Planner.plan(new Config(g.jobs(), List.of("g.yaml"), List.of()), new Planner.Request(goal, Map.of()));
        if (plan.diagnostics().stream().anyMatch(d -> STUCK.contains(d.code()))) {
            Statistics.label("failure").collect("left out: a deadlock");
            return;
        }
        // A job the plan leaves waiting on an ordering with a job the failure keeps from starting: the
        // supervisor, which does not know of the failure ahead, waits for it only until the boot is
        // over (Engine.BOOT_SETTLE) and then starts the job; the plan's waits-for is for ever. Left out.
        Set<String> plannedIds = new HashSet<>();
        for (Step st : plan.boot().steps()) plannedIds.add(st.id());
        for (dev.ordo.planner.plan.NotStarted ns : plan.notStarted()) {
            if (!ns.reason().equals("waits-for")) continue;
            boolean ordering = g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r ->
                    (r.kind() == RelationKind.AFTER && j.name().equals(ns.id()) && !plannedIds.contains(r.target()))
                            || (r.kind() == RelationKind.BEFORE && r.target().equals(ns.id()) && !plannedIds.contains(j.name()))));
            if (ordering) {
                Statistics.label("failure").collect("left out: ordered against a job the failure keeps away");
                return;
            }
        }
        boolean onFailure = g.jobs().stream().anyMatch(j -> j.name().equals(f)
                && j.relations().stream().anyMatch(r -> r.kind() == RelationKind.ON_FAILURE));
        boolean dependants = g.jobs().stream().anyMatch(j -> j.relations().stream().anyMatch(r -> r.target().equals(f)
                && (r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.REQUISITE)));
        Statistics.label("failure").collect(onFailure ? "with on_failure" : dependants ? "with dependants" : "compared");

        Simulator sim = new Simulator(g.jobs(), bootJobs, seed, new Simulator.Behaviour(0, 0, 0, 0, 0, 0, 300), true);
        sim.failing(Set.of(f));
        sim.boot();
        assertTrue(sim.run(MAX_STEPS), () -> "the boot does not come to rest\n" + g);
        // The whole run: the supervisor's boot (without --fail) may wait for jobs the failure keeps
        // from starting until the boot is over, and only then start what the plan starts.
        Set<String> up = new TreeSet<>();
        Set<String> ran = new HashSet<>();
        Map<String, Job> jobs = new HashMap<>();
        for (Job j : g.jobs()) jobs.put(j.name(), j);
        for (Effect e : sim.effects()) {
            if (e instanceof Effect.StateChanged c) {
                String id = Step.id(c.job(), c.instance());
                if (c.state() == JobState.RUNNING && !jobs.get(c.job()).task()) up.add(id);
                if (c.state() == JobState.RUNNING) ran.add(id);
                if (c.state() == JobState.WAITING && ran.contains(id)) up.add(id);
            }
        }
        up.remove(f); // F's every attempt fails: a task of it that ran and stopped is not done
        Set<String> planned = new TreeSet<>();
        for (Step st : plan.boot().steps()) planned.add(st.id());
        assertEquals(planned, up, () -> "jobs up in the boot with --fail " + f + "\n" + g + "plan: " + plan.boot().steps()
                + "\nnot started: " + plan.notStarted());
    }

    private static boolean hasOr(EventExpr e) {
        if (e instanceof EventExpr.Any) return true;
        if (e instanceof EventExpr.All a) return hasOr(a.left()) || hasOr(a.right());
        return false;
    }

    /** Does the expression hold over these events (each leaf matched by any of them)? */
    static boolean holds(EventExpr e, List<Event> events) {
        if (e instanceof EventExpr.Match m) {
            for (Event x : events) if (dev.ordo.planner.rules.Matching.matches(m, x, Map.of())) return true;
            return false;
        }
        if (e instanceof EventExpr.All a) return holds(a.left(), events) && holds(a.right(), events);
        EventExpr.Any o = (EventExpr.Any) e;
        return holds(o.left(), events) || holds(o.right(), events);
    }

    /**
     * Found at 6,000 random tries: with --fail j2 the supervisor waits for j0 (a boot job only j2's
     * start brings in) until the boot is over before j4 goes on, and by then the task j3 that j1 has
     * as requisite no longer counts; the plan does not wait. Left out under its label (seen in the trace).
     */
    @Example
    void aRequisiteOnATaskAfterAWaitOnAJobTheFailureKeepsAway() {
        underAFailureTheEngineStartsWhatThePlanStarts(14510324624182L);
    }

    /** Samples that once failed a verify (starts at shutdown decided by a requisite): kept as examples. */
    @Example
    void requisitesDecidedAtShutdown() {
        for (long seed : new long[] {19097047226744L, 12515698101114L, 632360125475932638L, -12143L}) agrees(generate(seed));
    }

    @Property(tries = 20)
    void theGeneratorMakesEveryShape(@ForAll long seed) {
        // Not a property of the engine: the generator must reach the shapes the property is about.
        int[] seen = new int[8];
        for (int k = 0; k < 1000; k++) {
            for (Job j : generate(seed + k).jobs()) {
                if (j.task()) seen[0]++;
                if (j.stopOn() != null) seen[1]++;
                if (!j.emits().isEmpty()) seen[2]++;
                if (j.startOn() != null && j.startOn().matches().stream().anyMatch(m -> m.event().equals("starting"))) seen[3]++;
                if (j.startOn() != null && hasOr(j.startOn())) seen[4]++;
                if (j.relations().stream().anyMatch(r -> r.kind() == RelationKind.AFTER)) seen[5]++;
                if (j.relations().stream().anyMatch(r -> r.kind() == RelationKind.REQUISITE)) seen[6]++;
                if (j.relations().stream().anyMatch(r -> r.kind() == RelationKind.ON_SUCCESS)) seen[7]++;
            }
        }
        for (int k = 0; k < seen.length; k++) {
            int kk = k;
            // The rarest shape (a task's on_success) comes ~60 times in 1000 configurations; 200 gave ~12, and a seed with 5 now and then.
            assertTrue(seen[k] > 5, () -> "shape " + kk + " too rare");
        }
    }
}
