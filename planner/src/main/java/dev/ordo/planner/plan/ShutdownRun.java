package dev.ordo.planner.plan;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The shutdown (SEMANTICS §6): every job up at the end of the boot stops. A job whose {@code stop_on}
 * names another job's {@code stopping}/{@code stopped} stops when that happens (explicit stop
 * relations come first); every other job is asked to stop at once. A job is signalled only when the
 * jobs its {@code stopping} event stopped or started are at rest, and when every job that waited
 * for it during the boot has stopped (the boot order in reverse, as systemd does). Tasks started by
 * shutdown events run too.
 */
final class ShutdownRun {

    static final double NEVER = Double.POSITIVE_INFINITY;

    static final class State {
        final Job job;
        final String id;
        final String instance;
        final boolean stopping; // false: a task started by a shutdown event
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

        State(Job job, String instance, boolean stopping) {
            this.job = job;
            this.instance = instance;
            this.id = Step.id(job.name(), instance);
            this.stopping = stopping;
        }
    }

    /** Something to do at a time; at equal times, first scheduled first. */
    private record Task(double time, long seq, Runnable action) implements Comparable<Task> {
        @Override
        public int compareTo(Task o) {
            int c = Double.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final Map<String, State> up = new TreeMap<>();
    private final Map<String, State> tasks = new TreeMap<>();
    private final Map<String, ConditionTree> stopTrees = new TreeMap<>();
    private final Map<String, ConditionTree> startTrees = new TreeMap<>();
    /**
     * The same trees by the event names their leaves wait for, each in id (or job) order: an event is
     * offered only to the conditions that can take it, in the order all of them would be offered it.
     */
    private final Map<String, TreeMap<String, ConditionTree>> stopByEvent = new HashMap<>();
    private final Map<String, TreeMap<String, ConditionTree>> startByEvent = new HashMap<>();
    /** Boot edges reversed: id → the steps it must wait for (those that waited for it at boot). */
    private final Map<String, List<Wait>> reversed = new HashMap<>();
    private final Map<String, Job> jobs;
    private final ToDoubleFunction<State> stopDuration;
    private final ToDoubleFunction<Job> taskDuration;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private long seq;

    /**
     * @param upAtEnd the boot's steps that are up at its end, with the boot's waits
     * @param jobs every job of the configuration
     */
    ShutdownRun(List<BootRun.State> upAtEnd, Map<String, Job> jobs, ToDoubleFunction<State> stopDuration,
                ToDoubleFunction<Job> taskDuration) {
        this.jobs = jobs;
        this.stopDuration = stopDuration;
        this.taskDuration = taskDuration;
        for (BootRun.State b : upAtEnd) up.put(b.id, new State(b.job, b.instance, true));
        Set<String> upJobs = new HashSet<>();
        for (BootRun.State b : upAtEnd) upJobs.add(b.job.name());
        for (State s : up.values()) {
            if (s.job.stopOn() != null && namesStoppingJob(s.job.stopOn(), upJobs)) {
                stopTrees.put(s.id, new ConditionTree(s.job.stopOn()));
            }
        }
        for (Job j : jobs.values()) {
            if (j.startOn() == null || j.manual() || upJobs.contains(j.name())) continue;
            if (namesStoppingJob(j.startOn(), upJobs)) startTrees.put(j.name(), new ConditionTree(j.startOn()));
        }
        index(stopTrees, stopByEvent);
        index(startTrees, startByEvent);
        for (BootRun.State b : upAtEnd) {
            // Which steps b's reversed waits went to, for the duplicate test below (only b adds b.id).
            Set<String> reversedTo = new HashSet<>();
            for (Wait w : b.waits) {
                State target = up.get(w.id());
                if (target == null || target.id.equals(b.id)) continue;
                if (explicitlyRelated(up.get(b.id), target)) continue;
                reversed.computeIfAbsent(w.id(), k -> new ArrayList<>())
                        .add(new Wait(b.id, EdgeKind.REVERSE, w.source()));
                reversedTo.add(w.id());
            }
            // An event that triggered the step is an order (it came after its cause); a pull-in is not.
            boolean ordered = b.because != null && (b.because.kind() == EdgeKind.STARTED
                    || b.because.kind() == EdgeKind.STOPPED || b.because.kind() == EdgeKind.STOPPING
                    || b.because.kind() == EdgeKind.EMITS);
            String cause = ordered ? b.because.by() : null;
            State causeState = cause == null ? null : up.get(cause);
            if (causeState != null && !causeState.id.equals(b.id) && !explicitlyRelated(up.get(b.id), causeState)) {
                if (!reversedTo.contains(cause)) {
                    reversed.computeIfAbsent(cause, k -> new ArrayList<>())
                            .add(new Wait(b.id, EdgeKind.REVERSE, b.because.source()));
                }
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

    /** Does the expression wait for a {@code stopping}/{@code stopped} event of one of these jobs? */
    private static boolean namesStoppingJob(EventExpr e, Set<String> jobs) {
        for (EventExpr.Match m : e.matches()) {
            JobEvent je = JobEvent.of(m.event());
            if (je == null || !je.carriesResult()) continue;
            String j = m.jobArgument();
            if (j != null && jobs.contains(j)) return true;
        }
        return false;
    }

    /** A stop relation between the two, in either direction, takes the place of the reversed boot order. */
    private static boolean explicitlyRelated(State a, State b) {
        return names(a.job.stopOn(), b.job.name()) || names(b.job.stopOn(), a.job.name());
    }

    private static boolean names(EventExpr e, String job) {
        if (e == null) return false;
        for (EventExpr.Match m : e.matches()) if (job.equals(m.jobArgument())) return true;
        return false;
    }

    ShutdownRun run() {
        for (State s : up.values()) {
            for (Wait w : reversed.getOrDefault(s.id, List.of())) {
                State waiter = up.get(w.id());
                s.pending++;
                s.open.add(w);
                waiter.onDone.add(() -> release(s, w, waiter.up));
            }
        }
        for (State s : up.values()) {
            if (!stopTrees.containsKey(s.id)) {
                at(0, () -> begin(s, 0, new Because(EdgeKind.GOAL, null, null, null)));
            }
        }
        while (!queue.isEmpty()) queue.poll().action().run();
        return this;
    }

    private void at(double t, Runnable r) {
        queue.add(new Task(t, seq++, r));
    }

    List<State> stopped() {
        return new ArrayList<>(up.values());
    }

    List<State> tasks() {
        return new ArrayList<>(tasks.values());
    }

    private void begin(State s, double t, Because because) {
        if (s.begun) return;
        s.begun = true;
        s.trigger = t;
        s.because = because;
        s.released = Math.max(s.released, t);
        occur(event("stopping", s, t), s);
        at(t, () -> signal(s));
    }

    private static Occurrence event(String name, State s, double t) {
        List<String[]> env = List.of(new String[] {"JOB", s.job.name()}, new String[] {"INSTANCE", s.instance},
                new String[] {"RESULT", "ok"});
        EdgeKind kind = name.equals("stopping") ? EdgeKind.STOPPING : EdgeKind.STOPPED;
        return new Occurrence(name, env, t, s.id, kind, null, Set.of(), name.equals("stopping"));
    }

    /** A shutdown event: jobs that stop on it begin to stop, tasks that start on it run; both hold it. */
    private void occur(Occurrence e, State producer) {
        TreeMap<String, ConditionTree> stops = stopByEvent.get(e.name());
        if (stops != null) for (Map.Entry<String, ConditionTree> entry : stops.entrySet()) {
            State s = up.get(entry.getKey());
            ConditionTree tree = entry.getValue();
            if (s.begun || !tree.offer(e, s.job.envMap())) continue;
            if (!tree.holds()) continue;
            tree.reset();
            begin(s, e.time(), new Because(e.kind(), producer.id, s.job.stopOn().text(), leaf(s.job.stopOn(), e)));
            if (e.blocking()) hold(producer, s, e.kind(), leaf(s.job.stopOn(), e));
        }
        TreeMap<String, ConditionTree> starts = startByEvent.get(e.name());
        if (starts != null) for (Map.Entry<String, ConditionTree> entry : starts.entrySet()) {
            ConditionTree tree = entry.getValue();
            if (tasks.containsKey(entry.getKey())) continue;
            Job job = jobs.get(entry.getKey());
            if (!tree.offer(e, job.envMap())) continue;
            if (!tree.holds()) continue;
            tree.reset();
            State t = new State(job, "", false);
            tasks.put(t.id, t);
            t.trigger = e.time();
            t.start = e.time();
            t.because = new Because(e.kind(), producer.id, t.job.startOn().text(), leaf(t.job.startOn(), e));
            t.begun = true;
            t.signalled = true;
            double done = e.time() + taskDuration.applyAsDouble(t.job);
            at(done, () -> finish(t, done));
            if (e.blocking()) hold(producer, t, e.kind(), leaf(t.job.startOn(), e));
        }
    }

    /** {@code producer} is not signalled until {@code holder} is at rest. */
    private void hold(State producer, State holder, EdgeKind kind, Source source) {
        Wait w = new Wait(holder.id, kind, source);
        producer.pending++;
        producer.open.add(w);
        holder.onDone.add(() -> release(producer, w, holder.up));
    }

    private void release(State s, Wait w, double time) {
        s.pending--;
        s.open.remove(w);
        s.waits.add(w);
        if (time >= s.released) {
            s.released = time;
            s.binding = w;
        }
        if (s.pending == 0) at(Math.max(time, s.trigger), () -> signal(s));
    }

    private void signal(State s) {
        if (!s.begun || s.signalled || s.pending > 0) return;
        s.signalled = true;
        s.start = Math.max(s.trigger, s.released);
        double stoppedAt = s.start + stopDuration.applyAsDouble(s);
        at(stoppedAt, () -> finish(s, stoppedAt));
    }

    private void finish(State s, double t) {
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
