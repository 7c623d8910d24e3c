package dev.ordo.planner.engine;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import java.util.ArrayList;
import java.util.List;

/**
 * Goal and state of an instance (U§1, Upstart's {@code job.c}): a goal changes at once, the state
 * follows one step at a time along Upstart's transition table (U§1.2, §1.3), and what an instance holds
 * is released when it comes to rest or fails (U§1.4, §2.2). A failure reaches the jobs that require it
 * and start after it (SEMANTICS §5).
 */
final class Lifecycle {

    private final Engine engine;

    /** Why a goal changed to stop: only explicit stops reach {@code requires} dependants (systemd's rule). */
    enum Cause { EXPLICIT, FAILURE, RESTART, SHUTDOWN }

    /**
     * Instances that failed while starting, whose dependants have not been failed yet. They are, in
     * this order, once the failure itself has been carried out ({@link #failDependants()}, at the
     * start of each pass): each job goes down after the one it needs, so its events, log lines and
     * report go from the root cause to the effect (issue 14), as systemd's "Dependency failed for".
     */
    private final java.util.ArrayDeque<Instance> failedStarts = new java.util.ArrayDeque<>();

    Lifecycle(Engine engine) {
        this.engine = engine;
    }

    void changeGoal(Instance inst, JobGoal goal, Cause cause) {
        if (inst.goal == goal) return;
        inst.goal = goal;
        engine.ordering.touched.add(inst.cls);
        if (goal == JobGoal.STOP) {
            engine.bootWindow.stopping(inst);
            engine.bootWindow.settle(inst.cls);
        }
        engine.out.add(engine.out.stateChanged(inst));
        switch (inst.state) {
            case WAITING -> {
                if (goal == JobGoal.START) changeState(inst, next(inst));
            }
            case RUNNING -> {
                if (goal == JobGoal.STOP) changeState(inst, next(inst));
            }
            case STARTING -> {
                // Only a wait on ordering, on a condition test or on the condition process needs a push; a wait
                // on the starting event ends by itself.
                boolean testing = inst.conditionTest != 0 || inst.running(Phase.CONDITION);
                if (goal == JobGoal.STOP && (inst.orderWait || testing)) {
                    engine.ordering.clearOrderWait(inst);
                    engine.startChecks.forget(inst);
                    engine.processes.abandon(inst, Phase.CONDITION);
                    changeState(inst, JobState.STOPPING);
                }
            }
            case SPAWNED -> {
                // ordo: a stop does not wait for a readiness signal that may never come.
                if (goal == JobGoal.STOP && inst.pid[Phase.MAIN.ordinal()] > 0 && inst.job.ready().waitsForSignal()) {
                    changeState(inst, JobState.STOPPING);
                }
            }
            case POST_STOP -> {
                // Stopped while waiting to respawn: nothing runs, so nothing else would move it on.
                if (goal == JobGoal.STOP && inst.respawnTimer != 0) {
                    engine.timers.cancelTimer(inst.respawnTimer);
                    inst.respawnTimer = 0;
                    changeState(inst, next(inst));
                }
            }
            case POST_START -> {
                if (goal == JobGoal.STOP && inst.probing && !inst.running(Phase.POST_START)) {
                    engine.readiness.stopProbe(inst);
                    changeState(inst, JobState.STOPPING);
                }
            }
            default -> {
                // Every other state moves on when its process or event ends (U§1.1).
            }
        }
        if (goal == JobGoal.START) {
            engine.relations.pullIn(inst);
            for (JobClass c : inst.cls.conflicts) engine.relations.stopAll(c, Cause.EXPLICIT);
        } else if (goal == JobGoal.STOP && !engine.shutdown.shuttingDown) {
            // At shutdown every job stops anyway, each in its turn (a stop_on of its own included):
            // no pushing ahead of the order.
            for (JobClass c : inst.cls.boundBy) engine.relations.stopAll(c, Cause.EXPLICIT);
            if (cause == Cause.EXPLICIT) for (JobClass c : inst.cls.partOfThis) engine.relations.stopAll(c, Cause.EXPLICIT);
        }
    }

