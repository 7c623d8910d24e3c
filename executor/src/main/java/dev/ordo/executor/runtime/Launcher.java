package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.ControlGroups;
import dev.ordo.executor.posix.Follow;
import dev.ordo.executor.posix.OutputPipe;
import dev.ordo.executor.posix.ProcessMark;
import dev.ordo.executor.posix.SpawnRequest;
import dev.ordo.executor.posix.SpawnResult;
import dev.ordo.executor.posix.Stdio;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.OutputTarget;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The engine's {@code Spawn} effect: where a job process's output goes (its log, a pipe to the
 * supervisor's output with the job's name, or nowhere), the log probe's watch that must begin before it
 * starts, its notify socket, and the spawn through the process table. Loop thread only, as these were
 * when they were the supervisor's; the output pipes are read by a thread of their own ({@code OutputPipes}).
 */
final class Launcher {

    /** The job instance a notify socket stands for. */
    record Key(String job, String instance) {
    }

    private final Supervisor sup;
    private final ConsoleOutput console;
    private final Map<String, Key> notifyKeys = new HashMap<>();
    /** {@code ORDO_SUPERVISOR}: the state directory, as the kernel names it (links resolved). */
    private final String supervisorMark;

    Launcher(Supervisor supervisor, ConsoleOutput console) {
        this.sup = supervisor;
        this.console = console;
        this.supervisorMark = realPath(supervisor.files().dir());
    }

    private static String realPath(java.nio.file.Path dir) {
        try {
            return dir.toRealPath().toString();
        } catch (IOException e) {
            return dir.toAbsolutePath().normalize().toString();
        }
    }

    /** The {@code ORDO_SUPERVISOR} value of this supervisor's processes (and of its predecessors' on this directory). */
    String supervisorMark() {
        return supervisorMark;
    }

    /**
     * Whether a READY=1 from {@code sender} counts for the instance: its main process (NotifyAccess=main, a
     * daemon that dropped privileges after the socket was given), or a process it started itself or that shares
     * its group or session (systemd-notify run from the main process's script). The socket may be reachable by
     * other users, since a daemon such as dbus-daemon changes its user before it says it is ready.
     */
    boolean fromTheJob(Key k, int sender) {
        if (sender <= 0) return false;
        Integer main = sup.engine.instance(k.job(), k.instance()).map(v -> v.pids().get(Phase.MAIN)).orElse(null);
        if (main == null || main <= 0) return false;
        if (sender == main) return true;
        dev.ordo.executor.posix.ProcStat s = dev.ordo.executor.posix.ProcStat.read(sender);
        dev.ordo.executor.posix.ProcStat m = dev.ordo.executor.posix.ProcStat.read(main);
        // A sender already gone cannot be looked at: systemd-notify run by an unprivileged service sends with its
        // own pid (the kernel refuses it its parent's) and exits at once. It is taken, as it was before this check.
        if (s == null || m == null) return true;
        boolean ok = s.ppid() == main || s.pgrp() == m.pgrp() || s.session() == m.session();
        if (!ok) sup.log(ConsoleOutput.label(k.job(), k.instance()) + ": READY=1 from process " + sender + ", which is not the job's; ignored");
        return ok;
    }

    /** The job instance whose notify socket has {@code key}, or null. */
    Key notifyKey(String key) {
        return notifyKeys.get(key);
    }

    /**
     * The least time between two starts of one instance's main process (systemd's default
     * {@code RestartSec=}, 100 ms; runit waits 1 s): a job that dies at once and respawns without limit
     * ran 800 times a second, and filled the history with it. Not a rule of order, only pace: a start
     * that comes sooner is carried out when the time is up, and what the engine decided meanwhile (a
     * stop) meets the process then, as it would meet a slow exec.
     */
    static final long RESPAWN_PACE_NANOS = 100_000_000L;

    private final Map<String, Long> lastMainSpawn = new HashMap<>();

    /** On the loop thread: carries out one {@code Spawn} effect, a main process no sooner than its pace allows. */
    void spawn(Effect.Spawn s) {
        if (s.phase() == Phase.MAIN) {
            String key = Supervisor.key(s.job(), s.instance());
            long now = System.nanoTime();
            Long last = lastMainSpawn.get(key);
            long wait = last == null ? 0 : RESPAWN_PACE_NANOS - (now - last);
            if (wait > 0 && !sup.done) {
                lastMainSpawn.put(key, now + wait);
                sup.scheduler.schedule(() -> sup.submit(() -> start(s)), wait, TimeUnit.NANOSECONDS);
                return;
            }
            lastMainSpawn.put(key, now);
        }
        start(s);
    }

