package dev.ordo.executor.runtime;

import dev.ordo.executor.control.ControlServer;
import dev.ordo.executor.control.Responder;
import dev.ordo.executor.posix.Dispositions;
import dev.ordo.executor.posix.OutputPipes;
import dev.ordo.executor.posix.ProcessEvent;
import dev.ordo.executor.posix.Processes;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.engine.Engine;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.engine.SkipPolicy;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code ordo run}: the engine made a supervisor. One loop thread owns the engine; everything that
 * happens (a process event from the reaper, a request from the control socket, a timer, a signal) is
 * queued to it as a task, and the loop carries out the effects the engine answers with, in order:
 * processes spawned and signalled, timers armed, replies sent, boot progress and the state file written.
 *
 * <p>Start it with {@link #start}; it has booted (emitted {@code startup}) when that returns, and it
 * ends after an ordered shutdown ({@link #shutdown}, SIGTERM, SIGINT, {@code ordo shutdown}).
 *
 * <p>The loop, the state file and the end are here; the effects and inputs with reasons of
 * their own are carried out by parts that live on the loop thread too: {@link Launcher} (spawns),
 * {@link ReadinessProbes}, {@link Adoption} (after a crash), {@link CommandIntake} (control requests),
 * {@link ReloadStep}, {@link LoopTimers} and {@link SocketUnits}.
 */
public final class Supervisor {

    /** The engine request number of the supervisor's own shutdown command (clients' numbers are positive). */
    private static final long OWN_SHUTDOWN = -1;
    /** How long state changes gather before the state file is written once for all of them. */
    static final long STATE_DEBOUNCE_MILLIS = 100;
    /** How long an unfinished line waits in a log for the rest of it before it is written as it is. */
    static final Duration LINE_WAIT = Duration.ofMillis(100);
    /**
     * At the end, how long the output of the stopped jobs is still read, and the supervisor's own output waits
     * for its reader: their pipes end as soon as their processes are gone, unless something they left runs on.
     */
    static final Duration OUTPUT_DRAIN = Duration.ofSeconds(1);

    /**
     * What becomes of the main processes a previous supervisor left running when it died (found through
     * its {@code state.json}, pid and start time): {@code --orphans adopt|stop}.
     */
    public enum Orphans {
        /** The jobs are taken to be running with them; the boot does not start them again. */
        ADOPT,
        /** Each is stopped (TERM to its group, KILL after the job's kill timeout); the boot starts it fresh. */
        STOP
    }

    final SupervisorSettings options;
    private final StateFiles files;
    private final SupervisorLock lock;
    /** The configuration in force: the one started with, then the last one reloaded. Loop thread only. */
    Config config;
    /** Its jobs, and removed ones still stopping (their logs and kill timeouts still count). */
    Map<String, Job> jobs;
    final LogFiles logs;
    final PendingReplies pending = new PendingReplies();
    private final BlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    final ScheduledExecutorService scheduler;
    final ReadinessProbes readiness;
    final StateFile stateFile;
    private final StateWriter stateWriter;
    final BootProgress progress;
    private final HistoryLog history;
    private final ConsoleOutput console;
    /** Reads every output pipe; made when the supervisor opens. */
    OutputPipes outputs;
    private final Instant started = Instant.now();
    private final CountDownLatch exited = new CountDownLatch(1);
    /** When the first SIGINT came (System.nanoTime), or 0. */
    private final java.util.concurrent.atomic.AtomicLong firstInterrupt = new java.util.concurrent.atomic.AtomicLong();
    final Launcher launcher;
    private final Adoption adoption = new Adoption(this);
    private final CommandIntake intake = new CommandIntake(this);
    final ReloadStep reloadStep = new ReloadStep(this);
    private final ConditionTests conditions = new ConditionTests(MachineFacts.live());
    final SocketUnits sockets = new SocketUnits(this);

    // Owned by the loop thread.
    Engine engine;
    Processes processes;
    private ControlServer server;
    private Thread loop;
    private final LoopTimers timers = new LoopTimers(this);
    /** What state.json keeps of each main process; the table is there once the loop runs. */
    final MainProofs proofs = new MainProofs(pid -> processes == null ? null : processes.identity(pid));
    private final List<Responder> shutdownWaiters = new ArrayList<>();
    boolean shutdownSent;
    private boolean stateScheduled;
    volatile boolean done;
    private volatile int exitStatus = -1;

    private Supervisor(SupervisorSettings options, Config config, StateFiles files, SupervisorLock lock) {
        this.options = options;
        this.config = config;
        this.files = files;
        this.lock = lock;
        this.jobs = config.byName();
        this.console = new ConsoleOutput(options.out(), options.colour());
        this.logs = new LogFiles(files.logs(), options.logRotation(), this::log);
        this.stateFile = new StateFile(files.state());
        this.stateWriter = new StateWriter(stateFile, this::log);
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "ordo-timers");
            t.setDaemon(true);
            return t;
        });
        s.setRemoveOnCancelPolicy(true);
        this.scheduler = s;
        this.readiness = new ReadinessProbes(this, scheduler);
        this.launcher = new Launcher(this, console);
        this.history = new HistoryLog(files.history(), options.logRotation(), this::log);
        this.progress = new BootProgress(this::print, options.colour(),
                job -> jobs.containsKey(job) && jobs.get(job).task(), history);
    }

    /**
     * Takes the state directory, opens the control socket and the process table, and boots
     * {@code config} (which must have no errors) by emitting {@code startup}.
     *
     * @throws SupervisorLock.InUse when another supervisor holds the state directory
     * @throws IOException when the state directory or the socket cannot be set up
     */
    public static Supervisor start(Config config, SupervisorSettings options) throws IOException {
        StateFiles files = new StateFiles(options.stateDir()).prepare();
        SupervisorLock lock = SupervisorLock.acquire(files);
        Supervisor s = new Supervisor(options, config, files, lock);
        try {
            s.open();
        } catch (IOException | RuntimeException e) {
            s.closeAll();
            throw e;
        }
        return s;
    }

    private void open() throws IOException {
        engine = new Engine(config.jobs(), () -> System.nanoTime() / 1_000_000, System.getenv(), bootJobs(config),
                SkipPolicy.supervisor(ProcessHandle.current().pid() == 1, options.earlyBoot()));
        List<Input.Command> goal = goalCommands(config, options.goal());
        Path runtime = files.dir().resolve("run");
        Files.createDirectories(runtime);
        outputs = OutputPipes.start(LINE_WAIT, this::log);
        processes = Processes.open(runtime, e -> submit(() -> processEvent(e)));
        server = ControlServer.start(files.socket(), (request, responder) -> submit(() -> intake.request(request, responder)),
                ControlServer.Limits.defaults(), this::log);
        loop = new Thread(this::loop, "ordo-loop");
        submit(() -> {
            log("running as pid " + ProcessHandle.current().pid() + ", " + jobs.size() + " jobs, state in " + files.dir());
            adoption.recover();
            carry(engine.boot(goal));
        });
        loop.start();
    }

    /**
     * The plan's boot set (its steps and what a deadlock keeps from starting, without the jobs a
     * requisite refuses): until the boot is over the engine orders against them, and decides a
     * requisite on them as the plan does.
     */
    Set<String> bootJobs(Config config) {
        return Planner.bootSet(config, new Planner.Request(options.goal(), java.util.Map.of()));
    }

    /**
     * The goal as the engine's commands, resolved as the plan resolves it (aliases to unit names, and
     * default.target for systemd units when no job is named), so that {@code ordo run} boots what
     * {@code ordo plan} shows. Internal request ids are negative: no client waits on their replies.
     */
    static List<Input.Command> goalCommands(Config config, Goal goal) {
        Goal resolved = Planner.resolve(config, goal);
        List<Input.Command> out = new ArrayList<>();
        long id = -1000;
        for (Goal.GoalEvent e : resolved.events()) {
            out.add(Input.Command.emit(id--, e.name(), e.env().toArray(String[]::new)).noWait());
        }
        for (String job : resolved.jobs()) out.add(Input.Command.start(id--, job).noWait());
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // From other threads

    /** Stops every job in the shutdown order, then the supervisor (SIGTERM, and the first SIGINT). */
    public void shutdown() {
        submit(() -> shutdown(null));
    }

    /**
     * SIGINT: the first is {@link #shutdown}; one more, a moment later, kills every process group now and
     * ends with 1. Two that come together ({@code timeout -s INT}, or a terminal's Ctrl-C sent to a whole
     * process group) are one Ctrl-C: an ordered stop, never the kill.
     */
    public void interrupt() {
        long now = System.nanoTime();
        if (firstInterrupt.compareAndSet(0, now)) {
            shutdown();
        } else if (now - firstInterrupt.get() >= INTERRUPT_MOMENT_NANOS) {
            submit(this::killAll);
        } else {
            submit(() -> log("interrupt again within " + INTERRUPT_MOMENT_NANOS / 1_000_000 + " ms: the same Ctrl-C, still"
                    + " stopping in order"));
        }
    }

    /** Two interrupts closer than this are one. */
    static final long INTERRUPT_MOMENT_NANOS = 1_000_000_000L;

    /** SIGUSR1: reopen every log file by name. */
    public void reopenLogs() {
        submit(() -> logs.reopenAll(this::log));
    }

    /** SIGHUP: read and check the configuration again. */
    public void reload() {
        submit(() -> reloadStep.reload(null));
    }

    /** Waits until the supervisor has ended and returns its exit status (0 after an ordered shutdown). */
    public int awaitExit() throws InterruptedException {
        exited.await();
        return exitStatus;
    }

    /** Waits at most {@code millis}; the exit status, or -1 if it is still running. */
    public int awaitExit(long millis) throws InterruptedException {
        exited.await(millis, TimeUnit.MILLISECONDS);
        return exitStatus;
    }

    /** How many times the output pipes' thread has woken (tests: never while no job writes). */
    long outputRounds() {
        return outputs == null ? 0 : outputs.rounds();
    }

    /** The state directory's files. */
    public StateFiles files() {
        return files;
    }

    /**
     * Routes TERM, INT, HUP and USR1 of this JVM to the supervisor (docs/notes/jvm-posix.md §9). Only for a
     * supervisor that is the whole process: it replaces the JVM's own handling of these signals.
     */
    @SuppressWarnings("removal")
    public void handleSignals() {
        // INT and HUP ignored at launch (nohup, `&`) would stay ignored: the JVM installs no handler over SIG_IGN.
        for (Signal s : List.of(Signal.TERM, Signal.INT, Signal.HUP)) Dispositions.resetSignal(s.number());
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), s -> shutdown());
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), s -> interrupt());
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reload());
        sun.misc.Signal.handle(new sun.misc.Signal("USR1"), s -> reopenLogs());
    }

    void submit(Runnable task) {
        if (!done) queue.add(task);
    }

    // ---------------------------------------------------------------------------------------------
    // The loop

    private void loop() {
        while (!done) {
            Runnable task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            try {
                task.run();
            } catch (RuntimeException | StackOverflowError e) {
                // A bug must not take every job's supervisor down with it: say so and go on. A stack
                // overflow unwinds to here whole (the input that caused it is lost, not the loop).
                log("internal error: " + e);
                if (System.getenv("ORDO_DEBUG") != null) e.printStackTrace(options.out());
            } catch (Error e) {
                // Out of memory or worse: the loop cannot be trusted to go on. Never headless: save the
                // state (a restart adopts the jobs, which keep running) and exit, so that whatever
                // supervises ordo sees it.
                try {
                    log("fatal: " + e + "; exiting, the jobs keep running and a restart adopts them");
                } finally {
                    finish(70);
                }
            }
            // The start durations gathered since the loop was last idle, handed to their writer at once.
            if (queue.isEmpty()) history.flush();
        }
    }

    void feed(Input input) {
        carry(engine.handle(input));
    }

    void carry(List<Effect> effects) {
        for (Effect e : effects) carry(e);
    }

    /** One effect; none once the supervisor has ended (the scheduler is shut down then). */
    private void carry(Effect e) {
        if (done) return;
        options.trace().accept(e);
        if (e instanceof Effect.Spawn s) launcher.spawn(s);
        else if (e instanceof Effect.SendSignal k) kill(k.pid(), k.group(), k.signal());
        else if (e instanceof Effect.SignalUnit u) launcher.signalUnit(u);
        else if (e instanceof Effect.ArmTimer t) timers.arm(t);
        else if (e instanceof Effect.CancelTimer t) timers.cancel(t.timer());
        else if (e instanceof Effect.StartProbe p) readiness.startProbe(p);
        else if (e instanceof Effect.StopProbe p) readiness.stopProbe(key(p.job(), p.instance()));
        else if (e instanceof Effect.TestConditions t) conditions.start(t, in -> submit(() -> feed(in)));
        else if (e instanceof Effect.SocketEffect k) sockets.carry(k);
        else if (e instanceof Effect.Skipped k) progress.skipped(k.job(), k.instance());
        else if (e instanceof Effect.Reply r) reply(r);
        else if (e instanceof Effect.LogLine l) log(l.line());
        else if (e instanceof Effect.EventEmitted ev) progress.event(ev.name(), ev.env(), System.nanoTime());
        else if (e instanceof Effect.StateChanged c) {
            // A job that has stopped: its runtime directories go, as systemd removes them.
            if (c.state() == JobState.WAITING && c.goal() == JobGoal.STOP) ServiceDirectories.stopped(jobs.get(c.job()), this::log);
            stateChanged();
        }
        // EventTaken, EventFinished: the engine's own bookkeeping
    }

    private void kill(int pid, boolean group, Signal signal) {
        if (!adoption.kill(pid, group, signal)) processes.kill(pid, group, signal);
    }

    private void processEvent(ProcessEvent e) {
        if (readiness.probeEvent(e)) return;
        if (e instanceof ProcessEvent.Launched s) {
            feed(new Input.Spawned(s.tag(), s.pid()));
            stateChanged();
        } else if (e instanceof ProcessEvent.LaunchFailed f) {
            feed(new Input.SpawnFailed(f.tag(), f.reason()));
        } else if (e instanceof ProcessEvent.Reaped x) {
            proofs.forget(x.pid());
            feed(new Input.Exited(x.pid(), x.status()));
        } else if (e instanceof ProcessEvent.Halted s) {
            feed(new Input.Stopped(s.pid()));
        } else if (e instanceof ProcessEvent.LeftChild f) {
            feed(new Input.Forked(f.pid(), f.child()));
        } else if (e instanceof ProcessEvent.Note n) {
            log(n.text());
        } else if (e instanceof ProcessEvent.NotifyReady r) {
            Launcher.Key k = launcher.notifyKey(r.key());
            if (k != null && launcher.fromTheJob(k, r.sender())) feed(new Input.Ready(k.job(), k.instance()));
        }
        // Status and MainPid: not used by the engine yet.
    }

    static String key(String job, String instance) {
        String f = LogFiles.fileName(job, instance);
        return f.substring(0, f.length() - ".log".length());
    }

    private void reply(Effect.Reply r) {
        if (r.request() == OWN_SHUTDOWN) {
            log("shutdown complete");
            finish(0);
        } else {
            pending.answer(r);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    void shutdown(Responder responder) {
        if (responder != null) shutdownWaiters.add(responder);
        if (shutdownSent) return;
        shutdownSent = true;
        log("shutting down");
        feed(Input.Command.shutdown(OWN_SHUTDOWN));
    }

    // ---------------------------------------------------------------------------------------------
    // Output and state

    /** Never waits for whoever reads the output: a line that finds the console's queue full is counted, not written. */
    private void print(String line) {
        console.line(line);
    }

    void log(String line) {
        print("ordo: " + line);
    }

    void stateChanged() {
        // After the end the state is written once, by finish; the scheduler is gone.
        if (stateScheduled || done) return;
        stateScheduled = true;
        scheduler.schedule(() -> submit(this::writeState), STATE_DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Hands a snapshot to the writer thread: the loop does not wait for the disk. */
    private void writeState() {
        stateScheduled = false;
        List<SupervisorState.InstanceState> list = new ArrayList<>();
        for (Engine.InstanceSummary v : engine.summaries()) {
            int main = v.mainPid();
            MainProofs.Saved m = main > 0 ? proofs.of(main, v.state(), launcher.invocation(v.job(), v.instance())) : null;
            list.add(new SupervisorState.InstanceState(v.job(), v.instance(), v.goal(), v.state(), main,
                    m == null ? null : m.started(), m == null ? null : m.proof()));
        }
        stateWriter.offer(new SupervisorState(ProcessHandle.current().pid(), started, list));
    }

    // ---------------------------------------------------------------------------------------------
    // The end

    private void killAll() {
        if (done) return;
        log("second interrupt: killing every process now");
        for (Engine.InstanceView v : engine.instances()) {
            for (int pid : v.pids().values()) {
                if (pid <= 0) continue;
                kill(pid, true, Signal.KILL);
                kill(pid, false, Signal.KILL);
            }
        }
        finish(1);
    }

    /** Answers who waited for the shutdown, closes everything, and lets {@link #awaitExit} return. */
    private void finish(int status) {
        if (done) return;
        for (Responder r : shutdownWaiters) r.ok("");
        shutdownWaiters.clear();
        writeState();
        done = true;
        exitStatus = status;
        closeAll();
        exited.countDown();
    }

    private void closeAll() {
        timers.cancelAll();
        readiness.close();
        conditions.close();
        sockets.close();
        adoption.close();
        // What the jobs wrote before they stopped is in their logs (and sent to who follows them), and the start
        // records on the disk, before the lock is let go and awaitExit returns.
        int left = outputs == null ? 0 : outputs.drain(OUTPUT_DRAIN);
        if (left > 0) log(left + " output pipe(s) still open at the end: processes left running hold them; what they write now is lost");
        if (server != null) server.close();
        if (processes != null) processes.close();
        scheduler.shutdownNow();
        history.close(OUTPUT_DRAIN.toMillis());
        try {
            stateWriter.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            lock.close();
        } catch (IOException e) {
            log("cannot release " + files.lock() + ": " + e.getMessage());
        }
        console.close(OUTPUT_DRAIN.toMillis());
    }
}
