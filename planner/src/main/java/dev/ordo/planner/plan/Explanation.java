package dev.ordo.planner.plan;

import dev.ordo.planner.check.WellKnownEvent;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.rules.Matching;
import dev.ordo.planner.rules.ShutdownOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Why what does not start does not start: a missing event, a job that never starts, a failed
 * dependency, a deadlock (steps that wait on each other, ORD302), or an event held for ever by a
 * partial {@code and} match (ORD303). Also the warning that a job is pulled in before its own start
 * condition holds (ORD304).
 */
final class Explanation {

    static final int MAX_CYCLES = 32;

    private final Config config;
    private final Map<String, Job> jobs;
    private final BootRun reach;
    private final BootRun timed;
    private final Set<String> closure;
    private final Map<String, NotStarted> notStarted = new TreeMap<>();
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private final Map<EventExpr.Match, Job> owners = new java.util.IdentityHashMap<>();
    /** Made when first asked: a plan where everything starts never needs them. */
    private EventLog reachEvents;
    private EventLog timedEvents;
    /** The jobs that list events in `emits`, in name order. */
    private final List<Job> emitters = new ArrayList<>();

    /** @param jobs the config's jobs by name */
    Explanation(Config config, Map<String, Job> jobs, BootRun reach, BootRun timed, Set<String> closure) {
        for (Job j : config.jobs()) {
            for (EventExpr e : new EventExpr[] {j.startOn(), j.stopOn()}) {
                if (e != null) for (EventExpr.Match m : e.matches()) owners.put(m, j);
            }
            if (!j.emits().isEmpty()) emitters.add(j);
        }
        this.config = config;
        this.jobs = jobs;
        this.reach = reach;
        this.timed = timed;
        this.closure = closure;
        explain();
    }

    private EventLog reachEvents() {
        if (reachEvents == null) reachEvents = new EventLog(reach.occurrences);
        return reachEvents;
    }

    private EventLog timedEvents() {
        if (timedEvents == null) timedEvents = new EventLog(timed.occurrences);
        return timedEvents;
    }

    List<NotStarted> notStarted() {
        return new ArrayList<>(notStarted.values());
    }

    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    private void explain() {
        Map<String, List<StepStart>> byJob = new TreeMap<>();
        for (StepStart s : timed.states()) byJob.computeIfAbsent(s.job.name(), k -> new ArrayList<>()).add(s);
        List<StepStart> stuck = new ArrayList<>();
        Set<String> neverTriggered = new TreeSet<>();
        for (Job j : config.jobs()) {
            List<StepStart> ss = byJob.getOrDefault(j.name(), List.of());
            boolean anyUp = false;
            for (StepStart s : ss) {
                if (s.succeeded) {
                    anyUp = true;
                } else if (s.failed) {
                    put(s.id, "failed", "fails at its start (--fail " + j.name() + ")");
                    heldStop(s);
                } else if (s.skipped && s.requisiteMissing) {
                    put(s.id, "requisite-missing", "does not start: `" + s.skippedBecause
                            + "`, its requisite, is not up and nothing in this boot starts it (a requisite is not pulled in)");
                } else if (s.skipped) {
                    put(s.id, "dependency-failed", "does not start: " + dependencyChain(s));
                    heldStop(s);
                } else if (s.triggered) {
                    stuck.add(s);
                }
            }
            if (anyUp || ss.stream().anyMatch(s -> s.triggered)) continue;
            // Jobs waiting on events of jobs that do not start either may wait on each other: a deadlock.
            if (j.startOn() != null && !j.manual() && !timed.instanceProblems.containsKey(j.name())) {
                neverTriggered.add(j.name());
                continue;
            }
            put(j.name(), reasonWord(j), why(j));
        }
        deadlocks(stuck, neverTriggered);
        pulledInEarly();
    }

