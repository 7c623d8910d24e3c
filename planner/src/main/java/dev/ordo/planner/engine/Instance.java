package dev.ordo.planner.engine;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One running (or starting, or stopping) instance of a job: Upstart's {@code Job}. */
final class Instance {

    /** A command waiting for this instance to reach its rest. */
    record Waiter(long request, Input.Verb verb) {
    }

    final JobClass cls;
    final String name;
    JobGoal goal = JobGoal.STOP;
    JobState state = JobState.WAITING;
    /** The environment its processes run with (U§3.5). */
    Map<String, String> env = new LinkedHashMap<>();
    /** A new start environment, applied on the next entry to starting. */
    Map<String, String> startEnv;
    /** What stopped it: the stop events' variables and UPSTART_STOP_EVENTS, or the stop command's K=V. */
    Map<String, String> stopEnv;
    /**
     * The definition its processes, stop_on, kill, respawn and readiness come from: the class's when it
     * was made, taken again only when it enters starting with a new start environment (start, restart,
     * an event) — so a reload never changes a live instance under its feet, and a respawn keeps it.
     */
    Job job;
    Operator stopOn;
    /** Events and commands this instance holds until it reaches its rest (U§2.2). */
    final List<Object> blocking = new ArrayList<>(2);
    /** The starting/stopping event this instance waits for, or null. */
    Event blocker;

    boolean failed;
    /** PROCESS= of the failure: a phase's process name, {@code respawn}, {@code ready} or {@code dependency}. */
    FailureReason failedProcess;
    /** How the failed process ended; null for a spawn failure and for failures without a process. */
    ExitStatus exitStatus;
    /** What a person reads about the failure ({@code status}, {@code list}); null when not failed. */
    String failure;
    /**
     * The failure as a chain, root cause first ({@code db (pre-start process exited with status 1) → api}):
     * what a dependant's failure goes on from.
     */
    String failureChain;
    /** Reached running in this start: stopping cleanly afterwards counts as a success ({@code on_success}). */
    boolean wasUp;
    /** Adopted before the boot, which announces it as started ({@link Engine#boot(java.util.List)}). */
    boolean adoptedUp;
    /** Its start checks ({@link StartChecks}) passed in this start: it may go on to pre-start. */
    boolean startChecked;
    /** The condition test it waits for, or 0. */
    long conditionTest;
    /** Why this start was skipped, or null; {@code skipText} says it in one line. */
    SkipReason skipped;
    String skipText;

    final int[] pid = new int[Phase.values().length];
    final long[] process = new long[Phase.values().length];
    /** The main process ended and is respawned: the next start waits the respawn delay first. */
    boolean respawnHold;
    /** The timer of that wait, or 0. */
    long respawnTimer;
    /** The {@code reload} command waiting for the reload process, or 0. */
    long reloadRequest;
    /** Which command line of each phase runs (or ran last): a phase's lines run one after the other. */
    final int[] line = new int[Phase.values().length];
    /** The main process's group: the pid first spawned, kept when fork/daemon follows a child. */
    int mainGroup;
    int forks;
    boolean probing;
    long probeTimer;
    long killTimer;
    Long respawnTime;
    int respawnCount;
    /** Waiting in starting or stopping for jobs it is ordered against (after/before). */
    boolean orderWait;
    /** When it began to wait on ordering: waits are let go in the order they began. */
    long orderSeq;
    boolean destroyed;
    /** At shutdown its stop_on waits for another job's stop: it is left to that event. */
    boolean leftToStopOn;
    /** Started by a shutdown event: not part of the boot order the shutdown reverses. */
    boolean startedInShutdown;
    /** A socket unit whose sockets are being opened ({@link SocketActivation}). */
    boolean opening;
    /** A socket unit whose sockets are open. */
    boolean listening;
    /** A socket unit whose sockets are watched for traffic. */
    boolean watched;
    /** A per-connection instance's connection (the socket layer's id), or 0. */
    long connection;
    /** A socket unit's trigger limit window: when it began, and the activations in it. */
    Long triggerTime;
    int triggerCount;

    Instance(JobClass cls, String name) {
        this.cls = cls;
        this.name = name;
        define(cls.job);
    }

    void define(Job job) {
        // A partial match of the old stop_on may hold an event: let it go.
        if (stopOn != null) stopOn.reset();
        this.job = job;
        this.stopOn = Operator.of(job.stopOn());
    }

    boolean running(Phase phase) {
        return pid[phase.ordinal()] > 0 || process[phase.ordinal()] != 0;
    }

    /** Upstart's job_name: {@code job} or {@code job (instance)}. */
    String displayName() {
        if (name.isEmpty()) return cls.name;
        // An instance of a unit template is named as systemd names it: inetd@0-127.0.0.1:22-127.0.0.1:5555.service.
        String systemd = Registry.templateInstance(cls, name);
        return systemd != null ? systemd : cls.name + " (" + name + ")";
    }

    /** Headed for start and not yet at its rest: ordering waits for it. */
    boolean pendingStart() {
        if (goal == JobGoal.STOP) return false;
        if (job.task()) return true;
        return state != JobState.RUNNING && state != JobState.PRE_STOP;
    }

    /**
     * Jobs ordered after this one wait while this is true: a service until it is up, a task until it
     * is done (stopped), either until its start failed or it was asked to stop.
     */
    boolean orderPending() {
        if (!job.task()) return pendingStart();
        return goal != JobGoal.STOP || (!failed && state != JobState.WAITING);
    }

    boolean pendingStop() {
        return goal == JobGoal.STOP && state != JobState.WAITING;
    }

    @Override
    public String toString() {
        return displayName() + " " + goal.word() + "/" + state.word();
    }
}
