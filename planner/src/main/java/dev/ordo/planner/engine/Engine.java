package dev.ordo.planner.engine;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The supervisor's state machine: Upstart's job, event and event-operator logic (U§1-§3, §5) plus
 * ordo's dependency relations (SEMANTICS §5), with no threads, no clock and no I/O. Feed it
 * {@link Input}s; it answers with the {@link Effect}s to carry out, in order. The same inputs with the
 * same clock readings give the same effects.
 *
 * <p>This class is the entry point and the views; its rules are moving into package-private parts, one
 * rule each, as Upstart's {@code init/} splits them over {@code event.c}, {@code job.c}, {@code
 * job_class.c} and {@code job_process.c}: the known classes ({@link Registry}), the event queue ({@link
 * EventQueue}), goals and states ({@link Lifecycle}), ordering waits ({@link OrderingWaits}),
 * dependency relations ({@link Relations}), the boot ({@link BootWindow}), the shutdown ({@link
 * ShutdownSequence}), processes ({@link JobProcesses}), readiness ({@link ReadinessWatch}) and timers
 * ({@link Timers}); the effects of one input collect in an {@link Outbox}. The parts reach one another
 * through the engine, which holds one of each.
 *
 * <p>Not thread-safe: one caller drives it.
 */
public final class Engine {