    /** The transition table (U§1.2). */
    JobState next(Instance inst) {
        JobGoal g = inst.goal;
        switch (inst.state) {
            case WAITING:
                return JobState.STARTING;
            case STARTING:
                return g == JobGoal.STOP ? JobState.STOPPING : JobState.PRE_START;
            case PRE_START:
                return g == JobGoal.STOP ? JobState.STOPPING : JobState.SPAWNED;
            case SPAWNED:
                return g == JobGoal.STOP ? JobState.STOPPING : JobState.POST_START;
            case POST_START:
                if (g == JobGoal.RESPAWN) {
                    inst.goal = JobGoal.START;
                    return JobState.STOPPING;
                }
                return g == JobGoal.STOP || mainGone(inst) ? JobState.STOPPING : JobState.RUNNING;
            case RUNNING:
                if (g == JobGoal.STOP) {
                    return has(inst, Phase.MAIN) && inst.pid[Phase.MAIN.ordinal()] > 0 ? JobState.PRE_STOP : JobState.STOPPING;
                }
                inst.goal = JobGoal.START;
                return JobState.STOPPING;
            case PRE_STOP:
                if (g == JobGoal.RESPAWN) {
                    inst.goal = JobGoal.START;
                    return JobState.STOPPING;
                }
                return g == JobGoal.STOP || mainGone(inst) ? JobState.STOPPING : JobState.RUNNING;
            case STOPPING:
                return JobState.KILLED;
            case KILLED:
                return JobState.POST_STOP;
            case POST_STOP:
                if (g == JobGoal.STOP) return JobState.WAITING;
                inst.goal = JobGoal.START;
                return JobState.STARTING;
            default:
                throw new IllegalStateException(inst.state.name());
        }
    }

    /**
     * The main process died while post-start or pre-stop ran, and the job was then asked to start
     * again. Upstart would call it running with nothing running; ordo goes round through stopping.
     */
    /**
     * A respawn waits its delay between the stop and the next start (systemd's {@code RestartSec=}, the
     * "auto-restart" state): true when the wait begins now, in post-stop.
     */
    private boolean holdForRespawn(Instance inst) {
        if (!inst.respawnHold) return false;
        inst.respawnHold = false;
        java.time.Duration delay = inst.job.respawn().delay();
        if (delay.isZero()) return false;
        inst.respawnTimer = engine.timers.arm(delay, new Timers.TimerRef(inst, Timers.TimerKind.RESPAWN));
        return true;
    }

    /** The main process ended early; not so for a job that is up by its exit ({@code exited}). */
    private static boolean mainGone(Instance inst) {
        return has(inst, Phase.MAIN) && !inst.running(Phase.MAIN) && !(inst.job.ready() instanceof Readiness.UpOnExit);
    }

    private static boolean has(Instance inst, Phase phase) {
        return inst.job.processes().containsKey(phase);
    }