    private void start(Effect.Spawn s) {
        boolean main = s.phase() == Phase.MAIN;
        String jobKey = Supervisor.key(s.job(), s.instance());
        ProcessLaunch command;
        try {
            command = ProcessLaunch.of(s);
        } catch (ProcessLaunch.Refused e) {
            sup.processes.refuse(s.process(), e.getMessage());
            return;
        }
        // An exec probe runs with the main process's environment, not its mark: it is ordo's, not the job's.
        if (main && s.ready() instanceof Readiness.Exec) sup.readiness.mainEnv(jobKey, command.env());
        ProcessMark mark = new ProcessMark(supervisorMark, s.job(), s.instance(), s.phase(), invocation(s, jobKey));
        command = command.withVariables(mark.variables());
        boolean logProbe = main && s.ready() instanceof Readiness.Log l && sup.readiness.watchLog(s, l);
        Stdio stdio;
        List<OutputSink> sinks = new ArrayList<>();
        OutputPipe pipe = null;
        if (s.fds().stdout() && s.fds().stderr()) {
            stdio = Stdio.DISCARD; // all its output goes to its connection: no log of its own for each connection
        } else {
            sinks.addAll(sinks(s.job(), s.instance(), s.console()));
            if (logProbe) sinks.add(sup.readiness.logProbes.sink(jobKey));
            // console: owner writes straight onto the supervisor's own output, unprefixed.
            stdio = s.console() == Console.OWNER ? Stdio.fd(1) : Stdio.DISCARD;
            if (!sinks.isEmpty()) {
                try {
                    pipe = OutputPipe.open();
                    stdio = Stdio.fd(pipe.writeEnd());
                } catch (IOException e) {
                    sup.log("cannot make a pipe for " + ConsoleOutput.label(s.job(), s.instance()) + ": " + e.getMessage());
                    sinks.forEach(OutputSink::close);
                    if (s.console() == Console.OUTPUT) stdio = Stdio.fd(1);
                }
            }
        }
        stdio = streams(command.resources(), stdio);
        SpawnRequest r = new SpawnRequest(s.process(), command.argv(), command.env(), command.resources(), stdio,
                main ? Follow.of(s.ready()) : Follow.NONE, null, command.program());
        if (main && s.ready() instanceof Readiness.Forking f && f.pidFile() != null) r = r.withPidFile(f.pidFile());
        if (!s.fds().none()) r = r.withFds(sup.sockets.fds(s.fds()));
        // A cgroup for each start of a job whose stop reaches all its processes (systemd units by default): the others
        // keep Upstart's process group, and their processes skip the shell that joins one.
        dev.ordo.planner.model.Job job = sup.jobs.get(s.job());
        if (job != null && job.kill().mode().marksProcesses()) r = r.in(new SpawnRequest.UnitStart(jobKey, mark.invocation()));
        if (main && s.ready() instanceof Readiness.Notify) {
            String key = Supervisor.key(s.job(), s.instance());
            notifyKeys.put(key, new Key(s.job(), s.instance()));
            r = r.withNotify(key);
        }
        // The outcome also comes through the listener, before anything else about the process: the engine
        // hears it from there, exactly once.
        SpawnResult result = sup.processes.spawn(r);
        if (pipe != null) {
            pipe.closeWriteEnd();
            if (result instanceof SpawnResult.Started) {
                sup.outputs.watch(pipe, new ProcessOutput(sinks));
            } else {
                pipe.close();
                sinks.forEach(OutputSink::close);
            }
        }
        if (result instanceof SpawnResult.Failed f && System.getenv("ORDO_DEBUG") != null) sup.log("spawn: " + f.reason());
    }

    /**
     * Where a process's output goes besides a readiness probe: its instance's log (a {@link LogStream} of its
     * own into the shared file) or the supervisor's output after the job's name; none for {@code console: none}
     * and {@code owner}.
     */
    private List<OutputSink> sinks(String job, String instance, Console console) {
        if (console == Console.OUTPUT) return List.of(this.console.sink(job, instance));
        if (console != Console.LOG) return List.of();
        try {
            return List.of(new LogStream(sup.logs.open(job, instance)));
        } catch (IOException e) {
            sup.log("cannot open the log of " + ConsoleOutput.label(job, instance) + ": " + e.getMessage()
                    + "; its output is discarded");
            return List.of();
        }
    }

    /**
     * Each instance's current start: its INVOCATION_ID, which every process of the start carries (systemd's
     * is random too). A stop of a job whose kill mode reaches every process of it
     * ({@link dev.ordo.planner.model.KillMode#marksProcesses()}) finds them by it; a supervisor started after a
     * crash finds every job's by it ({@link ProcessMark}).
     */
    private final Map<String, String> invocations = new HashMap<>();
    private final java.security.SecureRandom random = new java.security.SecureRandom();

