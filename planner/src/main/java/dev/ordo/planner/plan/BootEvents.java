package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The event side of a {@link BootRun}: which start conditions an event is offered to (indexed by event
 * name, and for job events by the job they name), what a condition that holds triggers, and the blocking
 * events ({@code starting}, {@code stopping}) a partial or whole match holds on behalf of their producer
 * until what they started is at rest (U§2.2, U§3.3).
 */
final class BootEvents {

    /** A blocking event held by a leaf of some job's condition, on behalf of the event's producer. */
    record Hold(Occurrence event, StepStart producer, Wait heldAs) {
    }

    private final BootRun run;
    /**
     * Which jobs' conditions can match an event: by event name, and for job events also by the job
     * they name, so that an event is offered only to the conditions that mention it.
     */
    private final Map<String, TreeMap<String, ConditionTree>> byEvent = new HashMap<>();
    /** Job events naming one job: event, then job named, then the jobs whose conditions wait for it. */
    private final Map<String, Map<String, TreeMap<String, ConditionTree>>> byJobEvent = new HashMap<>();
    private final Map<String, List<Hold>> holds = new HashMap<>();

    BootEvents(BootRun run) {
        this.run = run;
    }

    /** Files a job's start condition under the events that can match its leaves. */
    void index(String job, ConditionTree tree) {
        for (EventExpr.Match m : tree.leaves) {
            String named = namedJob(m);
            TreeMap<String, ConditionTree> to = named == null
                    ? byEvent.computeIfAbsent(m.event(), k -> new TreeMap<>())
                    : byJobEvent.computeIfAbsent(m.event(), k -> new HashMap<>())
                            .computeIfAbsent(named, k -> new TreeMap<>());
            to.put(job, tree);
        }
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
    void occur(Occurrence e) {
        run.occurrences.add(e);
        String eText = null;
        for (Map.Entry<String, ConditionTree> entry : candidates(e).entrySet()) {
            Job j = run.jobs.get(entry.getKey());
            ConditionTree tree = entry.getValue();
            if (!tree.offer(e, run.env(j))) continue;
            if (e.blocking() && e.producer() != null && run.mode != BootRun.Mode.REACH) {
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
            boolean fresh = s != null && (!s.triggered || (run.mode != BootRun.Mode.REACH && s.skipped && s.requisiteMissing));
            if (fresh) { // (a step already triggered ignores a trigger: the events are consumed)
                // The event that made the condition hold is the one that decided when: the cause to show.
                String by = e.producer();
                // The goal's `startup` may start 100,000 jobs: its text is made once.
                if (by == null) by = eText != null ? eText : (eText = e.text());
                run.trigger(s, e.time(), new Because(e.kind(), by, tree.text(), causeLeaf), contributing);
            }
            for (Hold h : transfer) {
                if (fresh) {
                    // The producer's event is held until the job it started is at rest (U§2.2).
                    EdgeKind k = h.event().kind();
                    Wait w = new Wait(s.id, k, h.heldAs().source());
                    StepStart started = s;
                    swapOpen(h.producer(), h.heldAs(), w);
                    run.onComplete(started, x -> run.release(h.producer(), w, x.completion));
                } else {
                    // Already started: the event is consumed and released at once (U§3.3); no wait.
                    run.unblock(h.producer(), h.heldAs(), e.time());
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
        Job j = job == null ? null : run.jobs.get(job);
        if (j == null) return null;
        Map<String, StepStart> m = run.states.get(j.name());
        return m == null ? null : m.get(instance);
    }

    private StepStart instanceFor(Job j, List<Occurrence> contributing, double t) {
        if (j.instance() == null) return run.state(j, "");
        Map<String, String> env = new LinkedHashMap<>(run.env(j));
        for (Occurrence o : contributing) for (String[] kv : o.env()) env.put(kv[0], kv[1]);
        try {
            return run.state(j, Expansion.expand(j.instance().text(), env));
        } catch (Expansion.UnknownVariable u) {
            List<String> names = new ArrayList<>();
            for (Occurrence o : contributing) names.add("`" + o.text() + "`");
            run.instanceProblems.putIfAbsent(j.name(), "cannot name its instance: `$" + u.name() + "` in `"
                    + j.instance().text() + "` is not set by " + String.join(" and ", names));
            return null;
        }
    }

    /** A job event of {@code s} (U§1.6): JOB and INSTANCE first, then the result, then what the job exports. */
    static Occurrence jobEvent(String name, StepStart s, double t, List<String[]> result, Set<String> anyway,
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
}