    /**
     * Why a step whose requirement did not start does not start either, root cause first as the
     * supervisor reports it (issue 14): {@code `db` fails at its start (--fail db) → `api` → `web`}.
     */
    private String dependencyChain(StepStart s) {
        Map<String, StepStart> byId = new HashMap<>();
        for (StepStart x : timed.states()) byId.putIfAbsent(x.id, x);
        List<String> chain = new ArrayList<>();
        chain.add("`" + s.id + "`");
        StepStart cur = s;
        Set<String> seen = new HashSet<>(Set.of(s.id));
        String root = null;
        while (cur.skipped && !cur.requisiteMissing && cur.skippedBecause != null && seen.add(cur.skippedBecause)) {
            String by = cur.skippedBecause;
            cur = byId.get(by);
            if (cur == null || !cur.skipped || cur.requisiteMissing) {
                root = "`" + by + "`" + (cur != null && cur.failed ? " fails at its start (--fail " + cur.job.name() + ")"
                        : " does not start");
                break;
            }
            chain.add(0, "`" + by + "`");
        }
        if (root == null) root = chain.remove(0) + " does not start";
        String rule = chain.size() == 1 ? "it requires `" + s.skippedBecause + "` and is ordered after it"
                : "each requires the one before it and is ordered after it";
        return root + " → " + String.join(" → ", chain) + " (" + rule + ")";
    }

    /**
     * A job that failed (or whose dependency did) goes back to waiting through `stopping`: a partial
     * `and` match holding that event for ever keeps its `stopped`, and its on_failure targets, from
     * ever coming (U§2.2), as at run time.
     */
    private void heldStop(StepStart s) {
        if (!s.pendingFail) return;
        for (Wait hold : s.open) {
            if (hold.kind() != EdgeKind.HELD) continue;
            String holder = hold.id();
            ConditionTree tree = timed.tree(holder);
            List<String> waiting = new ArrayList<>();
            if (tree != null) for (EventExpr.Match m : tree.waiting()) waiting.add("`" + m.text() + "`");
            diagnostics.add(Diagnostic.of(Code.HELD_EVENT, hold.source() != null ? hold.source() : s.job.source(),
                    "`stopping " + s.id + "` is held for ever: `" + holder + "` matched it in `"
                            + (tree == null ? "" : tree.expr.text()) + "` but also waits for "
                            + String.join(" and ", waiting) + ", which never comes, so `" + s.id
                            + "` never comes to rest after it failed",
                    "Upstart holds an event matched by part of an `and` until the rest arrives; start `" + holder
                            + "` on the event alone, or make sure the rest happens"));
            return;
        }
    }

    private void put(String id, String reason, String why) {
        notStarted.putIfAbsent(id, new NotStarted(id, reason, why));
    }

    private String reasonWord(Job j) {
        if (timed.instanceProblems.containsKey(j.name())) return "instance";
        if (j.startOn() == null || j.manual()) return j.format() == Format.SYSTEMD ? "not-pulled-in" : "manual";
        return "no-trigger";
    }

    private String why(Job j) {
        String problem = timed.instanceProblems.get(j.name());
        if (problem != null) return problem;
        // Only a socket with Accept=yes makes a job of a template (ssh@.service): ordo run starts one per connection.
        if (j.format() == Format.SYSTEMD && j.name().endsWith("@.service")) return "started for each connection its socket accepts";
        if (j.format() == Format.SYSTEMD) return "not pulled in by the goal";
        if (j.manual() && j.startOn() != null) return "manual: starts only by command (its start_on is ignored)";
        if (j.startOn() == null) return "manual: no start condition, so it starts only by command or when pulled in";
        if (holdsEver(j.startOn())) return "its start condition `" + j.startOn().text() + "` never holds";
        return "waits for " + describe(j.startOn(), true);
    }

    /** The parts of a condition that never happen, joined the way the condition joins them. */
    private String describe(EventExpr e, boolean top) {
        if (e instanceof EventExpr.Match m) return "`" + m.text() + "`" + leafWhy(m);
        List<String> parts = new ArrayList<>();
        String op;
        if (e instanceof EventExpr.All a) {
            op = " and ";
            if (!holdsEver(a.left())) parts.add(describe(a.left(), false));
            if (!holdsEver(a.right())) parts.add(describe(a.right(), false));
        } else {
            EventExpr.Any o = (EventExpr.Any) e;
            op = " or ";
            parts.add(describe(o.left(), false));
            parts.add(describe(o.right(), false));
        }
        String joined = String.join(op, parts);
        return top || parts.size() == 1 ? joined : "(" + joined + ")";
    }

