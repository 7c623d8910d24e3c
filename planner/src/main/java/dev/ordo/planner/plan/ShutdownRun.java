package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.rules.ShutdownOrder;
import dev.ordo.planner.rules.StopRelations;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The shutdown (SEMANTICS §6): every job up at the end of the boot stops. A job whose {@code stop_on}
 * names another job's {@code stopping}/{@code stopped} stops when that happens (explicit stop
 * relations come first); every other job is asked to stop at once. A job is signalled only when the
 * jobs its {@code stopping} event stopped or started are at rest, and when every job ordered after it
 * ({@code after}/{@code before}) has stopped: the boot's orderings in reverse, as systemd does, except
 * where {@link ShutdownOrder} drops one for the stop relations. Event relations are not reversed
 * (Upstart's rule: a job stops by its stop_on). Jobs started by shutdown events run too, once each,
 * as the executor runs them: their start conditions keep what
 * they matched during the boot (U§3.3), their own events go on to start others, and a service so
 * started is stopped once it is up.
 */
final class ShutdownRun {

    static final double NEVER = Double.POSITIVE_INFINITY;

    static final class StepStop {
        final Job job;
        final String id;
        final String instance;
        final boolean stopping; // false: a job started by a shutdown event
        double trigger = NEVER;
        double start = NEVER;
        double up = NEVER;
        boolean begun;
        boolean signalled;
        boolean done;
        int pending;
        double released;
        Wait binding;
        Because because;
        final List<Wait> waits = new ArrayList<>();
        final List<Wait> open = new ArrayList<>();
        final List<Runnable> onDone = new ArrayList<>();
        /** For the stop of a job the shutdown started: that job's state. */
        StepStop stopped;
        /** A job the shutdown started has been asked to stop (a task: its run ended). */
        boolean asked;

        StepStop(Job job, String instance, boolean stopping) {
            this.job = job;
            this.instance = instance;
            this.id = Step.id(job.name(), instance);
            this.stopping = stopping;
        }
    }

    /**
     * Something to do at a time; at equal times by phase, then first scheduled first. Phases order
     * what the executor does at one instant: {@link #NOW} what follows at once from an event (a job
     * with no process moves on within the same step), {@link #SETTLED} what the supervisor does when
     * that has settled (stop a service the shutdown started, now up), {@link #PROCESS} what waits for
     * a process (a task's {@code started} comes after its process was spawned; an {@code emits} from
     * inside a job).
     */
    private record StopAction(double time, int phase, long seq, Runnable action) implements Comparable<StopAction> {
        @Override
        public int compareTo(StopAction o) {
            int c = Double.compare(time, o.time);
            if (c != 0) return c;
            c = Integer.compare(phase, o.phase);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final int NOW = 0;
    private static final int SETTLED = 1;
    private static final int PROCESS = 2;

    private final Map<String, StepStop> up = new TreeMap<>();
    private final Map<String, StepStop> tasks = new TreeMap<>();
    private final Map<String, ConditionTree> stopTrees = new TreeMap<>();
    private final Map<String, ConditionTree> startTrees = new TreeMap<>();
    /**
     * The same trees by the event names their leaves wait for, each in id (or job) order: an event is
     * offered only to the conditions that can take it, in the order all of them would be offered it.
     */
    private final Map<String, TreeMap<String, ConditionTree>> stopByEvent = new HashMap<>();
    private final Map<String, TreeMap<String, ConditionTree>> startByEvent = new HashMap<>();
    /** Which reversed orderings the shutdown keeps, and the ones it dropped. */
    final ShutdownOrder order;
    /** Boot orderings reversed: id → the steps it must wait for (those ordered after it at boot). */
    private final Map<String, List<Wait>> reversed = new HashMap<>();
    private final Map<String, Job> jobs;
    private final ToDoubleFunction<StepStop> stopDuration;
    private final ToDoubleFunction<Job> startDuration;
    private final PriorityQueue<StopAction> queue = new PriorityQueue<>();
    private long seq;

    /**
     * @param upAtEnd the boot's steps that are up at its end, with the boot's waits
     * @param jobs every job of the configuration
     * @param bootTrees each job's start condition as the boot left it (null: fresh); copied, not changed
     * @param startDuration how long a job started at shutdown takes to come up (a task: to run)
     */
    ShutdownRun(List<StepStart> upAtEnd, Map<String, Job> jobs, Function<String, ConditionTree> bootTrees,
                ToDoubleFunction<StepStop> stopDuration, ToDoubleFunction<Job> startDuration) {
        this.jobs = jobs;
        this.stopDuration = stopDuration;
        this.startDuration = startDuration;
        for (StepStart b : upAtEnd) up.put(b.id, new StepStop(b.job, b.instance, true));
        Set<String> upJobs = new HashSet<>();
        for (StepStart b : upAtEnd) upJobs.add(b.job.name());
        for (StepStop s : up.values()) {
            if (StopRelations.leftToStopOn(s.job, upJobs)) {
                stopTrees.put(s.id, new ConditionTree(s.job.stopOn()));
            }
        }
        for (Job j : jobs.values()) {
            if (j.startOn() == null || j.manual() || upJobs.contains(j.name())) continue;
            // Upstart keeps a class's condition across the boot (U§3.3): what `started a` matched
            // then still counts when `stopping b` comes at shutdown. Any job's events may come now
            // (those of jobs the shutdown starts too), so every condition that can start is kept.
            ConditionTree boot = bootTrees.apply(j.name());
            startTrees.put(j.name(), boot == null ? new ConditionTree(j.startOn()) : boot.copy());
        }
        index(stopTrees, stopByEvent);
        index(startTrees, startByEvent);
        Map<String, Job> upByName = new TreeMap<>();
        for (StepStart b : upAtEnd) upByName.put(b.job.name(), b.job);
        order = ShutdownOrder.of(upByName.values());
        for (StepStart b : upAtEnd) {
            for (Wait w : b.waits) {
                // Only the boot's orderings are reversed (systemd's rule); an event that started b, or
                // one b held, is not: b stops by its own stop_on (Upstart has no reversed order).
                if (w.kind() != EdgeKind.AFTER && w.kind() != EdgeKind.BEFORE) continue;
                StepStop target = up.get(w.id());
                if (target == null || target.id.equals(b.id)) continue;
                if (StopRelations.related(b.job, target.job) || order.drops(target.job.name(), b.job.name())) continue;
                reversed.computeIfAbsent(w.id(), k -> new ArrayList<>())
                        .add(new Wait(b.id, EdgeKind.REVERSE, w.source()));
            }
        }
    }

    private static void index(Map<String, ConditionTree> trees, Map<String, TreeMap<String, ConditionTree>> byEvent) {
        for (Map.Entry<String, ConditionTree> t : trees.entrySet()) {
            for (EventExpr.Match m : t.getValue().leaves) {
                byEvent.computeIfAbsent(m.event(), k -> new TreeMap<>()).put(t.getKey(), t.getValue());
            }
        }
    }

    ShutdownRun run() {
        for (StepStop s : up.values()) {
            for (Wait w : reversed.getOrDefault(s.id, List.of())) {
                StepStop waiter = up.get(w.id());
                s.pending++;
                s.open.add(w);
                waiter.onDone.add(() -> release(s, w, waiter.up));
            }
        }
        for (StepStop s : up.values()) {
            if (!stopTrees.containsKey(s.id)) {
                at(0, () -> begin(s, 0, new Because(EdgeKind.GOAL, null, null, null)));
            }
        }
        while (!queue.isEmpty()) queue.poll().action().run();
        return this;
    }

    private void at(double t, Runnable r) {
        at(t, NOW, r);
    }

    private void at(double t, int phase, Runnable r) {
        queue.add(new StopAction(t, phase, seq++, r));
    }

    List<StepStop> stopped() {
        return new ArrayList<>(up.values());
    }

    List<StepStop> tasks() {
        return new ArrayList<>(tasks.values());
    }

    private void begin(StepStop s, double t, Because because) {
        if (s.begun) return;
        s.begun = true;
        s.trigger = t;
        s.because = because;
        s.released = Math.max(s.released, t);
        occur(event("stopping", s, t), s);
        at(t, () -> signal(s));
    }

    private static Occurrence event(String name, StepStop s, double t) {
        boolean result = name.equals("stopping") || name.equals("stopped");
        List<String[]> env = result
                ? List.of(new String[] {"JOB", s.job.name()}, new String[] {"INSTANCE", s.instance},
                        new String[] {"RESULT", "ok"})
                : List.of(new String[] {"JOB", s.job.name()}, new String[] {"INSTANCE", s.instance});
        EdgeKind kind = switch (name) {
            case "starting" -> EdgeKind.STARTING;
            case "started" -> EdgeKind.STARTED;
            case "stopping" -> EdgeKind.STOPPING;
            default -> EdgeKind.STOPPED;
        };
        return new Occurrence(name, env, t, s.id, kind, null, Set.of(), name.equals("stopping") || name.equals("starting"));
    }

    private record Pending(Occurrence event, StepStop producer) {
    }

    /** Events raised while another is handled: they wait their turn, as in the executor's queue. */
    private final java.util.ArrayDeque<Pending> events = new java.util.ArrayDeque<>();
    private boolean dispatching;

    /**
     * A shutdown event happens. Events are handled first come, first served (the executor's queue,
     * docs/semantics.md): one that handling another raises (the {@code stopping} of a job its
     * {@code stop_on} began to stop) comes after every job has seen the first.
     */
    private void occur(Occurrence e, StepStop producer) {
        events.add(new Pending(e, producer));
        if (dispatching) return;
        dispatching = true;
        try {
            while (!events.isEmpty()) {
                Pending p = events.poll();
                handle(p.event(), p.producer());
            }
        } finally {
            dispatching = false;
        }
    }

    /** A shutdown event: jobs that stop on it begin to stop, jobs that start on it start; both hold it. */
    private void handle(Occurrence e, StepStop producer) {
        TreeMap<String, ConditionTree> stops = stopByEvent.get(e.name());
        if (stops != null) for (Map.Entry<String, ConditionTree> entry : stops.entrySet()) {
            StepStop s = up.get(entry.getKey());
            ConditionTree tree = entry.getValue();
            if (s.begun || !tree.offer(e, s.job.envMap())) continue;
            if (!tree.holds()) continue;
            tree.reset();
            begin(s, e.time(), new Because(e.kind(), producer.id, s.job.stopOn().text(), leaf(s.job.stopOn(), e)));
            if (e.blocking()) hold(producer, s, e.kind(), leaf(s.job.stopOn(), e));
        }
        TreeMap<String, ConditionTree> starts = startByEvent.get(e.name());
        if (starts == null) return;
        List<StepStop> triggered = new ArrayList<>();
        for (Map.Entry<String, ConditionTree> entry : starts.entrySet()) {
            ConditionTree tree = entry.getValue();
            if (tasks.containsKey(entry.getKey())) continue;
            Job job = jobs.get(entry.getKey());
            if (!tree.offer(e, job.envMap())) continue;
            if (!tree.holds()) continue;
            tree.reset();
            StepStop t = new StepStop(job, "", false);
            tasks.put(t.id, t);
            triggered.add(t);
        }
        // A requisite is decided once the event has reached every job: one it starts too is on its way.
        List<StepStop> refused = new ArrayList<>();
        for (StepStop t : triggered) if (requisiteGone(t.job)) refused.add(t);
        for (StepStop t : refused) tasks.remove(t.id);
        for (StepStop t : triggered) {
            // Refused, as the executor refuses it (systemd's Requisite=): nothing happens, no event.
            if (refused.contains(t)) continue;
            if (e.blocking()) hold(producer, t, e.kind(), leaf(t.job.startOn(), e));
            start(t, e.time(), new Because(e.kind(), producer.id, t.job.startOn().text(), leaf(t.job.startOn(), e)));
        }
    }

    /**
     * A job starts at shutdown (once: {@link #tasks} has it already). Its requires/wants are pulled
     * in as the executor pulls them in, unless they were there (those do not start again); its
     * {@code starting} holds it until what that event started is at rest, as in the boot.
     */
    private void start(StepStop t, double time, Because because) {
        t.trigger = time;
        t.released = time;
        t.because = because;
        t.begun = true;
        occur(event("starting", t, time), t);
        for (Relation r : t.job.relations()) {
            if (r.kind() != RelationKind.REQUIRES && r.kind() != RelationKind.WANTS && r.kind() != RelationKind.BINDS_TO) continue;
            Job target = jobs.get(r.target());
            if (target == null || target.instance() != null || up.containsKey(r.target())
                    || tasks.containsKey(r.target()) || requisiteGone(target)) {
                continue;
            }
            StepStop p = new StepStop(target, "", false);
            tasks.put(p.id, p);
            start(p, time, new Because(BootRelations.kindOf(r.kind()), t.id, null, r.source()));
        }
        at(time, () -> launch(t));
    }

    /**
     * A requisite of the job is neither up and not yet asked to stop (only a job left to its stop_on
     * can be: the others are all asked at once, before any event of the shutdown) nor on its way up.
     */
    private boolean requisiteGone(Job job) {
        for (Relation r : job.relations()) {
            if (r.kind() != RelationKind.REQUISITE) continue;
            StepStop there = up.get(r.target());
            StepStop started = tasks.get(r.target());
            boolean fine = (there != null && !there.begun && stopTrees.containsKey(there.id))
                    || (started != null && !started.asked);
            if (!fine) return true;
        }
        return false;
    }

    /** A job started at shutdown leaves starting: a task runs, a service comes up. */
    private void launch(StepStop t) {
        if (t.signalled || t.pending > 0) return;
        t.signalled = true;
        t.start = Math.max(t.trigger, t.released);
        double end = t.start + startDuration.applyAsDouble(t.job);
        if (t.job.task()) {
            if (t.job.processes().isEmpty()) occur(event("started", t, t.start), t);
            else at(t.start, PROCESS, () -> occur(event("started", t, t.start), t));
            at(end, () -> afterRun(t, end));
        } else {
            at(end, () -> {
                occur(event("started", t, end), t);
                finish(t, end);
                // The executor stops a service the shutdown started once it is up and what its
                // `started` does at once has settled, before what it emits from inside can reach
                // anyone (a requisite on it is then refused).
                at(end, SETTLED, () -> afterRun(t, end));
                at(end, PROCESS, () -> emits(t, end));
            });
        }
    }

    /**
     * The stop of a job started at shutdown: its {@code stopping} holds it as any other's does; a
     * task is done (and its {@code emits} happen) when that event is released.
     */
    private void afterRun(StepStop t, double time) {
        t.asked = true;
        StepStop stop = new StepStop(t.job, t.instance, true);
        stop.stopped = t;
        begin(stop, time, t.because);
    }

    private void emits(StepStop s, double t) {
        for (Named e : s.job.emits()) {
            if (Glob.isPattern(e.name())) continue;
            occur(new Occurrence(e.name(), List.of(), t, s.id, EdgeKind.EMITS, e.source(), Set.of(), false), s);
        }
    }

    /** {@code producer} is not signalled until {@code holder} is at rest. */
    private void hold(StepStop producer, StepStop holder, EdgeKind kind, Source source) {
        Wait w = new Wait(holder.id, kind, source);
        producer.pending++;
        producer.open.add(w);
        holder.onDone.add(() -> release(producer, w, holder.up));
    }

    private void release(StepStop s, Wait w, double time) {
        s.pending--;
        s.open.remove(w);
        s.waits.add(w);
        if (time >= s.released) {
            s.released = time;
            s.binding = w;
        }
        if (s.pending == 0) at(Math.max(time, s.trigger), () -> {
            if (s.stopping) signal(s);
            else launch(s);
        });
    }

    private void signal(StepStop s) {
        if (!s.begun || s.signalled || s.pending > 0) return;
        s.signalled = true;
        s.start = Math.max(s.trigger, s.released);
        // A task's stopping comes after its process ended: nothing is left to signal.
        double stoppedAt = s.start + (s.job.task() && s.stopped != null ? 0 : stopDuration.applyAsDouble(s));
        at(stoppedAt, () -> finish(s, stoppedAt));
    }

    private void finish(StepStop s, double t) {
        if (s.stopped != null && s.job.task()) {
            emits(s.stopped, t);
            finish(s.stopped, t);
        }
        s.up = t;
        s.done = true;
        if (s.stopping) occur(event("stopped", s, t), s);
        List<Runnable> rs = new ArrayList<>(s.onDone);
        s.onDone.clear();
        rs.forEach(Runnable::run);
    }

    private static Source leaf(EventExpr e, Occurrence o) {
        for (EventExpr.Match m : e.matches()) if (m.event().equals(o.name())) return m.source();
        return e.matches().get(0).source();
    }
}