    /** Enters {@code target} and whatever states follow at once (U§1.3). */
    void changeState(Instance inst, JobState target) {
        while (inst.state != target) {
            if (target == JobState.STARTING && inst.state == JobState.POST_STOP && holdForRespawn(inst)) return;
            JobState old = inst.state;
            inst.state = target;
            engine.ordering.touched.add(inst.cls);
            engine.out.add(engine.out.stateChanged(inst));
            switch (target) {
                case STARTING -> {
                    assert from(old, target, JobState.WAITING, JobState.POST_STOP);
                    if (inst.startEnv != null) {
                        inst.env = inst.startEnv;
                        inst.startEnv = null;
                        // A start (not a respawn) takes the newest definition, which a reload may have brought.
                        if (inst.job != inst.cls.job) inst.define(inst.cls.job);
                    }
                    inst.stopEnv = null;
                    inst.failed = false;
                    inst.failedProcess = null;
                    inst.exitStatus = null;
                    inst.failure = null;
                    inst.wasUp = false;
                    inst.startChecked = false;
                    inst.skipped = null;
                    inst.skipText = null;
                    engine.startChecks.forget(inst);
                    inst.cls.lastFailure = null;
                    if (inst.stopOn != null) inst.stopOn.reset();
                    inst.blocker = engine.queue.emit(inst, JobEvent.STARTING);
                    inst.blocker.emitter = inst;
                }
                case PRE_START -> {
                    assert from(old, target, JobState.STARTING);
                    if (has(inst, Phase.PRE_START)) engine.processes.run(inst, Phase.PRE_START);
                    else target = next(inst);
                }
                case SPAWNED -> {
                    assert from(old, target, JobState.PRE_START);
                    if (has(inst, Phase.MAIN)) engine.processes.run(inst, Phase.MAIN);
                    else if (!engine.sockets.open(inst)) target = next(inst); // a socket unit waits for its sockets here
                }
                case POST_START -> {
                    assert from(old, target, JobState.SPAWNED);
                    if (has(inst, Phase.POST_START)) engine.processes.run(inst, Phase.POST_START);
                    if (inst.job.ready().isProbe() && has(inst, Phase.MAIN)) engine.readiness.startProbe(inst);
                    if (!inst.running(Phase.POST_START) && !inst.probing) target = next(inst);
                }
                case RUNNING -> {
                    assert from(old, target, JobState.POST_START, JobState.PRE_STOP);
                    if (old == JobState.PRE_STOP) {
                        inst.stopEnv = null;
                        // ordo: a task whose stop was called off is still not done (Upstart releases here).
                        if (!inst.job.task()) jobFinished(inst, false);
                    } else {
                        inst.wasUp = true;
                        engine.queue.emit(inst, JobEvent.STARTED);
                        engine.sockets.up(inst);
                        if (!inst.job.task()) {
                            engine.bootWindow.settle(inst.cls);
                            jobFinished(inst, false);
                        } else if (!has(inst, Phase.MAIN)) {
                            // ordo: a task with nothing to run is done once it got here (Upstart leaves it running for ever).
                            changeGoal(inst, JobGoal.STOP, Cause.FAILURE);
                            return;
                        }
                    }
                }
                case PRE_STOP -> {
                    assert from(old, target, JobState.RUNNING);
                    if (has(inst, Phase.PRE_STOP)) engine.processes.run(inst, Phase.PRE_STOP);
                    else target = next(inst);
                }
                case STOPPING -> {
                    assert from(old, target, JobState.STARTING, JobState.PRE_START, JobState.SPAWNED, JobState.POST_START,
                            JobState.RUNNING, JobState.PRE_STOP);
                    engine.readiness.stopProbe(inst);
                    engine.timers.cancelTimer(inst.probeTimer); // a READY=1 timeout, when it stopped before it came
                    inst.probeTimer = 0;
                    inst.blocker = engine.queue.emit(inst, JobEvent.STOPPING);
                    inst.blocker.emitter = inst;
                }
                case KILLED -> {
                    assert from(old, target, JobState.STOPPING);
                    engine.sockets.close(inst); // after ExecStopPre=, before ExecStopPost=, as socket_enter_stop_post
                    if (!has(inst, Phase.MAIN) || inst.pid[Phase.MAIN.ordinal()] <= 0 || !engine.processes.kill(inst)) {
                        target = next(inst);
                    }
                }
                case POST_STOP -> {
                    assert from(old, target, JobState.KILLED);
                    // A start that was skipped before its condition process or whose assert failed ran nothing, so
                    // nothing is cleaned up.
                    boolean ranNothing = (inst.skipped != null && inst.skipped != SkipReason.CONDITION_PROCESS)
                            || inst.failedProcess == FailureReason.ASSERT;
                    if (has(inst, Phase.POST_STOP) && !ranNothing) engine.processes.run(inst, Phase.POST_STOP);
                    else target = next(inst);
                }
                case WAITING -> {
                    assert from(old, target, JobState.POST_STOP);
                    engine.processes.killRemains(inst);
                    engine.queue.emit(inst, JobEvent.STOPPED);
                    jobFinished(inst, false);
                    destroy(inst);
                    engine.relations.stoppedForGood(inst);
                    return;
                }
                default -> throw new IllegalStateException(target.name());
            }
        }
    }

    /**
     * {@code target} may be entered from {@code old}: a step of the table ({@link #next}), or stopping
     * straight from any state on the way up or running (a stop during a wait on ordering, a readiness
     * or a probe given up, a respawn). Checked where assertions are on; the table is not changed by it.
     */
    private static boolean from(JobState old, JobState target, JobState... legal) {
        for (JobState s : legal) if (s == old) return true;
        throw new IllegalStateException(old.word() + " -> " + target.word() + " is not a transition of the table");
    }