    /** The leaves that keep {@code e} from holding: no event in the whole boot ever matched them. */
    private List<EventExpr.Match> missing(EventExpr e) {
        List<EventExpr.Match> out = new ArrayList<>();
        if (holdsEver(e)) return out;
        collectMissing(e, out);
        return out;
    }

    private void collectMissing(EventExpr e, List<EventExpr.Match> out) {
        if (e instanceof EventExpr.Match m) {
            if (!matchedEver(m)) out.add(m);
        } else if (e instanceof EventExpr.All a) {
            if (!holdsEver(a.left())) collectMissing(a.left(), out);
            if (!holdsEver(a.right())) collectMissing(a.right(), out);
        } else {
            EventExpr.Any o = (EventExpr.Any) e;
            collectMissing(o.left(), out);
            collectMissing(o.right(), out);
        }
    }

    private boolean holdsEver(EventExpr e) {
        if (e instanceof EventExpr.Match m) return matchedEver(m);
        if (e instanceof EventExpr.All a) return holdsEver(a.left()) && holdsEver(a.right());
        EventExpr.Any o = (EventExpr.Any) e;
        return holdsEver(o.left()) || holdsEver(o.right());
    }

    private final Map<EventExpr.Match, Boolean> matched = new HashMap<>();

    private boolean matchedEver(EventExpr.Match m) {
        return matched.computeIfAbsent(m, k -> {
            Job owner = ownerOf(k);
            Map<String, String> env = owner == null ? Map.of() : owner.envMap();
            for (Occurrence o : reachEvents().candidates(k)) {
                if (Matching.matches(k, o, env)) return true;
            }
            return false;
        });
    }

    private Job ownerOf(EventExpr.Match m) {
        return owners.get(m);
    }

    /** Why one leaf never matches, starting with a comma or a colon. */
    private String leafWhy(EventExpr.Match m) {
        JobEvent je = JobEvent.of(m.event());
        if (je != null) {
            String name = m.jobArgument();
            if (name == null || Glob.isPattern(name) || name.contains("$")) return ", which never happens";
            Job x = jobs.get(name);
            if (x == null) return ": there is no job `" + name + "`";
            boolean ranAtAll = false;
            for (StepStart s : reach.statesOf(x.name())) if (s.job == x && s.started) ranAtAll = true;
            if (!ranAtAll) return ", and `" + name + "` does not start";
            if (je.carriesResult()) {
                List<String[]> failedEnv = List.of(new String[] {"JOB", name}, new String[] {"INSTANCE", ""},
                        new String[] {"RESULT", "failed"});
                Occurrence failed = new Occurrence(m.event(), failedEnv, 0, name, EdgeKind.STOPPING, null,
                        Set.of("PROCESS", "EXIT_STATUS", "EXIT_SIGNAL"), false);
                Job owner = ownerOf(m);
                if (Matching.matches(m, failed, owner == null ? Map.of() : owner.envMap())) {
                    return ", which happens only if `" + name + "` fails (plan with --fail " + name + ")";
                }
            }
            boolean allFailed = true;
            for (StepStart s : reach.statesOf(x.name())) if (s.job == x && s.started && !s.failed) allFailed = false;
            if (allFailed && !je.carriesResult()) return ", and `" + name + "` fails at its start (--fail " + name + ")";
            return ", which never matches";
        }
        for (Job j : emitters) {
            for (Named e : j.emits()) {
                if (Glob.matches(e.name(), m.event())) {
                    boolean ran = false;
                    for (StepStart s : reach.statesOf(j.name())) if (s.job == j && s.succeeded) ran = true;
                    if (!ran) return ", which `" + j.name() + "` emits, and `" + j.name() + "` does not start";
                    return ", which `" + j.name() + "` emits with values the plan cannot know (plan with --emit "
                            + m.text() + ")";
                }
            }
        }
        WellKnownEvent w = WellKnownEvent.of(m.event());
        if (w != null) return ", which nothing here emits (it usually comes from " + w.emitter() + ")";
        return ", which nothing emits (plan with --emit " + m.event() + ")";
    }

