package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;

/**
 * One evaluation of the boot: every event and every step in the order of the time it happens (and,
 * at equal times, first come first served, as Upstart's event queue). This is the exact solution of
 * the plan's equations (SEMANTICS §6) — {@code and} at the latest of its sides, {@code or} at the
 * earliest, a start at the latest of its trigger and everything it waits for — computed the way
 * Knuth generalised Dijkstra's algorithm to such systems, not a simulation of processes.
 *
 * <p>Three modes share the code: {@link Mode#REACH} (no waiting, no durations) finds what can start
 * at all, the closure that ordering edges are taken within; {@link Mode#UNIT} gives the waves;
 * {@link Mode#TIMED} the times.
 */
final class BootRun {

    static final double NEVER = Double.POSITIVE_INFINITY;

    enum Mode { REACH, UNIT, TIMED }


    private final Config config;
    final Map<String, Job> jobs;
    private final Goal goal;
    final Mode mode;
    private final ToDoubleFunction<StepStart> duration;
    final Set<String> closure;
    /** REACH only: jobs a requisite outside the closure refuses, so that they start nothing. */
    private Set<String> refused = Set.of();
    /**
     * The jobs a supervisor counts on before they are triggered: the boot set without the failures
     * the goal supposes (it cannot know of them ahead); null for the closure itself.
     */
    Set<String> promised;
    private final Map<String, Goal.Failure> failures = new TreeMap<>();

    private final Map<String, ConditionTree> trees = new HashMap<>();
    private final Map<String, Map<String, String>> envs = new java.util.HashMap<>();
    /** By job, then by instance in name order; {@link #states()} puts the jobs in name order. */
    final Map<String, TreeMap<String, StepStart>> states = new HashMap<>();
    private List<StepStart> sortedStates;
    private final Map<String, List<Relation>> beforeOnMe = new HashMap<>();
    /** Why a job could not get an instance name, by job. */
    final Map<String, String> instanceProblems = new TreeMap<>();
    final List<Occurrence> occurrences = new ArrayList<>();

