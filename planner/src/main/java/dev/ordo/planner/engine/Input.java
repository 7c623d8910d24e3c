package dev.ordo.planner.engine;

import dev.ordo.planner.model.ExitStatus;
import java.util.List;

/** What the engine reacts to: commands, and what the process layer saw happen. */
public sealed interface Input {

    /** The commands of {@code ordo} (Upstart's initctl). */
    /**
     * {@code RELOAD}: run the job's reload process (systemd's {@code ExecReload=}) or, without one, send its
     * main process its {@code kill.reload} signal (Upstart's {@code initctl reload JOB}).
     */
    enum Verb { START, STOP, RESTART, EMIT, STATUS, LIST, SHUTDOWN, RELOAD }

    /** An instance of a job, as seen from outside: {@code instance} is "" for a singleton. */
    record Caller(String job, String instance) {
    }

    /**
     * A command. Exactly one {@link Effect.Reply} answers it.
     *
     * @param request the caller's id for the reply
     * @param name the job (the event for {@code emit}); null with a {@code caller} means "my own job"
     * @param instance the instance, or null to expand the job's instance template against {@code env}
     * @param env {@code K=V} arguments
     * @param waits false for {@code --no-wait}
     * @param caller the job instance the command runs inside, or null
     */
    record Command(long request, Verb verb, String name, String instance, List<String> env, boolean waits,
                   Caller caller) implements Input {
        public Command {
            env = env == null ? List.of() : List.copyOf(env);
        }

        public static Command start(long request, String job, String... env) {
            return new Command(request, Verb.START, job, null, List.of(env), true, null);
        }

        public static Command stop(long request, String job, String... env) {
            return new Command(request, Verb.STOP, job, null, List.of(env), true, null);
        }

        public static Command restart(long request, String job, String... env) {
            return new Command(request, Verb.RESTART, job, null, List.of(env), true, null);
        }

        public static Command emit(long request, String event, String... env) {
            return new Command(request, Verb.EMIT, event, null, List.of(env), true, null);
        }

        public static Command status(long request, String job, String... env) {
            return new Command(request, Verb.STATUS, job, null, List.of(env), true, null);
        }

        /** Reload the instance: its reload process, or its main process's reload signal. */
        public static Command reload(long request, String job, String... env) {
            return new Command(request, Verb.RELOAD, job, null, List.of(env), true, null);
        }

        public static Command list(long request) {
            return new Command(request, Verb.LIST, null, null, List.of(), true, null);
        }

        /** Stop everything in the reverse of the boot order; answered once nothing is left running. */
        public static Command shutdown(long request) {
            return new Command(request, Verb.SHUTDOWN, null, null, List.of(), true, null);
        }

        /** The same command with {@code --no-wait}. */
        public Command noWait() {
            return new Command(request, verb, name, instance, env, false, caller);
        }

        /** The same command for an explicit instance. */
        public Command instance(String name) {
            return new Command(request, verb, this.name, name, env, waits, caller);
        }
    }

    /** The process layer started the process of {@link Effect.Spawn} {@code process}: exec succeeded. */
    record Spawned(long process, int pid) implements Input {
    }

    /** The process could not be started at all (no such file, bad user, ...). */
    record SpawnFailed(long process, String reason) implements Input {
    }

    /** A process ended. */
    record Exited(int pid, ExitStatus status) implements Input {
    }

    /**
     * The main process {@code pid} ended and left the service running as {@code successor}, which is the
     * main process from now on: an adopted launcher (a {@code ready: forking} job's, whose supervisor died
     * before it exited) that the runtime saw leave its daemon. Nothing else changes; ignored when {@code pid}
     * is no main process.
     */
    record MainMoved(int pid, int successor) implements Input {
    }

    /** A process stopped itself with SIGSTOP ({@code ready: stop}). */
    record Stopped(int pid) implements Input {
    }

    /** A traced main process forked ({@code ready: fork|daemon}); {@code child} is followed from now on. */
    record Forked(int pid, int child) implements Input {
    }

    /** {@code READY=1} arrived, or a readiness probe passed, for an instance. */
    record Ready(String job, String instance) implements Input {
    }

    /** A readiness probe failed for good (e.g. the probe command exited non-zero). */
    record ProbeFailed(String job, String instance, String reason) implements Input {
    }

    /**
     * The answer to {@link Effect.TestConditions} {@code test}: one answer per condition, in its order.
     */
    record ConditionsTested(long test, List<ConditionAnswer> answers) implements Input {
        public ConditionsTested {
            answers = List.copyOf(answers);
        }
    }

    /** One condition's bare result on the machine; {@code why} says what was found or why it could not be told. */
    record ConditionAnswer(ConditionResult result, String why) {
    }

    /** What the socket layer saw of a socket unit's sockets. */
    sealed interface SocketInput extends Input {
    }

    /** The sockets of {@link Effect.OpenSockets} are listening. */
    record SocketsOpened(String job, String instance) implements SocketInput {
    }

    /** They could not all be opened ({@code reason}: which and why, one line); none is left open. */
    record SocketsFailed(String job, String instance, String reason) implements SocketInput {
    }

    /** Traffic on a watched socket of a unit without Accept= (it is watched no more until asked again). */
    record SocketTraffic(String job, String instance) implements SocketInput {
    }

    /**
     * A connection was accepted on a socket with Accept=yes: {@code connection} is the socket layer's id for it,
     * {@code name} the instance name systemd would give it ({@code 0-127.0.0.1:22-127.0.0.1:40122}), {@code env}
     * REMOTE_ADDR and REMOTE_PORT for an IP peer.
     */
    record Connection(String job, String instance, long connection, String name, List<String> env) implements SocketInput {
        public Connection {
            env = List.copyOf(env);
        }
    }

    /** A timer armed by {@link Effect.ArmTimer} went off. */
    record TimerFired(long timer) implements Input {
    }

    /**
     * A main process a previous supervisor started, still alive after that supervisor died: the
     * instance is taken to be {@code running} with it, without spawning anything or emitting any
     * event, so that the boot that follows does not start a second copy. Given before
     * {@link Engine#boot}; ignored for a job that no longer exists or an instance already there.
     *
     * @param env the instance's environment, {@code K=V}, as far as it is known (may be empty)
     */
    record Adopt(String job, String instance, int pid, List<String> env) implements Input {
        public Adopt {
            env = env == null ? List.of() : List.copyOf(env);
        }
    }

    /**
     * A new configuration, checked and without errors ({@code ordo reload}, SIGHUP): see
     * {@link Engine#reload}.
     *
     * @param boot the jobs the new configuration's boot would start (the plan's boot steps)
     */
    record Reload(java.util.Collection<dev.ordo.planner.model.Job> jobs, java.util.Set<String> boot) implements Input {
        public Reload {
            jobs = List.copyOf(jobs);
            boot = java.util.Set.copyOf(boot);
        }
    }
}
