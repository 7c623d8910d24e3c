package dev.ordo.planner.engine;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
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
 * dependency relations ({@link Relations}), the boot ({@link BootWindow}) and the shutdown ({@link
 * ShutdownSequence}); the effects of one input collect in an {@link Outbox}. The parts reach one
 * another through the engine, which holds one of each.
 *
 * <p>Not thread-safe: one caller drives it.
 */
public final class Engine {

    /** PATH and TERM as init passes them on when the supervisor's own environment has neither. */
    public static final Map<String, String> DEFAULT_ENV = Map.of(
            "PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "TERM", "linux");

    enum TimerKind { KILL, PROBE, BOOT }

    /**
     * How long the boot must stay quiet (nothing but jobs at rest and jobs waiting) before it is taken
     * to be over: a job's process may still emit an event that starts more of the boot just after it
     * became ready.
     */
    public static final Duration BOOT_SETTLE = Duration.ofSeconds(1);

    private record ProcessRef(Instance inst, Phase phase) {
    }

    record TimerRef(Instance inst, TimerKind kind) {
    }

    private final Clock clock;
    final Map<Long, ProcessRef> spawning = new HashMap<>();
    private final Map<Integer, ProcessRef> pids = new HashMap<>();
    private final Map<Long, TimerRef> timers = new HashMap<>();
    private long nextProcess = 1;
    private long nextTimer = 1;

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
        this.clock = clock;
        this.out = new Outbox();
        this.registry = new Registry(supervisorEnv);
        this.queue = new EventQueue(this);
        this.lifecycle = new Lifecycle(this);
        this.ordering = new OrderingWaits(this);
        this.relations = new Relations(this);
        this.bootWindow = new BootWindow(this);
        this.shutdown = new ShutdownSequence(this);
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
            cancelTimer(bootWindow.bootTimer);
            bootWindow.bootTimer = 0;
        }
        if (input instanceof Input.Command c) command(c);
        else if (input instanceof Input.Spawned s) spawned(s);
        else if (input instanceof Input.SpawnFailed s) spawnFailed(s);
        else if (input instanceof Input.Exited x) exited(x);
        else if (input instanceof Input.Stopped s) stopped(s);
        else if (input instanceof Input.Forked f) forked(f);
        else if (input instanceof Input.Ready r) ready(r);
        else if (input instanceof Input.ProbeFailed p) probeFailedInput(p);
        else if (input instanceof Input.TimerFired t) timerFired(t);
        else if (input instanceof Input.Adopt a) adopt(a);
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

    private static List<String> list(Map<String, String> env) {
        List<String> l = new ArrayList<>(env.size());
        for (Map.Entry<String, String> e : env.entrySet()) l.add(e.getKey() + "=" + e.getValue());
        return List.copyOf(l);
    }

    void run(Instance inst, Phase phase) {
        long id = nextProcess++;
        inst.process[phase.ordinal()] = id;
        inst.pid[phase.ordinal()] = 0;
        spawning.put(id, new ProcessRef(inst, phase));
        Job j = inst.job;
        Process p = j.processes().get(phase);
        out.add(new Effect.Spawn(id, inst.cls.name, inst.name, phase, p, spawnEnv(inst, phase),
                phase == Phase.MAIN ? j.ready() : Readiness.NONE, j.resources(), j.console()));
    }

    /** The instance's environment, UPSTART_JOB/UPSTART_INSTANCE, and for pre-stop/post-stop the stop environment (U§3.5). */
    private static List<String> spawnEnv(Instance inst, Phase phase) {
        Map<String, String> env = new LinkedHashMap<>(inst.env);
        env.put("UPSTART_JOB", inst.cls.name);
        env.put("UPSTART_INSTANCE", inst.name);
        if ((phase == Phase.PRE_STOP || phase == Phase.POST_STOP) && inst.stopEnv != null) env.putAll(inst.stopEnv);
        return list(env);
    }