    /**
     * The invocation of the start this process belongs to. A start begins with the first line of its first
     * process ({@link #firstOfStart}); a restart is a new start.
     */
    private String invocation(Effect.Spawn s, String jobKey) {
        dev.ordo.planner.model.Job job = sup.jobs.get(s.job());
        boolean first = job != null && s.line() == 0 && s.phase() == firstOfStart(job);
        if (first || !invocations.containsKey(jobKey)) {
            invocations.put(jobKey, String.format("%016x%016x", random.nextLong(), random.nextLong()));
        }
        return invocations.get(jobKey);
    }

    /** The invocation of the instance's current start, or null when it has none yet. */
    String invocation(String job, String instance) {
        return invocations.get(Supervisor.key(job, instance));
    }

    /** An adopted instance's start goes on: its processes keep the invocation they were given. */
    void adopted(String job, String instance, String invocation) {
        if (invocation != null) invocations.put(Supervisor.key(job, instance), invocation);
    }

    /** The phase a start of {@code job} runs first: its condition process, pre-start or main, the first it has. */
    static Phase firstOfStart(dev.ordo.planner.model.Job job) {
        for (Phase p : new Phase[] {Phase.CONDITION, Phase.PRE_START}) if (job.processes().containsKey(p)) return p;
        return Phase.MAIN;
    }

    /** The engine's {@code SignalUnit}: the main process and its group, then every process of the start. */
    void signalUnit(Effect.SignalUnit u) {
        String jobKey = Supervisor.key(u.job(), u.instance());
        if (u.group() > 0) sup.processes.kill(u.group(), true, u.signal());
        if (u.pid() > 0) sup.processes.kill(u.pid(), false, u.signal());
        String mark = invocations.get(jobKey);
        if (mark == null) return;
        int n = signalStart(jobKey, mark, u.signal());
        if (u.pid() == 0 && n > 0) {
            sup.log(ConsoleOutput.label(u.job(), u.instance()) + ": " + n + " process(es) left by its stop got SIG" + u.signal().name());
        }
        if (u.last() != null && n > 0) {
            // Only this start's processes: a new start has a new mark by then.
            sup.scheduler.schedule(() -> sup.submit(() -> {
                int k = signalStart(jobKey, mark, u.last());
                if (k > 0) sup.log(ConsoleOutput.label(u.job(), u.instance()) + ": " + k + " process(es) still there got SIG" + u.last().name());
            }), u.lastAfterMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * {@code signal} to every process of one start: those in its cgroup where ordo made one, else those that carry its
     * mark (a process that cleared its environment escapes the mark, never the cgroup).
     */
    private int signalStart(String jobKey, String mark, dev.ordo.planner.model.Signal signal) {
        ControlGroups groups = sup.processes.groups();
        if (groups.active() && !groups.pids(jobKey, mark).isEmpty()) return groups.signal(jobKey, mark, signal);
        return sup.processes.signalMarked("INVOCATION_ID=" + mark, signal);
    }

    /**
     * {@code StandardOutput=} and {@code StandardError=} over where the job's console sends its output: a file or
     * /dev/null for either stream, the job's log (or console) for what names the journal.
     */
    static Stdio streams(Resources res, Stdio console) {
        if (res.output() == null && res.error() == null) return console;
        Stdio out = res.output() == null ? console : stream(res.output(), console);
        Stdio err = res.error() == null ? null : stream(res.error(), console);
        if (console instanceof Stdio.Discard && out instanceof Stdio.Discard && err == null) return console;
        return new Stdio.Split(out, err);
    }

    private static Stdio stream(OutputTarget t, Stdio console) {
        return switch (t.kind()) {
            case JOB_LOG -> console;
            case DISCARD -> Stdio.DISCARD;
            case FILE -> new Stdio.ToFile(Path.of(t.path()), Stdio.FileMode.OVERWRITE);
            case APPEND -> new Stdio.ToFile(Path.of(t.path()), Stdio.FileMode.APPEND);
            case TRUNCATE -> new Stdio.ToFile(Path.of(t.path()), Stdio.FileMode.TRUNCATE);
        };
    }

    /**
     * An adopted instance's output, after a crash: its main process's stdout pipe lost its reader with the old
     * supervisor, and is given one again here, into the instance's log or onto the supervisor's output as its
     * {@code console} says. Nothing when its stdout is not such a pipe.
     */
    void takeUpOutput(String job, String instance, int pid, Console console) {
        List<OutputSink> sinks = sinks(job, instance, console);
        if (sinks.isEmpty()) return;
        OutputPipe pipe = OutputPipe.ofStdout(pid);
        if (pipe == null) {
            sinks.forEach(OutputSink::close);
            return;
        }
        sup.outputs.watch(pipe, new ProcessOutput(sinks));
    }
}