    // ---- deadlocks and held events ------------------------------------------------------------

    private void deadlocks(List<StepStart> stuck, Set<String> neverTriggered) {
        Map<String, Wait> heldBy = new HashMap<>();
        for (StepStart s : stuck) {
            for (Wait w : s.open) if (w.kind() == EdgeKind.HELD) heldBy.putIfAbsent(s.id, w);
        }
        WaitGraph graph = new WaitGraph(config, jobs, reach, timed, this::happened, this::producersOf);
        List<List<WaitGraph.WaitEdge>> cycles = graph.deadlocks(stuck, neverTriggered, MAX_CYCLES);
        Set<String> inCycle = new HashSet<>();
        for (List<WaitGraph.WaitEdge> c : cycles) for (WaitGraph.WaitEdge e : c) inCycle.add(e.from());
        for (List<WaitGraph.WaitEdge> c : cycles) {
            // A circle of after/before alone is an ordering cycle, which `ordo check` reports as ORD301.
            boolean orderingOnly = c.stream().allMatch(e -> e.kind() == EdgeKind.AFTER || e.kind() == EdgeKind.BEFORE);
            if (!orderingOnly) diagnostics.add(graph.deadlock(c));
        }

        for (StepStart s : stuck) {
            if (inCycle.contains(s.id)) {
                put(s.id, "deadlock", "deadlock: " + waitText(s.open.get(0)) + ", which waits for it in turn");
                continue;
            }
            Wait hold = heldBy.get(s.id);
            if (hold != null) {
                String holder = hold.id();
                ConditionTree tree = timed.tree(holder);
                List<String> waiting = new ArrayList<>();
                if (tree != null) for (EventExpr.Match m : tree.waiting()) waiting.add("`" + m.text() + "`");
                String event = (s.job.task() && s.pendingDone ? "stopping " : "starting ") + s.id;
                diagnostics.add(Diagnostic.of(Code.HELD_EVENT, hold.source() != null ? hold.source() : s.job.source(),
                        "`" + event + "` is held for ever: `" + holder + "` matched it in `"
                                + (tree == null ? "" : tree.expr.text()) + "` but also waits for "
                                + String.join(" and ", waiting) + ", which never comes, so `" + s.id + "` never "
                                + (s.pendingDone ? "finishes" : "starts"),
                        "Upstart holds an event matched by part of an `and` until the rest arrives; start `" + holder
                                + "` on the event alone, or make sure the rest happens"));
                put(s.id, "held", "`" + event + "` is held for ever by a partial match of `" + holder + "`");
                continue;
            }
            if (!s.open.isEmpty()) put(s.id, "waits-for", "waits for " + waitText(s.open.get(0)) + ", which never starts");
        }
        for (String name : neverTriggered) {
            if (inCycle.contains(name)) {
                put(name, "deadlock", "deadlock: its start condition `" + jobs.get(name).startOn().text()
                        + "` waits on jobs that wait for it");
            } else {
                put(name, closure.contains(name) ? "waits-for" : "no-trigger", why(jobs.get(name)));
            }
        }
    }

    /** Did an event of the timed boot match this leaf? */
    private boolean happened(EventExpr.Match m, Job owner) {
        Map<String, String> env = owner.envMap();
        for (Occurrence o : timedEvents().candidates(m)) {
            if (Matching.matches(m, o, env)) return true;
        }
        return false;
    }

    private static String waitText(Wait w) {
        return "`" + w.id() + "` (" + w.kind().label() + (w.source() == null ? "" : ", " + w.source()) + ")";
    }

    /** The jobs whose event a leaf waits for: the job of a job event, or every job that emits the event. */
    private List<String> producersOf(EventExpr.Match m) {
        List<String> out = new ArrayList<>();
        if (JobEvent.isJobEvent(m.event())) {
            if (m.jobArgument() != null) out.add(m.jobArgument());
            return out;
        }
        for (Job j : emitters) {
            for (Named e : j.emits()) {
                if (Glob.matches(e.name(), m.event())) {
                    out.add(j.name());
                    break;
                }
            }
        }
        return out;
    }

