package dev.ordo.planner.engine;

import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The processes of an instance (U§1.3-§1.5, Upstart's {@code job_process.c}): spawning them with their
 * environment (U§3.5), what their end means for the instance (respawn, failure, the next state), the
 * runaway check, forks followed and SIGSTOP for {@code expect fork/daemon/stop}, the kill signal with its
 * timeout, and adopting a previous supervisor's main process.
 */
final class JobProcesses {

    private final Engine engine;

    private record ProcessRef(Instance inst, Phase phase) {
    }

    /** systemd's exit status for a command that could not be executed (systemd.exec(5), "Process exit codes"). */
    static final int EXIT_EXEC = 203;

    final Clock clock;
    final Map<Long, ProcessRef> spawning = new HashMap<>();
    final Map<Integer, ProcessRef> pids = new HashMap<>();
    private long nextProcess = 1;

    JobProcesses(Engine engine, Clock clock) {
        this.engine = engine;
        this.clock = clock;
    }

    void run(Instance inst, Phase phase) {
        run(inst, phase, 0);
    }

    private void run(Instance inst, Phase phase, int line) {
        long id = nextProcess++;
        inst.process[phase.ordinal()] = id;
        inst.pid[phase.ordinal()] = 0;
        inst.line[phase.ordinal()] = line;
        spawning.put(id, new ProcessRef(inst, phase));
        Job j = inst.job;
        Process p = j.processes().get(phase);
        engine.out.add(new Effect.Spawn(id, inst.cls.name, inst.name, phase, p, line, spawnEnv(inst, phase),
                phase == Phase.MAIN ? j.ready() : Readiness.NONE, j.resources(), j.console(), engine.sockets.fds(inst, phase)));
    }

    /**
     * The instance's environment, UPSTART_JOB/UPSTART_INSTANCE, and for pre-stop/post-stop the stop
     * environment (U§3.5). A systemd unit's control processes also get {@code MAINPID} while the main
     * process runs (systemd.exec(5), "Environment variables in spawned processes"), which ExecReload= and
     * ExecStop= lines such as {@code /bin/kill -HUP $MAINPID} need.
     */
    private static List<String> spawnEnv(Instance inst, Phase phase) {
        Map<String, String> env = new LinkedHashMap<>(inst.env);
        env.put("UPSTART_JOB", inst.cls.name);
        env.put("UPSTART_INSTANCE", inst.name);
        if ((phase == Phase.PRE_STOP || phase == Phase.POST_STOP) && inst.stopEnv != null) env.putAll(inst.stopEnv);
        int main = inst.pid[Phase.MAIN.ordinal()];
        if (inst.job.unit() != null && phase != Phase.MAIN && main > 0) env.put("MAINPID", Integer.toString(main));
        return Engine.list(env);
    }

    /**
     * Whether a phase's next line runs now that line {@code ended} ended with {@code status}: only after a
     * success (or a failure its {@code -} prefix forgives), and for the start phases only while the goal
     * is still to start (a stop meanwhile ends the sequence, as systemd abandons a start job).
     */
    private boolean runNextLine(Instance inst, Phase phase, ExitStatus status) {
        Process p = inst.job.processes().get(phase);
        int ended = inst.line[phase.ordinal()];
        if (p == null || ended + 1 >= p.lines()) return false;
        if (!succeeded(p, ended, status)) return false;
        boolean startPhase = phase == Phase.CONDITION || phase == Phase.PRE_START || phase == Phase.MAIN
                || phase == Phase.POST_START;
        if (startPhase && inst.goal == JobGoal.STOP) return false;
        run(inst, phase, ended + 1);
        return true;
    }

    private static boolean succeeded(Process p, int line, ExitStatus status) {
        return (status.code() != null && status.code() == 0) || p.ignoresFailure(line);
    }

    private ProcessRef current(long process) {
        ProcessRef r = spawning.remove(process);
        if (r == null) return null;
        if (r.inst.destroyed || r.inst.process[r.phase.ordinal()] != process) return null;
        r.inst.process[r.phase.ordinal()] = 0;
        return r;
    }

    void spawned(Input.Spawned s) {
        ProcessRef r = current(s.process());
        if (r == null) {
            engine.out.log("process " + s.pid() + " belongs to no job, killing it");
            engine.out.add(new Effect.SendSignal(s.pid(), true, Signal.KILL));
            return;
        }
        Instance inst = r.inst;
        inst.pid[r.phase.ordinal()] = s.pid();
        pids.put(s.pid(), r);
        if (r.phase != Phase.MAIN) return;
        inst.mainGroup = s.pid();
        inst.forks = 0;
        if (inst.state == JobState.SPAWNED && (inst.goal == JobGoal.STOP || !inst.job.ready().waitsForSignal())) {
            engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
        }
        if (inst.state == JobState.SPAWNED && inst.goal != JobGoal.STOP && inst.job.ready() instanceof Readiness.Notify n) {
            engine.readiness.armReadyTimeout(inst, n);
        }
    }

    /** A previous supervisor's main process, found alive (issue 5): running, with nothing spawned or emitted. */
    void adopt(Input.Adopt a) {
        JobClass c = engine.registry.byName.get(a.job());
        if (c == null || a.pid() <= 0 || pids.containsKey(a.pid())) {
            String why = c == null ? "no such job" : "already known";
            engine.out.log("cannot adopt process " + a.pid() + " of " + a.job() + ": " + why);
            return;
        }
        Instance inst = engine.registry.instanceOf(c, a.instance());
        if (inst.goal != JobGoal.STOP || inst.state != JobState.WAITING) {
            engine.out.log("cannot adopt process " + a.pid() + " of " + inst.displayName() + ": the instance is already there");
            return;
        }
        inst.env = EnvVar.putAll(new LinkedHashMap<>(c.env), a.env());
        inst.goal = JobGoal.START;
        inst.state = JobState.RUNNING;
        inst.wasUp = inst.adoptedUp = true;
        inst.pid[Phase.MAIN.ordinal()] = a.pid();
        inst.mainGroup = a.pid();
        pids.put(a.pid(), new ProcessRef(inst, Phase.MAIN));
        engine.out.add(engine.out.stateChanged(inst));
    }

    void spawnFailed(Input.SpawnFailed s) {
        ProcessRef r = current(s.process());
        if (r == null) return;
        Instance inst = r.inst;
        engine.out.log("Failed to spawn " + inst.displayName() + " " + r.phase.processName() + " process: " + s.reason());
        if (r.phase == Phase.POST_START || r.phase == Phase.PRE_STOP) {
            terminated(inst, r.phase, ExitStatus.code(0));
            return;
        }
        if (r.phase == Phase.RELOAD || r.phase == Phase.CONDITION) {
            // An ExecCondition= line that cannot run is, to systemd, a process that exits 203: from 1 to 254,
            // so the start is skipped, not failed (the log line above says why).
            terminated(inst, r.phase, ExitStatus.code(EXIT_EXEC));
            return;
        }
        Process p = inst.job.processes().get(r.phase);
        if (p != null && p.ignoresFailure(inst.line[r.phase.ordinal()])) {
            // systemd runs a `-` line whose program is missing as a process that exits 203 (EXIT_EXEC), and
            // the prefix forgives that like any other failure.
            terminated(inst, r.phase, ExitStatus.code(EXIT_EXEC));
            return;
        }
        JobState before = inst.state;
        engine.lifecycle.jobFailed(inst, FailureReason.of(r.phase), null,
                r.phase.processName() + " process could not be started: " + s.reason());
        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        if (!inst.destroyed && inst.state == before) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    void exited(Input.Exited x) {
        ProcessRef r = pids.remove(x.pid());
        if (r == null || r.inst.destroyed || r.inst.pid[r.phase.ordinal()] != x.pid()) return;
        r.inst.pid[r.phase.ordinal()] = 0;
        terminated(r.inst, r.phase, x.status());
    }

    /** What a process's end means for its instance (U§1.4, §1.5; Upstart's job_process_terminated). */
    private void terminated(Instance inst, Phase phase, ExitStatus ended) {
        if (runNextLine(inst, phase, ended)) return;
        Process process = inst.job.processes().get(phase);
        // systemd's `-` prefix: "the exit code ... is recorded, but has no further effect and is considered
        // equivalent to success" (systemd.service(5)).
        ExitStatus status = process != null && process.ignoresFailure(inst.line[phase.ordinal()]) ? ExitStatus.code(0) : ended;
        if (phase == Phase.RELOAD) {
            reloaded(inst, status);
            return;
        }
        if (phase == Phase.CONDITION) {
            engine.startChecks.conditionExited(inst, status);
            return;
        }
        Job j = inst.job;
        boolean nonZero = status.code() == null || status.code() != 0;
        boolean failed = false;
        boolean stop = false;
        boolean advance = true;
        JobState before = inst.state;
        switch (phase) {
            case MAIN -> {
                if (j.ready() instanceof Readiness.UpOnExit && !nonZero && inst.state == JobState.SPAWNED
                        && inst.goal == JobGoal.START) {
                    // Up now, and from now on with no process: systemd's "active (exited)".
                    engine.timers.cancelTimer(inst.killTimer);
                    inst.killTimer = 0;
                    engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
                    return;
                }
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
                            engine.out.log(inst.displayName() + " respawning too fast, stopped");
                            Respawn rs = j.respawn();
                            engine.lifecycle.jobFailed(inst, FailureReason.RESPAWN, null, "respawn limit (" + rs.limit() + " in "
                                    + dev.ordo.planner.model.Timespan.format(rs.interval()) + "), main process "
                                    + Lifecycle.ended(status));
                        } else {
                            engine.out.log(inst.displayName() + " main process ended, respawning");
                            inst.respawnHold = true;
                            engine.timers.cancelTimer(inst.killTimer);
                            if (!advance) {
                                inst.goal = JobGoal.RESPAWN;
                                engine.out.add(engine.out.stateChanged(inst));
                            } else {
                                // From spawned, post-start or running straight to stopping (goal stays start).
                                engine.lifecycle.changeState(inst, JobState.STOPPING);
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
            engine.timers.cancelTimer(inst.killTimer);
            inst.killTimer = 0;
        }
        if (failed) engine.lifecycle.jobFailed(inst, FailureReason.of(phase), status);
        if (stop) {
            if (inst.state == JobState.RUNNING) advance = false;
            engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.FAILURE);
        }
        if (!advance || inst.destroyed || inst.state != before) return;
        if (inst.state == JobState.POST_START && inst.probing && inst.goal == JobGoal.START) return;
        if (inst.state == JobState.POST_START) engine.readiness.stopProbe(inst);
        engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    /**
     * {@code ordo reload} of a job with a reload process (systemd's {@code ExecReload=}): it runs while the
     * job stays as it is, and the command is answered when it ends. A failing reload leaves the job running,
     * as systemd leaves the unit active, and says so.
     */
    void reload(Instance inst, long request) {
        if (inst.running(Phase.RELOAD) || inst.reloadRequest != 0) {
            engine.out.reply(request, false, "Job is already reloading: " + inst.displayName());
            return;
        }
        inst.reloadRequest = request;
        run(inst, Phase.RELOAD);
    }

    private void reloaded(Instance inst, ExitStatus status) {
        long request = inst.reloadRequest;
        inst.reloadRequest = 0;
        boolean ok = status.code() != null && status.code() == 0;
        if (!ok) engine.out.log(inst.displayName() + " reload process " + Lifecycle.ended(status));
        if (request != 0) {
            engine.out.reply(request, ok, ok ? Commands.statusText(inst)
                    : "Job failed to reload: " + inst.displayName() + ": reload process " + Lifecycle.ended(status));
        }
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

    void forked(Input.Forked f) {
        ProcessRef r = pids.get(f.pid());
        if (r == null || r.phase != Phase.MAIN) return;
        Instance inst = r.inst;
        int follow = inst.job.ready().forksFollowed();
        if (inst.state != JobState.SPAWNED || follow == 0) return;
        pids.remove(f.pid());
        pids.put(f.child(), r);
        inst.pid[Phase.MAIN.ordinal()] = f.child();
        inst.forks++;
        if (inst.forks >= follow) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    void mainMoved(Input.MainMoved m) {
        ProcessRef r = pids.get(m.pid());
        if (r == null || r.phase != Phase.MAIN || m.successor() <= 0 || pids.containsKey(m.successor())) return;
        pids.remove(m.pid());
        pids.put(m.successor(), r);
        r.inst.pid[Phase.MAIN.ordinal()] = m.successor();
        // The group stays the launcher's: what it left there is the job's, as after a fork it follows.
        engine.out.add(engine.out.stateChanged(r.inst));
    }

    void stopped(Input.Stopped s) {
        ProcessRef r = pids.get(s.pid());
        if (r == null || r.phase != Phase.MAIN) return;
        Instance inst = r.inst;
        if (inst.state != JobState.SPAWNED || !(inst.job.ready() instanceof Readiness.Stop)) return;
        engine.out.add(new Effect.SendSignal(s.pid(), false, Signal.CONT));
        engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    /**
     * The stop signal to the processes the job's kill mode names, and the final signal when the timer goes
     * off (U§1.3 killed; systemd.kill(5)): Upstart's process group; systemd's whole unit (control-group),
     * the main process then the unit (mixed), the main process alone (process), or nothing (none, which
     * leaves every process running and lets the stop go on). False when nothing is waited for.
     */
    boolean kill(Instance inst) {
        Kill k = inst.job.kill();
        int pid = inst.pid[Phase.MAIN.ordinal()];
        switch (k.mode()) {
            case PROCESS_GROUP -> signalMain(inst, k.signal());
            case CONTROL_GROUP -> {
                signalUnit(inst, k.signal());
                if (k.sendHangup()) signalUnit(inst, Signal.HUP);
            }
            case MIXED, PROCESS -> {
                engine.out.add(new Effect.SendSignal(pid, false, k.signal()));
                if (k.sendHangup()) engine.out.add(new Effect.SendSignal(pid, false, Signal.HUP));
            }
            case NONE -> {
                engine.out.log(inst.displayName() + " main process (" + pid + ") left running: KillMode=none");
                forgetMain(inst);
                return false;
            }
        }
        inst.killTimer = engine.timers.arm(k.timeout(), new Timers.TimerRef(inst, Timers.TimerKind.KILL));
        return true;
    }

    /** The timeout of a stop has passed with the main process still there: the final signal, or giving up on it. */
    void killTimedOut(Instance inst) {
        Kill k = inst.job.kill();
        int pid = inst.pid[Phase.MAIN.ordinal()];
        if (!k.sendFinal()) {
            engine.out.log(inst.displayName() + " main process (" + pid + ") left running: the stop timed out and SendSIGKILL=no");
            abandonMain(inst);
            return;
        }
        engine.out.log("Sending " + k.finalSignal().name() + " signal to " + inst.displayName() + " main process (" + pid + ")");
        switch (k.mode()) {
            case CONTROL_GROUP, MIXED -> signalUnit(inst, k.finalSignal());
            case PROCESS -> engine.out.add(new Effect.SendSignal(pid, false, k.finalSignal()));
            default -> signalMain(inst, k.finalSignal());
        }
    }

    /**
     * What a stopped start of a unit left behind (a child of its main process, a helper of ExecStop=) gets
     * the stop signal and, after the timeout, the final one, as systemd empties the control group; Upstart's
     * mode and process/none leave them.
     */
    void killRemains(Instance inst) {
        Kill k = inst.job.kill();
        if (!k.mode().marksProcesses()) return;
        engine.out.add(new Effect.SignalUnit(inst.cls.name, inst.name, 0, 0, k.signal(),
                k.sendFinal() ? k.finalSignal() : null, k.timeout().toMillis()));
    }

    private void signalUnit(Instance inst, Signal signal) {
        int pid = inst.pid[Phase.MAIN.ordinal()];
        int group = inst.mainGroup > 0 ? inst.mainGroup : pid;
        engine.out.add(new Effect.SignalUnit(inst.cls.name, inst.name, pid, group, signal, null, 0));
    }

    /** Forgets the main process, which goes on running, and lets the stop go on as if it had ended. */
    private void abandonMain(Instance inst) {
        forgetMain(inst);
        if (inst.state == JobState.KILLED) engine.lifecycle.changeState(inst, engine.lifecycle.next(inst));
    }

    /**
     * A process of the start that a stop makes pointless (the condition process, while the instance is still
     * in starting): it gets the stop signal and is forgotten, and what it leaves is swept at the end of the stop
     * ({@link #killRemains}), as systemd stops a unit's control process.
     */
    void abandon(Instance inst, Phase phase) {
        int pid = inst.pid[phase.ordinal()];
        long process = inst.process[phase.ordinal()];
        if (process != 0) spawning.remove(process); // its Spawned, when it comes, finds no job and kills it
        if (pid > 0) {
            pids.remove(pid);
            engine.out.add(new Effect.SendSignal(pid, true, inst.job.kill().signal()));
        }
        inst.pid[phase.ordinal()] = 0;
        inst.process[phase.ordinal()] = 0;
    }

    private void forgetMain(Instance inst) {
        pids.remove(inst.pid[Phase.MAIN.ordinal()]);
        inst.pid[Phase.MAIN.ordinal()] = 0;
        engine.timers.cancelTimer(inst.killTimer);
        inst.killTimer = 0;
    }

    void signalMain(Instance inst, Signal signal) {
        int pid = inst.pid[Phase.MAIN.ordinal()];
        int group = inst.mainGroup > 0 ? inst.mainGroup : pid;
        engine.out.add(new Effect.SendSignal(group, true, signal));
        // A daemon followed through its forks may have left the group: signal it by pid too.
        if (pid != group) engine.out.add(new Effect.SendSignal(pid, false, signal));
    }
}