    void destroy(Instance inst) {
        inst.destroyed = true;
        if (inst.cls.removed && inst.cls.instances.size() == 1) engine.reloads.gone.add(inst.cls);
        engine.bootWindow.settle(inst.cls);
        if (inst.stopOn != null) inst.stopOn.reset();
        inst.cls.instances.remove(inst.name);
        engine.ordering.clearOrderWait(inst);
        engine.startChecks.forget(inst);
        engine.timers.cancelTimer(inst.killTimer);
        inst.killTimer = 0;
        engine.readiness.stopProbe(inst);
        engine.ordering.touched.add(inst.cls);
        engine.sockets.destroyed(inst);
    }

    /**
     * Releases what the instance holds: events (marked failed when {@code failed}) and waiting
     * commands, which get their answer now (U§2.2).
     */
    void jobFinished(Instance inst, boolean failed) {
        if (inst.blocking.isEmpty()) return;
        List<Object> held = new ArrayList<>(inst.blocking);
        inst.blocking.clear();
        for (Object o : held) {
            if (o instanceof Event e) {
                if (failed) e.failed = true;
                e.blockers--;
            } else if (o instanceof Instance.Waiter w) {
                // Upstart says only "Job failed to start"; the reason saves a trip to `status` or the log.
                if (failed) engine.out.reply(w.request(), false, failureText(w.verb())
                        + (inst.failure != null ? ": " + inst.displayName() + ": " + inst.failure : ""));
                else engine.out.reply(w.request(), Commands.statusText(inst) + Commands.skippedSuffix(inst),
                        List.of(Commands.status(inst)));
            }
        }
    }

    /** How a process ended, for a person: {@code exited with status 1}, {@code was killed by signal SEGV}. */
    static String ended(ExitStatus status) {
        if (status == null) return "could not be started";
        if (status.code() != null) return "exited with status " + status.code();
        return "was killed by signal " + status.signal().name();
    }

    private static String failureText(Input.Verb verb) {
        return switch (verb) {
            case STOP -> "Job failed while stopping";
            case RESTART -> "Job failed to restart";
            default -> "Job failed to start";
        };
    }

    /** Records the first failure until the next start and releases what the instance holds (U§1.4). */
    void jobFailed(Instance inst, FailureReason process, ExitStatus status) {
        jobFailed(inst, process, status, null);
    }

    /** @param why what {@code status} shows; null to say how the process ended */
    void jobFailed(Instance inst, FailureReason process, ExitStatus status, String why) {
        if (inst.failed) return;
        boolean wasStarting = inst.pendingStart();
        inst.failed = true;
        engine.bootWindow.doneInBoot.remove(inst.cls);
        engine.bootWindow.settle(inst.cls);
        inst.failedProcess = process;
        inst.exitStatus = status;
        inst.failure = why != null ? why : process.word() + " process " + ended(status);
        inst.failureChain = inst.displayName() + " (" + inst.failure + ")";
        jobFinished(inst, true);
        if (wasStarting) failedStarts.add(inst);
    }

    /**
     * A job that requires one that failed while starting, and starts after it, cannot start now
     * (SEMANTICS §5): one in starting, and one still on its way down that was asked to start again (it
     * would enter starting after this failure, with nothing left to tell it; systemd's start job fails
     * the same way). Its failure says the chain, root cause first: {@code dependency failed: db
     * (pre-start process exited with status 1) → api → web}. Breadth first, in the order the failures came.
     *
     * @return true when a dependant failed
     */
    boolean failDependants() {
        boolean any = false;
        while (!failedStarts.isEmpty()) {
            Instance failedOne = failedStarts.poll();
            for (JobClass a : failedOne.cls.requiredBy) {
                if (!a.after.contains(failedOne.cls)) continue;
                for (Instance x : new ArrayList<>(a.instances.values())) {
                    boolean goingRound = x.state == JobState.STOPPING || x.state == JobState.KILLED || x.state == JobState.POST_STOP;
                    if (x.goal == JobGoal.STOP || (x.state != JobState.STARTING && !goingRound)) continue;
                    String chain = failedOne.failureChain + " → " + x.displayName();
                    engine.out.log(x.displayName() + " not starting: dependency failed: " + chain);
                    jobFailed(x, FailureReason.DEPENDENCY, null, "dependency failed: " + chain);
                    x.failureChain = chain;
                    changeGoal(x, JobGoal.STOP, Cause.FAILURE);
                    any = true;
                }
            }
        }
        return any;
    }
}