    // ---- pulled in early ----------------------------------------------------------------------

    /** SEMANTICS §5: a job pulled in starts at once; warn where its own start_on would not hold yet. */
    private void pulledInEarly() {
        for (StepStart s : timed.states()) {
            if (!s.triggered || s.because == null || s.job.format() == Format.SYSTEMD || s.job.startOn() == null) continue;
            EdgeKind k = s.because.kind();
            if (k != EdgeKind.REQUIRES && k != EdgeKind.WANTS && k != EdgeKind.BINDS_TO) continue;
            double own = earliest(s.job.startOn(), s.job.envMap());
            if (own <= s.trigger) continue;
            String when = own == BootRun.NEVER ? "never holds" : "holds only at " + Times.format(own);
            diagnostics.add(Diagnostic.of(Code.PULLED_IN_EARLY, s.because.source() != null ? s.because.source()
                            : s.job.source(),
                    "`" + s.job.name() + "` is pulled in by `" + s.because.by() + "` (" + k.label() + ") at "
                            + Times.format(s.trigger) + ", but its own start_on `" + s.job.startOn().text() + "` "
                            + when + "; pulled in, it starts at once",
                    "if `" + s.because.by() + "` needs what that condition waits for, add it to `"
                            + s.because.by() + "`'s `after`"));
        }
    }

    /** The earliest time the expression holds over the timed boot's events, or never. */
    private double earliest(EventExpr e, Map<String, String> env) {
        if (e instanceof EventExpr.Match m) {
            double t = BootRun.NEVER;
            for (Occurrence o : timedEvents().candidates(m)) {
                if (o.time() < t && Matching.matches(m, o, env)) t = o.time();
            }
            return t;
        }
        if (e instanceof EventExpr.All a) return Math.max(earliest(a.left(), env), earliest(a.right(), env));
        EventExpr.Any o = (EventExpr.Any) e;
        return Math.min(earliest(o.left(), env), earliest(o.right(), env));
    }

    // ---- shutdown -----------------------------------------------------------------------------

    /**
     * What the shutdown shows: a reversed ordering it dropped for the stop relations (ORD305), and a job
     * that never stops (ORD302). The latter is a warning, not an error: the supervisor lets go of a wait
     * that cannot end (docs/semantics.md, Shutdown), so it never keeps a configuration from running.
     */
    List<Diagnostic> shutdownDiagnostics(ShutdownRun down) {
        List<Diagnostic> out = new ArrayList<>();
        for (ShutdownOrder.Dropped d : down.order.dropped()) {
            String ordering = d.relation().kind() == RelationKind.AFTER
                    ? "`" + d.first() + "` after `" + d.waiter() + "`" : "`" + d.waiter() + "` before `" + d.first() + "`";
            out.add(Diagnostic.of(Code.REVERSE_ORDER_DROPPED, d.relation().source(),
                    "at shutdown `" + d.waiter() + "` does not wait for `" + d.first() + "` to stop (" + ordering
                            + " reversed): the stop relations stop `" + d.first() + "` only after `" + d.waiter()
                            + "` (" + String.join(" → ", d.through()) + "), and they win",
                    "to stop `" + d.first() + "` first, change the stop_on on the way from `" + d.waiter()
                            + "`; if the order at shutdown does not matter, this is only a note"));
        }
        for (ShutdownRun.StepStop s : down.stopped()) {
            if (s.done) continue;
            String what = s.open.isEmpty() ? "its stop condition `" + s.job.stopOn().text() + "` never holds"
                    : "it waits for " + waitText(s.open.get(0));
            out.add(Diagnostic.of(Code.DEADLOCK, s.job.source(),
                    "`" + s.id + "` never stops at shutdown: " + what,
                    "the supervisor lets go of the wait at shutdown and stops it (log `shutdown: ...`); make the stop relations agree")
                    .withSeverity(Severity.WARNING));
        }
        return out;
    }
}