    private ProcessRef current(long process) {
        ProcessRef r = spawning.remove(process);
        if (r == null) return null;
        if (r.inst.destroyed || r.inst.process[r.phase.ordinal()] != process) return null;
        r.inst.process[r.phase.ordinal()] = 0;
        return r;
    }

    private void spawned(Input.Spawned s) {
        ProcessRef r = current(s.process());
        if (r == null) {
            out.log("process " + s.pid() + " belongs to no job, killing it");
            out.add(new Effect.Kill(s.pid(), true, Signal.KILL));
            return;
        }
        Instance inst = r.inst;
        inst.pid[r.phase.ordinal()] = s.pid();
        pids.put(s.pid(), r);
        if (r.phase != Phase.MAIN) return;
        inst.mainGroup = s.pid();
        inst.forks = 0;
        if (inst.state == JobState.SPAWNED && (inst.goal == JobGoal.STOP || !lifecycle.waitsForSignal(inst))) {
            lifecycle.changeState(inst, lifecycle.next(inst));
        }
        if (inst.state == JobState.SPAWNED && inst.goal != JobGoal.STOP && inst.job.ready() instanceof Readiness.Notify n) {
            armReadyTimeout(inst, n);
        }
    }

    /**
     * READY=1 has {@code timeout} to come (systemd's TimeoutStartSec=, 90 s by default); the probes'
     * timer slot holds it, as a notify job has no probe.
     */
    private void armReadyTimeout(Instance inst, Readiness.Notify n) {
        Duration d = notifyTimeout(n);
        if (d.getSeconds() >= Long.MAX_VALUE / 1_000_000_000L) return; // infinity: wait for ever, as systemd does
        cancelTimer(inst.probeTimer);
        inst.probeTimer = arm(d, new TimerRef(inst, TimerKind.PROBE));
    }

    private static Duration notifyTimeout(Readiness.Notify n) {
        return n.timeout() == null ? Readiness.DEFAULT_TIMEOUT : n.timeout();
    }

    /** No READY=1 in time: the job fails like a probe that timed out ({@code PROCESS=ready}) and is stopped. */
    private void readyTimedOut(Instance inst) {
        String within = dev.ordo.planner.model.Timespan.format(notifyTimeout((Readiness.Notify) inst.job.ready()));
        out.log(inst.displayName() + " sent no READY=1 within " + within + ", stopping it");
        lifecycle.jobFailed(inst, "ready", null, "no READY=1 within " + within);
        lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
    }