    /** PATH and TERM as init passes them on when the supervisor's own environment has neither. */
    public static final Map<String, String> DEFAULT_ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "TERM", "linux");

    /**
     * How long the boot must stay quiet (nothing but jobs at rest and jobs waiting) before it is taken
     * to be over: a job's process may still emit an event that starts more of the boot just after it
     * became ready.
     */
    public static final Duration BOOT_SETTLE = Duration.ofSeconds(1);

    /** Removed classes whose last instance has stopped: forgotten once the pass is over (lists are being walked). */
    final Set<JobClass> gone = new LinkedHashSet<>();

    // The engine's parts, one rule each (see the class comment).
    final Outbox out;
    final Registry registry;
    final EventQueue queue;
    final Lifecycle lifecycle;
    final OrderingWaits ordering;
    final Relations relations;
    final BootWindow bootWindow;
    final ShutdownSequence shutdown;
    final JobProcesses processes;
    final ReadinessWatch readiness;
    final Timers timers;

    /** An engine for {@code jobs}, with PATH and TERM from {@link #DEFAULT_ENV}. */
    public Engine(Collection<Job> jobs, Clock clock) {
        this(jobs, clock, DEFAULT_ENV);
    }

    /**
     * @param supervisorEnv the supervisor's own environment: PATH and TERM are passed on to jobs, and
     *     {@code env KEY} without a value copies from it
     */
    public Engine(Collection<Job> jobs, Clock clock, Map<String, String> supervisorEnv) {
        this(jobs, clock, supervisorEnv, Set.of());
    }

    /**
     * @param boot the jobs the boot will start (the job names of the plan's boot steps): until the
     *     boot is over, a job waits for its {@code after} targets among them even before they are
     *     started, as the plan orders it; empty to order only against jobs with a pending start
     */
    public Engine(Collection<Job> jobs, Clock clock, Map<String, String> supervisorEnv, Set<String> boot) {
        this.out = new Outbox();
        this.registry = new Registry(supervisorEnv);
        this.queue = new EventQueue(this);
        this.lifecycle = new Lifecycle(this);
        this.ordering = new OrderingWaits(this);
        this.relations = new Relations(this);
        this.bootWindow = new BootWindow(this);
        this.shutdown = new ShutdownSequence(this);
        this.processes = new JobProcesses(this, clock);
        this.readiness = new ReadinessWatch(this);
        this.timers = new Timers(this);
        bootWindow.bootJobs = Set.copyOf(boot);
        List<JobClass> fresh = new ArrayList<>();
        for (Job j : Registry.firstByName(jobs).values()) fresh.add(new JobClass(j, 0, registry.classEnv(j)));
        registry.install(fresh);
    }

    /** Emits {@code startup} and handles everything that follows from it. */
    public List<Effect> boot() {
        out.begin();
        bootWindow.booting = !bootWindow.bootJobs.isEmpty() && !shutdown.shuttingDown;
        queue.queue("startup", List.of());
        queue.poll();
        return out.effects();
    }

    /** Handles one input and everything that follows from it, and returns the effects in order. */
    public List<Effect> handle(Input input) {
        out.begin();
        if (bootWindow.bootTimer != 0 && !(input instanceof Input.TimerFired t && t.timer() == bootWindow.bootTimer)) {
            // Something happened: the boot is not quiet after all.
            timers.cancelTimer(bootWindow.bootTimer);
            bootWindow.bootTimer = 0;
        }
        if (input instanceof Input.Command c) command(c);
        else if (input instanceof Input.Spawned s) processes.spawned(s);
        else if (input instanceof Input.SpawnFailed s) processes.spawnFailed(s);
        else if (input instanceof Input.Exited x) processes.exited(x);
        else if (input instanceof Input.Stopped s) processes.stopped(s);
        else if (input instanceof Input.Forked f) processes.forked(f);
        else if (input instanceof Input.Ready r) readiness.ready(r);
        else if (input instanceof Input.ProbeFailed p) readiness.probeFailedInput(p);
        else if (input instanceof Input.TimerFired t) timers.timerFired(t);
        else if (input instanceof Input.Adopt a) processes.adopt(a);
        else if (input instanceof Input.Reload r) reload(r);
        queue.poll();
        return out.effects();
    }

    /**
     * Applies a new configuration ({@code ordo reload}, SIGHUP): the same as handling
     * {@link Input.Reload}. The effects begin with one {@link Effect.Reloaded} saying what changed.
     */
    public List<Effect> reload(Collection<Job> jobs, Set<String> boot) {
        return handle(new Input.Reload(jobs, boot));
    }

    /** An instance as it is now. */
    public record InstanceView(String job, String instance, JobGoal goal, JobState state, List<String> env,
                               List<String> stopEnv, boolean failed, String failedProcess,
                               ExitStatus exitStatus, int respawnCount, Map<Phase, Integer> pids,
                               int holding, String failure) {
    }

    /** An unfinished event. */
    public record EventView(long id, String name, List<String> env, int blockers, boolean failed,
                            boolean handled) {
    }

    public Optional<InstanceView> instance(String job, String instance) {
        JobClass c = registry.byName.get(job);
        if (c == null) return Optional.empty();
        Instance i = c.instances.get(instance);
        return i == null ? Optional.empty() : Optional.of(view(i));
    }

    /** Every live instance, by job then instance name. */
    public List<InstanceView> instances() {
        List<InstanceView> l = new ArrayList<>();
        for (JobClass c : registry.classes) for (Instance i : c.instances.values()) l.add(view(i));
        return l;
    }

    /** What the state file keeps of an instance; {@code mainPid} 0 when there is no main process. */
    public record InstanceSummary(String job, String instance, JobGoal goal, JobState state, int mainPid) {
    }

    /**
     * Every instance's summary, in the order of {@link #instances}: without the environment a full view
     * copies, since the supervisor takes this every time it writes its state file.
     */
    public List<InstanceSummary> summaries() {
        List<InstanceSummary> l = new ArrayList<>();
        for (JobClass c : registry.classes) {
            for (Instance i : c.instances.values()) {
                int main = i.pid[Phase.MAIN.ordinal()];
                l.add(new InstanceSummary(c.name, i.name, i.goal, i.state, Math.max(main, 0)));
            }
        }
        return l;
    }

    /** Unfinished events in queue order. */
    public List<EventView> events() {
        List<EventView> l = new ArrayList<>();
        for (Event e : queue.events) {
            if (e != null) {
                l.add(new EventView(e.id, e.name, e.env, e.blockers, e.failed, e.progress != Event.Progress.PENDING));
            }
        }
        return l;
    }

    /** The job names the engine knows, sorted. */
    public List<String> jobs() {
        List<String> l = new ArrayList<>();
        for (JobClass c : registry.classes) l.add(c.name);
        return l;
    }

    private static InstanceView view(Instance i) {
        Map<Phase, Integer> p = new TreeMap<>();
        for (Phase ph : Phase.values()) if (i.pid[ph.ordinal()] > 0) p.put(ph, i.pid[ph.ordinal()]);
        return new InstanceView(i.cls.name, i.name, i.goal, i.state, list(i.env),
                i.stopEnv == null ? List.of() : list(i.stopEnv), i.failed, i.failedProcess, i.exitStatus,
                i.respawnCount, p, i.blocking.size(), i.failure);
    }

    static List<String> list(Map<String, String> env) {
        List<String> l = new ArrayList<>(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) l.add(e.getKey() + "=" + e.getValue());
        return List.copyOf(l);
    }

    /**
     * Upstart's reload-configuration, plus stopping removed jobs: an unchanged job keeps its class and
     * instances as they are; a new one is known from now on (it is not started for events already
     * past); a changed one takes its new definition at once, but a live instance keeps the one it
     * started with until it starts again; a removed one starts no more, its instances are stopped,
     * and it is forgotten when the last is gone. Relations, the event index and the boot set come
     * from the new configuration. Everything is worked out first and then put in place, in one go.
     */
    private void reload(Input.Reload r) {
        Map<String, Job> fresh = Registry.firstByName(r.jobs());
        Map<String, JobClass> next = new TreeMap<>();
        Map<JobClass, Job> redefine = new LinkedHashMap<>();
        List<JobClass> removing = new ArrayList<>();
        List<Effect.Change> changes = new ArrayList<>();
        for (Map.Entry<String, Job> e : fresh.entrySet()) {
            JobClass old = registry.byName.get(e.getKey());
            Job j = e.getValue();
            if (old == null) {
                next.put(j.name(), new JobClass(j, 0, registry.classEnv(j)));
                changes.add(new Effect.Change(j.name(), Effect.Change.Kind.ADDED));
                continue;
            }
            next.put(j.name(), old);
            if (!old.removed && Definitions.same(old.job, j)) continue;
            redefine.put(old, j);
            changes.add(new Effect.Change(j.name(), old.instances.isEmpty() ? Effect.Change.Kind.CHANGED
                    : Effect.Change.Kind.CHANGED_LIVE));
        }
        for (JobClass old : registry.classes) {
            if (fresh.containsKey(old.name)) continue;
            if (old.instances.isEmpty()) {
                if (!old.removed) changes.add(new Effect.Change(old.name, Effect.Change.Kind.REMOVED));
                continue;
            }
            next.put(old.name, old);
            if (!old.removed) {
                removing.add(old);
                changes.add(new Effect.Change(old.name, Effect.Change.Kind.REMOVED_STOPPING));
            }
        }
        changes.sort(Comparator.comparing(Effect.Change::job));

        // Put in place.
        out.add(new Effect.Reloaded(List.copyOf(changes)));
        for (Map.Entry<JobClass, Job> e : redefine.entrySet()) {
            e.getKey().removed = false;
            e.getKey().define(e.getValue(), registry.classEnv(e.getValue()));
        }
        for (JobClass c : removing) {
            c.removed = true;
            if (c.startOn != null) c.startOn.reset();
            c.startOn = null;
        }
        List<JobClass> before = new ArrayList<>(registry.classes);
        registry.install(new ArrayList<>(next.values()));
        for (JobClass c : before) {
            if (registry.byName.get(c.name) != c) {
                bootWindow.settled.remove(c);
                shutdown.shutdownStarts.remove(c);
                ordering.touched.remove(c);
                gone.remove(c);
            }
        }
        // A job new to the engine is not started for events already past: it is no part of this boot.
        Set<String> boot = new java.util.TreeSet<>(r.boot());
        boot.removeIf(j -> changes.contains(new Effect.Change(j, Effect.Change.Kind.ADDED)));
        bootWindow.bootJobs = Set.copyOf(boot);
        // Relations changed under every wait: look at all of them again.
        ordering.touched.addAll(registry.classes);
        ordering.recheckAll = true;
        if (bootWindow.booting) {
            boolean all = true;
            for (String j : bootWindow.bootJobs) {
                JobClass k = registry.byName.get(j);
                if (k != null && !bootWindow.settled.contains(k)) all = false;
            }
            if (all) bootWindow.endBoot();
        }
        for (JobClass c : removing) {
            for (Instance x : new ArrayList<>(c.instances.values())) {
                if (x.destroyed || x.goal == JobGoal.STOP) continue;
                // What it holds (events, waiting commands) is let go when it has stopped, not now.
                x.stopEnv = new LinkedHashMap<>();
                lifecycle.changeGoal(x, JobGoal.STOP, Lifecycle.Cause.EXPLICIT);
            }
        }
    }

    /** Removed classes whose last instance has stopped are forgotten: {@code start} says "Unknown job". */
    void forgetRemoved() {
        for (JobClass c : gone) {
            if (!c.removed || !c.instances.isEmpty() || registry.byName.get(c.name) != c) continue;
            registry.classes.remove(c);
            registry.byName.remove(c.name);
            registry.byEvent.values().forEach(l -> l.remove(c));
            registry.byEvent.values().removeIf(List::isEmpty);
            bootWindow.settled.remove(c);
            shutdown.shutdownStarts.remove(c);
            ordering.touched.remove(c);
            out.log(c.name + " has stopped and is gone (removed from the configuration)");
        }
        gone.clear();
    }

    private void command(Input.Command c) {
        for (String kv : c.env()) {
            if (kv.indexOf('=') <= 0) {
                out.reply(c.request(), false, "Env must be KEY=VALUE pairs");
                return;
            }
        }
        switch (c.verb()) {
            case EMIT -> {
                if (c.name() == null || c.name().isEmpty()) {
                    out.reply(c.request(), false, "missing event name");
                    return;
                }
                Event e = queue.queue(c.name(), c.env());
                if (c.caller() != null) e.producer = registry.find(c.caller().job(), c.caller().instance());
                if (c.waits()) e.emitRequests.add(c.request());
                else out.reply(c.request(), true, "");
            }
            case SHUTDOWN -> shutdown.shutdown(c.request());
            case LIST -> {
                StringBuilder b = new StringBuilder();
                for (JobClass k : registry.classes) {
                    if (k.instances.isEmpty()) {
                        line(b, k.name + " stop/waiting" + (k.lastFailure == null ? "" : ", " + k.lastFailure));
                    } else {
                        for (Instance i : k.instances.values()) line(b, statusLine(i));
                    }
                }
                out.reply(c.request(), true, b.toString());
            }
            default -> jobCommand(c);
        }
    }

    private static void line(StringBuilder b, String s) {
        if (b.length() > 0) b.append('\n');
        b.append(s);
    }

    private void jobCommand(Input.Command c) {
        boolean own = c.name() == null && c.caller() != null;
        String jobName = own ? c.caller().job() : c.name();
        if (jobName == null || jobName.isEmpty()) {
            out.reply(c.request(), false, "missing job name");
            return;
        }
        JobClass cls = registry.byName.get(jobName);
        if (cls == null || (cls.removed && (c.verb() == Input.Verb.START || c.verb() == Input.Verb.RESTART))) {
            // A removed job that is still stopping is shown, and may be stopped, but is no longer a job to start.
            out.reply(c.request(), false, "Unknown job: " + jobName);
            return;
        }
        // From inside a job, a command about the job itself never waits: it would wait on itself.
        boolean wait = c.waits() && !own;
        Map<String, String> env = new LinkedHashMap<>(cls.env);
        Map<String, String> given = new LinkedHashMap<>();
        for (String kv : c.env()) {
            int eq = kv.indexOf('=');
            given.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        env.putAll(given);
        String name;
        if (own) {
            name = c.caller().instance() == null ? "" : c.caller().instance();
        } else if (c.instance() != null) {
            name = c.instance();
        } else {
            try {
                name = Registry.instanceName(cls, env);
            } catch (Expansion.UnknownVariable u) {
                out.reply(c.request(), false, u.getMessage());
                return;
            }
        }
        Instance inst = cls.instances.get(name);
        if (shutdown.shuttingDown && (c.verb() == Input.Verb.START || c.verb() == Input.Verb.RESTART)) {
            out.reply(c.request(), false, "Shutting down, not starting " + (name.isEmpty() ? cls.name : cls.name + " (" + name + ")"));
            return;
        }
        switch (c.verb()) {
            case STATUS -> {
                if (inst != null) out.reply(c.request(), true, statusLine(inst));
                else if (cls.job.instance() == null) out.reply(c.request(), true, cls.name + " stop/waiting" + (cls.lastFailure == null ? "" : ", " + cls.lastFailure));
                else out.reply(c.request(), false, "Unknown instance: " + name);
            }
            case START -> {
                if (inst != null && inst.goal != JobGoal.STOP) {
                    out.reply(c.request(), false, "Job is already running: " + inst.displayName());
                    return;
                }
                // Requisites are not started: one that is neither up nor pulled in by this start refuses it.
                JobClass missing = relations.missingRequisite(cls, Relations.pullClosure(cls));
                if (missing != null) {
                    out.reply(c.request(), false, "Job failed to start: " + cls.name + " needs " + missing.name
                            + " running (requisite), and it is not; start " + missing.name + " first");
                    return;
                }
                inst = registry.instanceOf(cls, name);
                inst.startEnv = env;
                lifecycle.jobFinished(inst, false);
                if (wait) inst.blocking.add(new Instance.Waiter(c.request(), Input.Verb.START));
                lifecycle.changeGoal(inst, JobGoal.START, Lifecycle.Cause.EXPLICIT);
                if (!wait) out.reply(c.request(), true, statusText(inst));
            }
            case STOP, RESTART -> {
                if (inst == null) {
                    out.reply(c.request(), false, "Unknown instance: " + name);
                    return;
                }
                if (inst.goal == JobGoal.STOP) {
                    out.reply(c.request(), false, "Job has already been stopped: " + inst.displayName());
                    return;
                }
                if (c.verb() == Input.Verb.STOP) {
                    inst.stopEnv = given;
                } else {
                    inst.startEnv = env;
                    inst.stopEnv = null;
                }
                lifecycle.jobFinished(inst, false);
                if (wait) inst.blocking.add(new Instance.Waiter(c.request(), c.verb()));
                if (c.verb() == Input.Verb.STOP) lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.EXPLICIT);
                else relations.restart(inst);
                if (!wait) out.reply(c.request(), true, statusText(inst));
            }
            case RELOAD -> {
                if (inst == null) {
                    out.reply(c.request(), false, "Unknown instance: " + name);
                    return;
                }
                int main = inst.pid[Phase.MAIN.ordinal()];
                if (main <= 0) {
                    out.reply(c.request(), false, "Job is not running: " + inst.displayName());
                    return;
                }
                // Upstart signals the main process only, not its group: a daemon re-reads its
                // configuration; its workers hear of it from it.
                out.add(new Effect.Kill(main, false, inst.job.kill().reload()));
                out.reply(c.request(), true, statusText(inst));
            }
            default -> throw new IllegalStateException(c.verb().name());
        }
    }

    /**
     * initctl's status line: {@code name (instance) goal/state, process PID}, then a tab-indented
     * line for each further process. The main process comes first; a post-start or pre-stop process
     * shown on the first line is named in parentheses.
     */
    static String statusText(Instance inst) {
        StringBuilder b = new StringBuilder(inst.displayName()).append(' ').append(inst.goal.word()).append('/')
                .append(inst.state.word());
        if (inst.cls.removed) b.append(" (removed)");
        boolean first = true;
        for (Phase p : List.of(Phase.MAIN, Phase.PRE_START, Phase.POST_START, Phase.PRE_STOP, Phase.POST_STOP)) {
            int pid = inst.pid[p.ordinal()];
            if (pid <= 0) continue;
            if (first) {
                if (p == Phase.POST_START || p == Phase.PRE_STOP) b.append(", (").append(p.processName()).append(") process ");
                else b.append(", process ");
                b.append(pid);
                first = false;
            } else {
                b.append("\n\t").append(p.processName()).append(" process ").append(pid);
            }
        }
        return b.toString();
    }

    /** {@code status}'s line: {@link #statusText}, and why the instance failed when it did. */
    private static String statusLine(Instance inst) {
        String t = statusText(inst);
        String why = failedSuffix(inst.failure);
        if (why.isEmpty()) return t;
        int nl = t.indexOf('\n');
        return nl < 0 ? t + why : t.substring(0, nl) + why + t.substring(nl);
    }

    private static String failedSuffix(String failure) {
        return failure == null ? "" : ", failed: " + failure;
    }

    /** The expression a job starts on, as the engine uses it (null when it only starts by command). */
    public EventExpr startOn(String job) {
        JobClass c = registry.byName.get(job);
        return c == null || c.startOn == null ? null : c.job.startOn();
    }
}
