package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Expansion;
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

    /** A blocking event held by a leaf of some job's condition, on behalf of the event's producer. */
    record Hold(Occurrence event, StepStart producer, Wait heldAs) {
    }

    private final Config config;
    private final Map<String, Job> jobs;
    private final Goal goal;
    private final Mode mode;
    private final ToDoubleFunction<StepStart> duration;
    private final Set<String> closure;
    /** REACH only: jobs a requisite outside the closure refuses, so that they start nothing. */
    private Set<String> refused = Set.of();
    /**
     * The jobs a supervisor counts on before they are triggered: the boot set without the failures
     * the goal supposes (it cannot know of them ahead); null for the closure itself.
     */
    private Set<String> promised;
    private final Map<String, Goal.Failure> failures = new TreeMap<>();

    private final Map<String, ConditionTree> trees = new HashMap<>();
    private final Map<String, Map<String, String>> envs = new java.util.HashMap<>();
    /**
     * Which jobs' conditions can match an event: by event name, and for job events also by the job
     * they name, so that an event is offered only to the conditions that mention it.
     */
    private final Map<String, TreeMap<String, ConditionTree>> byEvent = new HashMap<>();
    /** Job events naming one job: event, then job named, then the jobs whose conditions wait for it. */
    private final Map<String, Map<String, TreeMap<String, ConditionTree>>> byJobEvent = new HashMap<>();
    /** By job, then by instance in name order; {@link #states()} puts the jobs in name order. */
    private final Map<String, TreeMap<String, StepStart>> states = new HashMap<>();
    private List<StepStart> sortedStates;
    private final Map<String, List<Hold>> holds = new HashMap<>();
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
    /** Triggered jobs with a requisite, decided when the action at hand is over. */
    private final List<StepStart> undecided = new ArrayList<>();
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
                for (EventExpr.Match m : tree.leaves) {
                    String named = namedJob(m);
                    TreeMap<String, ConditionTree> to = named == null
                            ? byEvent.computeIfAbsent(m.event(), k -> new TreeMap<>())
                            : byJobEvent.computeIfAbsent(m.event(), k -> new HashMap<>())
                                    .computeIfAbsent(named, k -> new TreeMap<>());
                    to.put(j.name(), tree);
                }
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
            at(0, () -> occur(o));
        }
        for (String name : goal.jobs()) {
            Job j = jobs.get(name);
            if (j == null) continue;
            at(0, () -> trigger(state(j, ""), 0, new Because(EdgeKind.GOAL, null, null, null), List.of()));
        }
        while (!queue.isEmpty()) {
            queue.poll().action().run();
            decide();
        }
        return this;
    }

    /** A job's own env, for $VAR in its conditions (SEMANTICS §4); made once per job. */
    private Map<String, String> env(Job j) {
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

    Map<String, List<Hold>> openHolds() {
        return holds;
    }

    ConditionTree tree(String job) {
        return trees.get(job);
    }

    // ---- triggering -------------------------------------------------------------------------

    private void trigger(StepStart s, double t, Because because, List<Occurrence> contributing) {
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
        // it). Decided once the event or action at hand is handled (see decide()).
        if (mode != Mode.REACH && BootRelations.hasRequisite(s.job)) {
            undecided.add(s);
            return;
        }
        if (mode == Mode.REACH && refused.contains(s.job.name())) {
            s.requisiteMissing = true;
            skip(s, t, null);
            return;
        }
        proceed(s, t);
    }

    /**
     * Decides the requisites of the jobs the event or action just handled triggered, as the engine
     * does once an event has reached every job: a requisite triggered by the same event (or pulled in
     * by a job it started) is on its way, unless refused in turn; repeated until nothing more is refused.
     */
    private void decide() {
        while (!undecided.isEmpty()) {
            List<StepStart> todo = new ArrayList<>(undecided);
            undecided.clear();
            Set<StepStart> no = new HashSet<>();
            for (boolean changed = true; changed; ) {
                changed = false;
                for (StepStart x : todo) {
                    if (!no.contains(x) && requisiteMissing(x, x.trigger)) changed = no.add(x);
                }
            }
            for (StepStart x : todo) if (!no.contains(x)) proceed(x, x.trigger);
        }
    }

    private void proceed(StepStart s, double t) {
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
        Occurrence starting = jobEvent("starting", s, t, List.of(), Set.of(), true);
        at(t, () -> occur(starting));
        at(t, () -> evaluate(s));
    }

    private Occurrence jobEvent(String name, StepStart s, double t, List<String[]> result, Set<String> anyway,
                                boolean blocking) {
        List<String[]> env = new ArrayList<>();
        env.add(new String[] {"JOB", s.job.name()});
        env.add(new String[] {"INSTANCE", s.instance});
        env.addAll(result);
        for (Named x : s.job.export()) {
            String key = x.name();
            if (key.equals("JOB") || key.equals("INSTANCE") || key.equals("RESULT")) continue;
            String v = s.env == null ? null : s.env.get(key);
            if (v != null) env.add(new String[] {key, v});
        }
        EdgeKind kind = switch (name) {
            case "starting" -> EdgeKind.STARTING;
            case "started" -> EdgeKind.STARTED;
            case "stopping" -> EdgeKind.STOPPING;
            default -> EdgeKind.STOPPED;
        };
        return new Occurrence(name, env, t, s.id, kind, null, anyway, blocking);
    }

    /** The one job a leaf's job event names ({@code dbus} in {@code started dbus}), else null. */
    private static String namedJob(EventExpr.Match m) {
        String job = m.jobArgument();
        return job != null && !Glob.isPattern(job) && !job.contains("$") ? job : null;
    }

    private Map<String, ConditionTree> candidates(Occurrence e) {
        TreeMap<String, ConditionTree> byName = byEvent.get(e.name());
        Map<String, TreeMap<String, ConditionTree>> jobEvents = byJobEvent.get(e.name());
        String job = jobEvents == null ? null : e.value("JOB");
        TreeMap<String, ConditionTree> byJob = job == null ? null : jobEvents.get(job);
        if (byJob == null) return byName == null ? Map.of() : byName;
        if (byName == null) return byJob;
        TreeMap<String, ConditionTree> both = new TreeMap<>(byName);
        both.putAll(byJob);
        return both;
    }

    /** An event happens: every job's condition sees it, in name order (Upstart's order is unspecified). */
    private void occur(Occurrence e) {
        occurrences.add(e);
        String eText = null;
        for (Map.Entry<String, ConditionTree> entry : candidates(e).entrySet()) {
            Job j = jobs.get(entry.getKey());
            ConditionTree tree = entry.getValue();
            if (!tree.offer(e, env(j))) continue;
            if (e.blocking() && e.producer() != null && mode != Mode.REACH) {
                StepStart producer = producerState(e);
                if (producer != null) {
                    Wait w = new Wait(j.name(), EdgeKind.HELD, tree.leafOf(e));
                    producer.pending++;
                    producer.open.add(w);
                    holds.computeIfAbsent(j.name(), k -> new ArrayList<>()).add(new Hold(e, producer, w));
                }
            }
            if (!tree.holds()) continue;
            List<Occurrence> contributing = tree.contributing();
            List<Occurrence> heldNow = tree.heldEvents();
            Source causeLeaf = tree.leafOf(e);
            tree.reset();
            StepStart s = instanceFor(j, contributing, e.time());
            List<Hold> mine = holds.get(j.name());
            List<Hold> transfer = List.of();
            if (mine != null && !mine.isEmpty()) {
                transfer = new ArrayList<>();
                for (Hold h : mine) if (heldNow.contains(h.event())) transfer.add(h);
                mine.removeAll(transfer);
            }
            // (a job a requisite refused never left stop/waiting: it is asked afresh)
            boolean fresh = s != null && (!s.triggered || (mode != Mode.REACH && s.skipped && s.requisiteMissing));
            if (fresh) { // (a step already triggered ignores a trigger: the events are consumed)
                // The event that made the condition hold is the one that decided when: the cause to show.
                String by = e.producer();
                // The goal's `startup` may start 100,000 jobs: its text is made once.
                if (by == null) by = eText != null ? eText : (eText = e.text());
                trigger(s, e.time(), new Because(e.kind(), by, tree.text(), causeLeaf), contributing);
            }
            for (Hold h : transfer) {
                if (fresh) {
                    // The producer's event is held until the job it started is at rest (U§2.2).
                    EdgeKind k = h.event().kind();
                    Wait w = new Wait(s.id, k, h.heldAs().source());
                    StepStart started = s;
                    swapOpen(h.producer(), h.heldAs(), w);
                    onComplete(started, x -> release(h.producer(), w, x.completion));
                } else {
                    // Already started: the event is consumed and released at once (U§3.3); no wait.
                    unblock(h.producer(), h.heldAs(), e.time());
                }
            }
        }
    }

    private static void swapOpen(StepStart s, Wait old, Wait now) {
        int i = s.open.indexOf(old);
        if (i >= 0) s.open.set(i, now);
        else s.open.add(now);
    }

    private StepStart producerState(Occurrence e) {
        String job = null;
        String instance = "";
        for (String[] kv : e.env()) {
            if (kv[0].equals("JOB")) job = kv[1];
            if (kv[0].equals("INSTANCE")) instance = kv[1];
        }
        Job j = job == null ? null : jobs.get(job);
        if (j == null) return null;
        Map<String, StepStart> m = states.get(j.name());
        return m == null ? null : m.get(instance);
    }

    private StepStart instanceFor(Job j, List<Occurrence> contributing, double t) {
        if (j.instance() == null) return state(j, "");
        Map<String, String> env = new LinkedHashMap<>(env(j));
        for (Occurrence o : contributing) for (String[] kv : o.env()) env.put(kv[0], kv[1]);
        try {
            return state(j, Expansion.expand(j.instance().text(), env));
        } catch (Expansion.UnknownVariable u) {
            List<String> names = new ArrayList<>();
            for (Occurrence o : contributing) names.add("`" + o.text() + "`");
            instanceProblems.putIfAbsent(j.name(), "cannot name its instance: `$" + u.name() + "` in `"
                    + j.instance().text() + "` is not set by " + String.join(" and ", names));
            return null;
        }
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

    /**
     * A requisite (systemd's Requisite=) is not pulled in: when it is neither in this boot nor still
     * up when the step is triggered (it failed already), the step does not start, as the executor
     * refuses it.
     */
    private boolean requisiteMissing(StepStart s, double t) {
        for (Relation r : s.job.relations()) {
            if (r.kind() != RelationKind.REQUISITE) continue;
            Job target = jobs.get(r.target());
            if (target == null || target == s.job || target.instance() != null) continue;
            Map<String, StepStart> m = states.get(target.name());
            StepStart x = m == null ? null : m.get("");
            boolean gone = x != null && gone(x);
            // On its way: promised to the boot, or triggered already (a job only a failure starts
            // counts once it is, as for a supervisor that did not know of the failure ahead).
            boolean coming = (promised == null ? closure : promised).contains(target.name()) || (x != null && x.triggered);
            if (coming && !gone) continue;
            s.requisiteMissing = true;
            skip(s, t, target.name());
            return true;
        }
        return false;
    }

    /**
     * Is this requisite target no longer up nor on its way? It failed or was skipped; its `stopping`
     * and `stopped` already count, as the job asking may be started by them. A task done is still
     * there: the boot is one transaction (see docs/semantics.md, requisite).
     */
    private static boolean gone(StepStart x) {
        return x.failed || (x.completed && !x.succeeded);
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

    private void onComplete(StepStart x, Consumer<StepStart> action) {
        if (x.completed) action.accept(x);
        else x.onComplete.add(action);
    }

    private static void noteRelease(StepStart s, Wait w, double time) {
        if (time >= s.released) {
            s.released = time;
            s.binding = w;
        }
    }

    private void release(StepStart s, Wait w, double time) {
        s.waits.add(w);
        noteRelease(s, w, time);
        unblock(s, w, time);
    }

    /** One blocker less; the step moves on when none is left. */
    private void unblock(StepStart s, Wait w, double time) {
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
            Occurrence started = jobEvent("started", s, s.start, List.of(), Set.of(), false);
            at(s.start, () -> occur(started));
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
        occur(jobEvent("started", s, t, List.of(), Set.of(), false));
        emits(s, t);
        complete(s, t);
    }

    /** SEMANTICS §6: the events a job lists in `emits` are taken to happen when it is up (a task: done). */
    private void emits(StepStart s, double t) {
        for (Named e : s.job.emits()) {
            if (Glob.isPattern(e.name())) continue;
            occur(new Occurrence(e.name(), List.of(), t, s.id, EdgeKind.EMITS, e.source(), Set.of(), false));
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
        occur(jobEvent("stopping", s, t, List.<String[]>of(new String[] {"RESULT", "ok"}), Set.of(), true));
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
        decide();
        occur(jobEvent("stopped", s, t, List.<String[]>of(new String[] {"RESULT", "ok"}), Set.of(), false));
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
        occur(jobEvent("stopping", s, t, result, anyway, true));
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
            decide();
        }
        occur(jobEvent("stopped", s, t, s.failResult, s.failAnyway, false));
    }

    private void skip(StepStart s, double t, String because) {
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
        occur(jobEvent("stopping", s, t, s.failResult, s.failAnyway, true));
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
