package dev.ordo.planner.engine;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Phase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
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
 * <p>This class is the entry point and the views; the rules live in package-private parts, one rule
 * each, as Upstart's {@code init/} splits them over {@code event.c}, {@code job.c}, {@code job_class.c}
 * and {@code job_process.c}: the known classes ({@link Registry}), the event queue ({@link
 * EventQueue}), goals and states ({@link Lifecycle}), ordering waits ({@link OrderingWaits}),
 * dependency relations ({@link Relations}), the boot ({@link BootWindow}), the shutdown ({@link
 * ShutdownSequence}), processes ({@link JobProcesses}), readiness ({@link ReadinessWatch}), timers
 * ({@link Timers}), reload ({@link JobClassReload}) and commands ({@link Commands}); the effects of one
 * input collect in an {@link Outbox}. The parts reach one another through the engine, which holds one
 * of each.
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
    final JobClassReload reloads;
    final Commands commands;
    final StartChecks startChecks;
    final SocketActivation sockets;

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
        this.reloads = new JobClassReload(this);
        this.commands = new Commands(this);
        this.startChecks = new StartChecks(this);
        this.sockets = new SocketActivation(this);
        bootWindow.bootJobs = Set.copyOf(boot);
        List<JobClass> fresh = new ArrayList<>();
        for (Job j : Registry.firstByName(jobs).values()) fresh.add(new JobClass(j, 0, registry.classEnv(j)));
        registry.install(fresh);
    }

    /**
     * @param skip which starts are skipped on this machine (the early boot when ordo is not PID 1, systemd's
     *     own clients); {@link SkipPolicy#NONE} runs everything, as the plan assumes
     */
    public Engine(Collection<Job> jobs, Clock clock, Map<String, String> supervisorEnv, Set<String> boot, SkipPolicy skip) {
        this(jobs, clock, supervisorEnv, boot);
        startChecks.policy(skip);
    }

    /** Emits {@code startup} and handles everything that follows from it. */
    public List<Effect> boot() {
        return boot(List.of());
    }

    /**
     * Boots toward a goal, as the plan does (SEMANTICS §6): its {@code emit} commands' events are emitted
     * at once ({@code startup} when it has none), then its {@code start} commands start their jobs as
     * {@code ordo start} would. Their replies go to their (negative) request ids, which nobody waits on.
     */
    public List<Effect> boot(List<Input.Command> goal) {
        out.begin();
        bootWindow.begin();
        boolean emitted = false;
        for (Input.Command c : goal) {
            if (c.verb() == Input.Verb.EMIT) {
                queue.queue(c.name(), c.env());
                emitted = true;
            }
        }
        if (!emitted) queue.queue("startup", List.of());
        // An adopted instance came up under a supervisor that died: to what waits for it, it has just come up,
        // so `start_on: started db` and its requires/wants start now what the crash kept from starting (a job
        // already running stays as it is).
        for (JobClass k : registry.classes) {
            for (Instance i : k.instances.values()) {
                if (i.adoptedUp && !i.destroyed && i.goal == JobGoal.START && i.state == JobState.RUNNING) {
                    relations.pullIn(i);
                    queue.emit(i, JobEvent.STARTED);
                }
                i.adoptedUp = false;
            }
        }
        for (Input.Command c : goal) {
            if (c.verb() == Input.Verb.START) commands.command(c.noWait());
            else if (c.verb() != Input.Verb.EMIT) throw new IllegalArgumentException("a goal emits and starts: " + c.verb());
        }
        queue.poll();
        return out.effects();
    }

    /** Handles one input and everything that follows from it, and returns the effects in order. */
    public List<Effect> handle(Input input) {
        out.begin();
        bootWindow.interrupt(input);
        if (input instanceof Input.Command c) commands.command(c);
        else if (input instanceof Input.Spawned s) processes.spawned(s);
        else if (input instanceof Input.SpawnFailed s) processes.spawnFailed(s);
        else if (input instanceof Input.Exited x) processes.exited(x);
        else if (input instanceof Input.Stopped s) processes.stopped(s);
        else if (input instanceof Input.Forked f) processes.forked(f);
        else if (input instanceof Input.MainMoved m) processes.mainMoved(m);
        else if (input instanceof Input.Ready r) readiness.ready(r);
        else if (input instanceof Input.ProbeFailed p) readiness.probeFailedInput(p);
        else if (input instanceof Input.ConditionsTested t) startChecks.tested(t);
        else if (input instanceof Input.TimerFired t) timers.timerFired(t);
        else if (input instanceof Input.Adopt a) processes.adopt(a);
        else if (input instanceof Input.Reload r) reloads.reload(r);
        else if (input instanceof Input.SocketInput s) sockets.input(s);
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
                               List<String> stopEnv, boolean failed, FailureReason failedProcess,
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

    /** initctl's status line ({@link Commands#statusText}), for the tests and tools of this package. */
    static String statusText(Instance inst) {
        return Commands.statusText(inst);
    }

    /** The expression a job starts on, as the engine uses it (null when it only starts by command). */
    public EventExpr startOn(String job) {
        JobClass c = registry.byName.get(job);
        return c == null || c.startOn == null ? null : c.job.startOn();
    }
}