    /** Something to do at a time; at equal times, first scheduled first. */
    private record BootAction(double time, long seq, Runnable action) implements Comparable<BootAction> {
        @Override
        public int compareTo(BootAction o) {
            int c = Double.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<BootAction> queue = new PriorityQueue<>();
    /** How events meet the conditions that wait for them, and what they hold. */
    private final BootEvents events = new BootEvents(this);
    /** Requisites, decided once what triggered their jobs is handled. */
    private final BootRequisites requisites = new BootRequisites(this);
    private long seq;

    /** @param jobs the config's jobs by name */
    BootRun(Config config, Map<String, Job> jobs, Goal goal, Mode mode, ToDoubleFunction<StepStart> duration,
            Set<String> closure) {
        this.config = config;
        this.jobs = jobs;
        this.goal = goal;
        this.mode = mode;
        this.duration = duration;
        this.closure = closure;
        for (Goal.Failure f : goal.fail()) failures.put(f.job(), f);
        for (Job j : config.jobs()) {
            if (j.startOn() != null && !j.manual()) {
                ConditionTree tree = new ConditionTree(j.startOn());
                trees.put(j.name(), tree);
                events.index(j.name(), tree);
            }
            for (Relation r : j.relations()) {
                if (r.kind() == RelationKind.BEFORE) {
                    beforeOnMe.computeIfAbsent(r.target(), k -> new ArrayList<>()).add(
                            new Relation(RelationKind.BEFORE, j.name(), r.source(), r.origin()));
                }
            }
        }
    }

    /** Under {@code --fail}: what counts as on its way for a requisite before it is triggered. */
    BootRun promising(Set<String> jobs) {
        this.promised = Set.copyOf(jobs);
        return this;
    }

    /** REACH: these jobs are refused when triggered (their requisite is not in the boot). */
    BootRun refusing(Set<String> jobs) {
        this.refused = Set.copyOf(jobs);
        return this;
    }

    /** Runs the boot to the end; afterwards the states say what happened. */
    BootRun run() {
        for (Goal.GoalEvent e : goal.events()) {
            List<String[]> env = new ArrayList<>();
            for (String kv : e.env()) {
                int eq = kv.indexOf('=');
                env.add(eq < 0 ? new String[] {kv, ""} : new String[] {kv.substring(0, eq), kv.substring(eq + 1)});
            }
            Occurrence o = new Occurrence(e.name(), env, 0, null, EdgeKind.GOAL, null, Set.of(), false);
            at(0, () -> events.occur(o));
        }
        for (String name : goal.jobs()) {
            Job j = jobs.get(name);
            if (j == null) continue;
            at(0, () -> trigger(state(j, ""), 0, new Because(EdgeKind.GOAL, null, null, null), List.of()));
        }
        while (!queue.isEmpty()) {
            queue.poll().action().run();
            requisites.decide();
        }
        return this;
    }

    /** A job's own env, for $VAR in its conditions (SEMANTICS §4); made once per job. */
    Map<String, String> env(Job j) {
        if (j.env().isEmpty()) return Map.of(); // read only, like the maps made here
        return envs.computeIfAbsent(j.name(), k -> j.envMap());
    }

    private void at(double time, Runnable action) {
        queue.add(new BootAction(time, seq++, action));
    }

    StepStart state(Job job, String instance) {
        TreeMap<String, StepStart> m = states.computeIfAbsent(job.name(), k -> new TreeMap<>());
        StepStart s = m.get(instance);
        if (s == null) {
            s = new StepStart(job, instance);
            m.put(instance, s);
            sortedStates = null;
        }
        return s;
    }

    /** Every step that was touched, by job name then instance name. */
    List<StepStart> states() {
        if (sortedStates == null) {
            List<String> names = new ArrayList<>(states.keySet());
            names.sort(null);
            List<StepStart> out = new ArrayList<>();
            for (String n : names) out.addAll(states.get(n).values());
            sortedStates = Collections.unmodifiableList(out);
        }
        return sortedStates;
    }

    /** The steps of one job that were touched, by instance name. */
    Collection<StepStart> statesOf(String job) {
        TreeMap<String, StepStart> m = states.get(job);
        return m == null ? List.of() : m.values();
    }


    ConditionTree tree(String job) {
        return trees.get(job);
    }

    // ---- triggering -------------------------------------------------------------------------

    void trigger(StepStart s, double t, Because because, List<Occurrence> contributing) {
        if (s.triggered) {
            // Already started: the events are consumed (U§3.3). But one a requisite refused never left
            // stop/waiting: a later event or relation asks again, as at run time.
            if (!(s.skipped && s.requisiteMissing) || mode == Mode.REACH) return;
            s.skipped = false;
            s.requisiteMissing = false;
            s.skippedBecause = null;
            s.completed = false;
            s.completion = NEVER;
        }
        s.triggered = true;
        s.trigger = t;
        s.because = because;
        if (!s.job.export().isEmpty()) { // the environment is only read for what the job exports
            s.env = new LinkedHashMap<>(env(s.job));
            List<String> names = new ArrayList<>();
            for (Occurrence o : contributing) {
                for (String[] kv : o.env()) s.env.put(kv[0], kv[1]);
                names.add(o.name());
            }
            if (!names.isEmpty()) s.env.put("UPSTART_EVENTS", String.join(" ", names));
        }
        // Refused before anything happens: no `starting`, nothing pulled in (as the executor refuses
        // it). Decided once the event or action at hand is handled (see BootRequisites.decide).
        if (mode != Mode.REACH && BootRelations.hasRequisite(s.job)) {
            requisites.undecided.add(s);
            return;
        }
        if (mode == Mode.REACH && refused.contains(s.job.name())) {
            s.requisiteMissing = true;
            skip(s, t, null);
            return;
        }
        proceed(s, t);
    }

    void proceed(StepStart s, double t) {
        // Pulled in as `ordo start` would start them: their own start_on is not waited for (SEMANTICS §5).
        for (Relation r : s.job.relations()) {
            if (r.kind() != RelationKind.REQUIRES && r.kind() != RelationKind.WANTS
                    && r.kind() != RelationKind.BINDS_TO) {
                continue;
            }
            Job target = jobs.get(r.target());
            if (target == null || target.instance() != null) continue;
            StepStart ts = state(target, "");
            trigger(ts, t, new Because(BootRelations.kindOf(r.kind()), s.id, null, r.source()), List.of());
        }
        Occurrence starting = BootEvents.jobEvent("starting", s, t, List.of(), Set.of(), true);
        at(t, () -> events.occur(starting));
        at(t, () -> evaluate(s));
    }

    // ---- waiting and starting ---------------------------------------------------------------

    private void evaluate(StepStart s) {
        if (s.completed) return;
        if (mode != Mode.REACH) {
            for (Relation r : s.job.relations()) {
                if (r.kind() == RelationKind.AFTER) waitFor(s, r.target(), EdgeKind.AFTER, r.source());
            }
            for (Relation r : beforeOnMe.getOrDefault(s.job.name(), List.of())) {
                waitFor(s, r.target(), EdgeKind.BEFORE, r.source());
            }
        }
        s.evaluated = true;
        tryStart(s);
    }

    /** {@code s} waits for every instance of {@code job} in the plan; a required one's failure skips it. */
    private void waitFor(StepStart s, String job, EdgeKind kind, Source source) {
        Job target = jobs.get(job);
        if (target == null || target == s.job || !closure.contains(job) || BootRelations.startsWhenEnded(s.job, job)) return;
        if (promised != null && !promised.contains(job) && target.instance() == null && !state(target, "").triggered) {
            // Only a supposed failure brings it into the boot: not waited for before it is triggered, as
            // a supervisor that cannot know of the failure ahead orders only against pending starts.
            return;
        }
        List<StepStart> targets = new ArrayList<>();
        if (target.instance() == null) {
            targets.add(state(target, ""));
        } else {
            // Instances are only known once started: wait for those already triggered.
            Map<String, StepStart> m = states.get(job);
            if (m != null) for (StepStart x : m.values()) if (x.triggered) targets.add(x);
        }
        boolean required = BootRelations.requires(s.job, job);
        for (StepStart x : targets) {
            Wait w = new Wait(x.id, kind, source);
            if (x.completed) {
                s.waits.add(w);
                if (required && !x.succeeded) skip(s, x.completion, x.id);
                noteRelease(s, w, x.completion);
                continue;
            }
            s.pending++;
            s.open.add(w);
            onComplete(x, done -> {
                if (required && !done.succeeded) skip(s, done.completion, done.id);
                release(s, w, done.completion);
            });
        }
    }

    void onComplete(StepStart x, Consumer<StepStart> action) {
        if (x.completed) action.accept(x);
        else x.onComplete.add(action);
    }

    private static void noteRelease(StepStart s, Wait w, double time) {
        if (time >= s.released) {
            s.released = time;
            s.binding = w;
        }
    }

    void release(StepStart s, Wait w, double time) {
        s.waits.add(w);
        noteRelease(s, w, time);
        unblock(s, w, time);
    }

    /** One blocker less; the step moves on when none is left. */
    void unblock(StepStart s, Wait w, double time) {
        s.pending--;
        s.open.remove(w);
        if (s.pending == 0) at(Math.max(time, s.trigger), () -> advance(s));
    }

    private void advance(StepStart s) {
        if (s.pendingFail) failDone(s);
        else if (s.pendingDone) taskDone(s);
        else tryStart(s);
    }

    private void tryStart(StepStart s) {
        if (s.pending > 0 || !s.evaluated || s.started || s.completed) return;
        s.started = true;
        s.start = Math.max(s.trigger, s.released);
        double d = mode == Mode.REACH ? 0 : duration.applyAsDouble(s);
        if (s.job.task()) {
            Occurrence started = BootEvents.jobEvent("started", s, s.start, List.of(), Set.of(), false);
            at(s.start, () -> events.occur(started));
            at(s.start + d, () -> finishTask(s));
        } else {
            at(s.start + d, () -> up(s));
        }
    }

    private void up(StepStart s) {
        double t = s.start + (mode == Mode.REACH ? 0 : duration.applyAsDouble(s));
        if (failures.containsKey(s.job.name()) || failures.containsKey(s.id)) {
            fail(s, t);
            return;
        }
        s.up = t;
        s.succeeded = true;
        events.occur(BootEvents.jobEvent("started", s, t, List.of(), Set.of(), false));
        emits(s, t);
        complete(s, t);
    }

    /** SEMANTICS §6: the events a job lists in `emits` are taken to happen when it is up (a task: done). */
    private void emits(StepStart s, double t) {
        for (Named e : s.job.emits()) {
            if (Glob.isPattern(e.name())) continue;
            events.occur(new Occurrence(e.name(), List.of(), t, s.id, EdgeKind.EMITS, e.source(), Set.of(), false));
        }
    }

    /** A task's main process has ended: `stopping` holds it until what it started is at rest. */
    private void finishTask(StepStart s) {
        double t = s.start + (mode == Mode.REACH ? 0 : duration.applyAsDouble(s));
        if (failures.containsKey(s.job.name()) || failures.containsKey(s.id)) {
            fail(s, t);
            return;
        }
        s.evaluated = false;
        s.released = t;
        s.pendingDone = true;
        events.occur(BootEvents.jobEvent("stopping", s, t, List.<String[]>of(new String[] {"RESULT", "ok"}), Set.of(), true));
        at(t, () -> {
            s.evaluated = true;
            taskDone(s);
        });
    }

    private void taskDone(StepStart s) {
        if (!s.pendingDone || s.pending > 0 || !s.evaluated) return;
        s.pendingDone = false;
        double t = s.released;
        s.up = t;
        s.succeeded = true;
        // A task that finished well starts its on_success targets (a service stops only at shutdown),
        // as `ordo start` would: their requisites are looked at before `stopped` reaches anyone.
        for (Relation r : s.job.relations()) {
            if (r.kind() != RelationKind.ON_SUCCESS) continue;
            Job target = jobs.get(r.target());
            if (target != null && target.instance() == null) {
                trigger(state(target, ""), t, new Because(EdgeKind.ON_SUCCESS, s.id, null, r.source()), List.of());
            }
        }
        requisites.decide();
        events.occur(BootEvents.jobEvent("stopped", s, t, List.<String[]>of(new String[] {"RESULT", "ok"}), Set.of(), false));
        emits(s, t);
        complete(s, t);
    }

    private void fail(StepStart s, double t) {
        s.failed = true;
        Goal.Failure f = failures.containsKey(s.id) ? failures.get(s.id) : failures.get(s.job.name());
        List<String[]> result = new ArrayList<>();
        result.add(new String[] {"RESULT", "failed"});
        result.add(new String[] {"PROCESS", "main"});
        Set<String> anyway = Set.of();
        if (f.how() == null) {
            anyway = Set.of("PROCESS", "EXIT_STATUS", "EXIT_SIGNAL");
        } else if (f.how().chars().allMatch(Character::isDigit)) {
            result.add(new String[] {"EXIT_STATUS", f.how()});
        } else {
            result.add(new String[] {"EXIT_SIGNAL", f.how()});
        }
        // Settled at once for those ordered after it or requiring it (as the engine, at the failure);
        // `stopped` and the on_failure targets wait until what holds `stopping` is at rest (U§2.2).
        s.pendingFail = true;
        s.failResult = result;
        s.failAnyway = anyway;
        s.released = t;
        events.occur(BootEvents.jobEvent("stopping", s, t, result, anyway, true));
        complete(s, t);
        at(t, () -> failDone(s));
    }

    private void failDone(StepStart s) {
        if (!s.pendingFail || s.pending > 0) return;
        s.pendingFail = false;
        double t = s.released;
        if (!s.dependencyOnly) {
            for (Relation r : s.job.relations()) {
                if (r.kind() != RelationKind.ON_FAILURE) continue;
                Job target = jobs.get(r.target());
                if (target != null && target.instance() == null) {
                    trigger(state(target, ""), t, new Because(EdgeKind.ON_FAILURE, s.id, null, r.source()), List.of());
                }
            }
            // Started as `ordo start` would, before `stopped` reaches anyone: its requisites are
            // looked at now, as the engine does.
            requisites.decide();
        }
        events.occur(BootEvents.jobEvent("stopped", s, t, s.failResult, s.failAnyway, false));
    }

    void skip(StepStart s, double t, String because) {
        if (s.completed || s.started) return;
        s.skipped = true;
        s.skippedBecause = because;
        if (s.requisiteMissing || mode == Mode.REACH) {
            complete(s, t); // refused before `starting`: nothing to say
            return;
        }
        // It said `starting`: it goes back to waiting failed, as the engine's dependency failure, with
        // `stopping` and `stopped` (PROCESS=dependency) but no on_failure (not a failure of its own).
        s.pendingFail = true;
        s.dependencyOnly = true;
        s.failResult = List.of(new String[] {"RESULT", "failed"}, new String[] {"PROCESS", "dependency"});
        s.failAnyway = Set.of();
        s.released = t;
        events.occur(BootEvents.jobEvent("stopping", s, t, s.failResult, s.failAnyway, true));
        complete(s, t);
        at(t, () -> failDone(s));
    }

    private void complete(StepStart s, double t) {
        if (s.completed) return;
        s.completed = true;
        s.completion = t;
        List<Consumer<StepStart>> actions = new ArrayList<>(s.onComplete);
        s.onComplete.clear();
        for (Consumer<StepStart> a : actions) a.accept(s);
    }

    /** Jobs that did something in this run (a refused one did not). */
    Set<String> triggeredJobs() {
        Set<String> out = new HashSet<>();
        for (StepStart s : states()) if (s.triggered && !(s.skipped && s.requisiteMissing)) out.add(s.job.name());
        return out;
    }

}
