package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.Argv;
import dev.ordo.executor.posix.Follow;
import dev.ordo.executor.posix.ProcessEvent;
import dev.ordo.executor.posix.SpawnRequest;
import dev.ordo.executor.posix.Stdio;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Signal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The engine's {@code StartProbe} and {@code StopProbe} effects: readiness by TCP connect, by a command
 * that exits 0 ({@code ready: {exec: …}}, run through the process table with negative tags), or by a
 * line in the output ({@code ready: {log: …}}). Each probe that succeeds is fed to the engine as
 * {@code Ready}. Loop thread only, as these were when they were the supervisor's fields; the TCP probes,
 * timers and the output pipes' thread (log probes) hand their news to the loop.
 */
final class ReadinessProbes {

    /** How long a failed {@code ready: {exec: …}} command waits before it runs again. */
    static final long EXEC_PROBE_RETRY_MILLIS = 500;

    private final Supervisor sup;
    private final TcpProbes probes;
    final LogProbes logProbes = new LogProbes();
    /** Exec probes by key: the running one (identity matters, a stopped probe's process may still end). */
    private final Map<String, ExecProbe> execProbes = new HashMap<>();
    private final Map<String, List<String>> mainEnv = new HashMap<>();
    /** Probe commands are spawned with negative tags (the engine's are positive) and never reach the engine. */
    private final Map<Long, ExecProbe> probeTags = new HashMap<>();
    private final Map<Integer, ExecProbe> probePids = new HashMap<>();
    private long lastProbeTag;

    ReadinessProbes(Supervisor supervisor, ScheduledExecutorService scheduler) {
        this.sup = supervisor;
        this.probes = new TcpProbes(scheduler);
    }

    /** The main process's environment, for an exec probe's command (it runs as the job would). */
    void mainEnv(String jobKey, List<String> env) {
        mainEnv.put(jobKey, env);
    }

    /** Begins a log probe's watch before the main process starts; false if its pattern is not a regex. */
    boolean watchLog(Effect.Spawn s, Readiness.Log l) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(l.pattern());
        } catch (PatternSyntaxException e) {
            sup.log(ConsoleOutput.label(s.job(), s.instance()) + ": the log readiness pattern is not a regular expression ("
                    + e.getDescription() + "); it will time out");
            return false;
        }
        String jobKey = Supervisor.key(s.job(), s.instance());
        logProbes.watch(jobKey, pattern, () -> sup.submit(() -> sup.feed(new Input.Ready(s.job(), s.instance()))));
        return true;
    }

    void startProbe(Effect.StartProbe p) {
        String jobKey = Supervisor.key(p.job(), p.instance());
        if (p.probe() instanceof Readiness.Tcp tcp) {
            probes.start(jobKey, tcp, k -> sup.submit(() -> sup.feed(new Input.Ready(p.job(), p.instance()))));
        } else if (p.probe() instanceof Readiness.Exec x) {
            List<String> env = mainEnv.getOrDefault(jobKey, List.of("PATH=" + Argv.DEFAULT_PATH));
            ExecProbe probe = new ExecProbe(p.job(), p.instance(), Argv.argv(x.command()), env);
            execProbes.put(jobKey, probe);
            runProbe(probe);
        } else if (p.probe() instanceof Readiness.Log) {
            logProbes.activate(jobKey);
        } else {
            sup.log(ConsoleOutput.label(p.job(), p.instance()) + ": the " + p.probe().mode()
                    + " readiness probe is not supported by ordo run yet; it will time out");
        }
    }

    void stopProbe(String jobKey) {
        probes.stop(jobKey);
        logProbes.stop(jobKey);
        ExecProbe x = execProbes.remove(jobKey);
        if (x != null && x.pid > 0) sup.processes.kill(x.pid, true, Signal.KILL);
    }

    /** A {@code ready: {exec: …}} probe: its command runs until it exits 0, again every 500 ms. */
    private static final class ExecProbe {
        final String job;
        final String instance;
        final List<String> argv;
        final List<String> env;
        int pid;

        ExecProbe(String job, String instance, List<String> argv, List<String> env) {
            this.job = job;
            this.instance = instance;
            this.argv = argv;
            this.env = env;
        }
    }

    private boolean probeActive(ExecProbe x) {
        return execProbes.get(Supervisor.key(x.job, x.instance)) == x;
    }

    private void runProbe(ExecProbe x) {
        if (!probeActive(x)) return;
        long tag = --lastProbeTag;
        probeTags.put(tag, x);
        // Through the process table like any job process (never ProcessBuilder: its children would lose
        // their exit status to our reaper). The outcome comes back as an event and is taken by probeEvent.
        sup.processes.spawn(new SpawnRequest(tag, x.argv, x.env, null, Stdio.DISCARD, Follow.NONE, null));
    }

    /** Takes the events of probe commands; true if {@code e} was one. */
    boolean probeEvent(ProcessEvent e) {
        if (e instanceof ProcessEvent.Launched s && s.tag() < 0) {
            ExecProbe x = probeTags.remove(s.tag());
            if (x != null) {
                x.pid = s.pid();
                probePids.put(s.pid(), x);
            }
            return true;
        } else if (e instanceof ProcessEvent.LaunchFailed f && f.tag() < 0) {
            ExecProbe x = probeTags.remove(f.tag());
            // It will not start the next time either: the engine's timeout fails the job.
            if (x != null && probeActive(x)) {
                sup.log(ConsoleOutput.label(x.job, x.instance) + ": the exec readiness probe cannot run: " + f.reason());
            }
            return true;
        } else if (e instanceof ProcessEvent.Reaped x && probePids.containsKey(x.pid())) {
            ExecProbe p = probePids.remove(x.pid());
            p.pid = 0;
            if (!probeActive(p)) return true;
            if (x.status().equals(dev.ordo.planner.model.ExitStatus.code(0))) {
                execProbes.remove(Supervisor.key(p.job, p.instance));
                sup.feed(new Input.Ready(p.job, p.instance));
            } else if (!sup.done) {
                sup.scheduler.schedule(() -> sup.submit(() -> runProbe(p)), EXEC_PROBE_RETRY_MILLIS, TimeUnit.MILLISECONDS);
            }
            return true;
        }
        return false;
    }

    void close() {
        probes.close();
    }
}