    /** A previous supervisor's main process, found alive (issue 5): running, with nothing spawned or emitted. */
    private void adopt(Input.Adopt a) {
        JobClass c = registry.byName.get(a.job());
        if (c == null || a.pid() <= 0 || pids.containsKey(a.pid())) {
            out.log("cannot adopt process " + a.pid() + " of " + a.job() + ": " + (c == null ? "no such job" : "already known"));
            return;
        }
        Instance inst = registry.instanceOf(c, a.instance());
        if (inst.goal != JobGoal.STOP || inst.state != JobState.WAITING) {
            out.log("cannot adopt process " + a.pid() + " of " + inst.displayName() + ": the instance is already there");
            return;
        }
        Map<String, String> env = new LinkedHashMap<>(c.env);
        for (String kv : a.env()) {
            int eq = kv.indexOf('=');
            if (eq > 0) env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        inst.env = env;
        inst.goal = JobGoal.START;
        inst.state = JobState.RUNNING;
        inst.pid[Phase.MAIN.ordinal()] = a.pid();
        inst.mainGroup = a.pid();
        pids.put(a.pid(), new ProcessRef(inst, Phase.MAIN));
        // The events that ordered the boot are gone with the old supervisor; what the start_on lines say
        // about the jobs now running is the order the shutdown reverses.
        for (JobClass k : registry.classes) {
            for (Instance x : k.instances.values()) {
                if (x.destroyed || x.goal != JobGoal.START || x.cls.startOn == null) continue;
                rememberAdopted(x, x.cls.job.startOn(), false);
            }
        }
        out.add(out.stateChanged(inst));
    }

    private void rememberAdopted(Instance inst, EventExpr e, boolean viaOr) {
        if (e instanceof EventExpr.All all) {
            rememberAdopted(inst, all.left(), viaOr);
            rememberAdopted(inst, all.right(), viaOr);
        } else if (e instanceof EventExpr.Any any) {
            rememberAdopted(inst, any.left(), true);
            rememberAdopted(inst, any.right(), true);
        } else if (e instanceof EventExpr.Match m) {
            JobEvent je = JobEvent.of(m.event());
            String j = m.jobArgument();
            JobClass other = j == null ? null : registry.byName.get(j);
            if (je == null || je.carriesResult() || other == null || other == inst.cls) return;
            for (Instance y : other.instances.values()) {
                if (y.destroyed || y.goal != JobGoal.START) continue;
                // A blocking event (starting) made the other job wait for this one; started came first.
                if (je.blocking()) OrderingWaits.remember(inst, y, viaOr);
                else OrderingWaits.remember(y, inst, viaOr);
            }
        }
    }

    private void spawnFailed(Input.SpawnFailed s) {
        ProcessRef r = current(s.process());
        if (r == null) return;
        Instance inst = r.inst;
        out.log("Failed to spawn " + inst.displayName() + " " + r.phase.processName() + " process: " + s.reason());
        if (r.phase == Phase.POST_START || r.phase == Phase.PRE_STOP) {
            terminated(inst, r.phase, ExitStatus.code(0));
            return;
        }
        JobState before = inst.state;
        lifecycle.jobFailed(inst, r.phase.processName(), null, r.phase.processName() + " process could not be started: " + s.reason());
        lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        if (!inst.destroyed && inst.state == before) lifecycle.changeState(inst, lifecycle.next(inst));
    }

    private void exited(Input.Exited x) {
        ProcessRef r = pids.remove(x.pid());
        if (r == null || r.inst.destroyed || r.inst.pid[r.phase.ordinal()] != x.pid()) return;
        r.inst.pid[r.phase.ordinal()] = 0;
        terminated(r.inst, r.phase, x.status());
    }

    /** What a process's end means for its instance (U§1.4, §1.5; Upstart's job_process_terminated). */
    private void terminated(Instance inst, Phase phase, ExitStatus status) {
        Job j = inst.job;
        boolean nonZero = status.code() == null || status.code() != 0;
        boolean failed = false;
        boolean stop = false;
        boolean advance = true;
        JobState before = inst.state;
        switch (phase) {
            case MAIN -> {
                if (inst.state == JobState.POST_START && inst.running(Phase.POST_START)) advance = false;
                else if (inst.state == JobState.PRE_STOP && inst.running(Phase.PRE_STOP)) advance = false;
                if (inst.state == JobState.KILLED) break;
                if (inst.state == JobState.STOPPING) {
                    advance = false;
                    break;
                }
                if ((nonZero || (j.respawn().enabled() && !j.task())) && inst.goal == JobGoal.START) {
                    failed = !normalExit(j, status);
                    if (failed && j.respawn().enabled()) {
                        failed = false;
                        if (runaway(inst)) {
                            out.log(inst.displayName() + " respawning too fast, stopped");
                            Respawn rs = j.respawn();
                            lifecycle.jobFailed(inst, "respawn", null, "respawn limit (" + rs.limit() + " in "
                                    + dev.ordo.planner.model.Timespan.format(rs.interval()) + "), main process " + Lifecycle.ended(status));
                        } else {
                            out.log(inst.displayName() + " main process ended, respawning");
                            cancelTimer(inst.killTimer);
                            if (!advance) {
                                inst.goal = JobGoal.RESPAWN;
                                out.add(out.stateChanged(inst));
                            } else {
                                // From spawned, post-start or running straight to stopping (goal stays start).
                                lifecycle.changeState(inst, JobState.STOPPING);
                            }
                            return;
                        }
                    }
                }
                stop = true;
            }
            case PRE_START, POST_STOP -> {
                if (nonZero) {
                    failed = true;
                    stop = true;
                }
            }
            default -> {
                // post-start and pre-stop failures are ignored (U§1.4)
            }
        }
        if (phase == Phase.MAIN) {
            cancelTimer(inst.killTimer);
            inst.killTimer = 0;
        }
        if (failed) lifecycle.jobFailed(inst, phase.processName(), status);
        if (stop) {
            if (inst.state == JobState.RUNNING) advance = false;
            lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        }
        if (!advance || inst.destroyed || inst.state != before) return;
        if (inst.state == JobState.POST_START && inst.probing && inst.goal == JobGoal.START) return;
        if (inst.state == JobState.POST_START) stopProbe(inst);
        lifecycle.changeState(inst, lifecycle.next(inst));
    }

    private static boolean normalExit(Job j, ExitStatus status) {
        for (ExitStatus n : j.normalExit()) {
            if (n.code() != null && n.code().equals(status.code())) return true;
            if (n.signal() != null && status.signal() != null && n.signal().number() == status.signal().number()) {
                return true;
            }
        }
        return false;
    }

    /** Upstart's job_process_catch_runaway: a window anchored at the first respawn of a burst (U§1.5). */
    private boolean runaway(Instance inst) {
        Respawn r = inst.job.respawn();
        if (r.unlimited()) return false;
        long now = clock.millis();
        if (inst.respawnTime != null && now - inst.respawnTime < r.interval().toMillis()) {
            inst.respawnCount++;
            return inst.respawnCount > r.limit();
        }
        inst.respawnTime = now;
        inst.respawnCount = 1;
        return false;
    }

    private void forked(Input.Forked f) {
        ProcessRef r = pids.get(f.pid());
        if (r == null || r.phase != Phase.MAIN) return;
        Instance inst = r.inst;
        Readiness mode = inst.job.ready();
        if (inst.state != JobState.SPAWNED || !(mode instanceof Readiness.Fork || mode instanceof Readiness.Forking || mode instanceof Readiness.Daemon)) return;
        pids.remove(f.pid());
        pids.put(f.child(), r);
        inst.pid[Phase.MAIN.ordinal()] = f.child();
        inst.forks++;
        if (inst.forks >= (mode instanceof Readiness.Daemon ? 2 : 1)) lifecycle.changeState(inst, lifecycle.next(inst));
    }

    private void stopped(Input.Stopped s) {
        ProcessRef r = pids.get(s.pid());
        if (r == null || r.phase != Phase.MAIN) return;
        Instance inst = r.inst;
        if (inst.state != JobState.SPAWNED || !(inst.job.ready() instanceof Readiness.Stop)) return;
        out.add(new Effect.Kill(s.pid(), false, Signal.CONT));
        lifecycle.changeState(inst, lifecycle.next(inst));
    }

    private void ready(Input.Ready r) {
        Instance inst = registry.find(r.job(), r.instance());
        if (inst == null) return;
        if (inst.state == JobState.SPAWNED && inst.job.ready() instanceof Readiness.Notify
                && inst.pid[Phase.MAIN.ordinal()] > 0) {
            cancelTimer(inst.probeTimer);
            inst.probeTimer = 0;
            lifecycle.changeState(inst, lifecycle.next(inst));
        } else if (inst.state == JobState.POST_START && inst.probing) {
            stopProbe(inst);
            if (!inst.running(Phase.POST_START)) lifecycle.changeState(inst, lifecycle.next(inst));
        }
    }

    private void probeFailedInput(Input.ProbeFailed p) {
        Instance inst = registry.find(p.job(), p.instance());
        if (inst != null && inst.state == JobState.POST_START && inst.probing) probeFailed(inst, p.reason());
    }

    private void probeFailed(Instance inst, String reason) {
        stopProbe(inst);
        out.log(inst.displayName() + " readiness probe failed: " + reason);
        lifecycle.jobFailed(inst, "ready", null, "readiness probe failed: " + reason);
        lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        if (!inst.destroyed && inst.state == JobState.POST_START && !inst.running(Phase.POST_START)) {
            lifecycle.changeState(inst, lifecycle.next(inst));
        }
    }

    void startProbe(Instance inst) {
        Readiness r = inst.job.ready();
        inst.probing = true;
        out.add(new Effect.StartProbe(inst.cls.name, inst.name, r));
        Duration timeout = null;
        if (r instanceof Readiness.Tcp t) timeout = t.timeout();
        else if (r instanceof Readiness.Exec e) timeout = e.timeout();
        else if (r instanceof Readiness.Log l) timeout = l.timeout();
        if (timeout == null) timeout = Readiness.DEFAULT_TIMEOUT;
        inst.probeTimer = arm(timeout, new TimerRef(inst, TimerKind.PROBE));
    }

    void stopProbe(Instance inst) {
        if (!inst.probing) return;
        inst.probing = false;
        out.add(new Effect.StopProbe(inst.cls.name, inst.name));
        cancelTimer(inst.probeTimer);
        inst.probeTimer = 0;
    }

    /** The kill signal to the main process's group, and SIGKILL when the timer goes off (U§1.3 killed). */
    void kill(Instance inst) {
        signalMain(inst, inst.job.kill().signal());
        inst.killTimer = arm(inst.job.kill().timeout(), new TimerRef(inst, TimerKind.KILL));
    }

    private void signalMain(Instance inst, Signal signal) {
        int pid = inst.pid[Phase.MAIN.ordinal()];
        int group = inst.mainGroup > 0 ? inst.mainGroup : pid;
        out.add(new Effect.Kill(group, true, signal));
        // A daemon followed through its forks may have left the group: signal it by pid too.
        if (pid != group) out.add(new Effect.Kill(pid, false, signal));
    }

    long arm(Duration delay, TimerRef ref) {
        long id = nextTimer++;
        timers.put(id, ref);
        out.add(new Effect.ArmTimer(id, Math.max(0, delay.toMillis())));
        return id;
    }

    void cancelTimer(long id) {
        if (id != 0 && timers.remove(id) != null) out.add(new Effect.CancelTimer(id));
    }

    private void timerFired(Input.TimerFired t) {
        TimerRef ref = timers.remove(t.timer());
        if (ref != null && ref.kind == TimerKind.BOOT) {
            bootWindow.bootTimer = 0;
            if (bootWindow.booting && bootWindow.quiet()) {
                out.log("the boot is over: jobs it did not start are no longer waited for");
                bootWindow.endBoot();
            }
            return;
        }
        if (ref == null || ref.inst.destroyed) return;
        Instance inst = ref.inst;
        if (ref.kind == TimerKind.KILL) {
            inst.killTimer = 0;
            int pid = inst.pid[Phase.MAIN.ordinal()];
            if (inst.state == JobState.KILLED && pid > 0) {
                out.log("Sending KILL signal to " + inst.displayName() + " main process (" + pid + ")");
                signalMain(inst, Signal.KILL);
            }
        } else if (inst.state == JobState.SPAWNED && t.timer() == inst.probeTimer) {
            inst.probeTimer = 0;
            if (inst.job.ready() instanceof Readiness.Notify) readyTimedOut(inst);
        } else {
            inst.probeTimer = 0;
            if (inst.state == JobState.POST_START && inst.probing) {
                probeFailed(inst, "no answer within " + dev.ordo.planner.model.Timespan.format(probeTimeout(inst)));
            }
        }
    }

    private static Duration probeTimeout(Instance inst) {
        Readiness r = inst.job.ready();
        Duration d = null;
        if (r instanceof Readiness.Tcp t) d = t.timeout();
        else if (r instanceof Readiness.Exec e) d = e.timeout();
        else if (r instanceof Readiness.Log l) d = l.timeout();
        return d == null ? Readiness.DEFAULT_TIMEOUT : d;
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
