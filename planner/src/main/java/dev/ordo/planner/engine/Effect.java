package dev.ordo.planner.engine;

import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.UnitCondition;
import java.util.List;

/** What the engine asks the world to do, or tells it happened, in the order it happened. */
public sealed interface Effect {

    /**
     * Start a process. The process layer answers with {@link Input.Spawned} or {@link Input.SpawnFailed}
     * for {@code process}, and later {@link Input.Exited} for the pid.
     *
     * @param line which of {@code command}'s lines to run (0 for a script): the lines of a phase run one
     *     after the other, each a process of its own
     * @param ready the main process's readiness mode (which of Forked/Stopped/Ready to watch for);
     *     {@link Readiness#NONE} for the other phases
     */
    record Spawn(long process, String job, String instance, Phase phase, Process command, int line, List<String> env,
                 Readiness ready, Resources resources, Console console, SocketFds fds) implements Effect {

        public Spawn {
            fds = fds == null ? SocketFds.NONE : fds;
        }

        /** A process given nothing of socket units. */
        public Spawn(long process, String job, String instance, Phase phase, Process command, int line, List<String> env,
                     Readiness ready, Resources resources, Console console) {
            this(process, job, instance, phase, command, line, env, ready, resources, console, SocketFds.NONE);
        }
    }

    /**
     * What a process is given of socket units (systemd's service_collect_fds, sd_listen_fds(3)): the listening
     * sockets of {@code units}, in that order, as fds 3, 4, ... with {@code $LISTEN_FDS}; or, for a per-connection
     * instance, its {@code connection} as fd 3, and as standard input, output or error where the flags say.
     */
    record SocketFds(List<String> units, long connection, boolean stdin, boolean stdout, boolean stderr) {
        public static final SocketFds NONE = new SocketFds(List.of(), 0, false, false, false);

        public SocketFds {
            units = List.copyOf(units);
        }

        public boolean none() {
            return units.isEmpty() && connection == 0;
        }
    }

    /** What the socket layer carries out for socket units (systemd.socket(5)). */
    sealed interface SocketEffect extends Effect {
    }

    /**
     * Create, bind and listen on a socket unit's sockets, as its start (after ExecStartPre=, before
     * ExecStartPost=): answer with {@link Input.SocketsOpened} or {@link Input.SocketsFailed}. They stay open,
     * across the starts and stops of its service, until {@link CloseSockets}.
     */
    record OpenSockets(String job, String instance, dev.ordo.planner.model.SocketSetup setup) implements SocketEffect {
    }

    /**
     * Watch the sockets: without Accept=, report the next traffic once ({@link Input.SocketTraffic}) and stop
     * watching; with Accept=yes, accept every connection and report each ({@link Input.Connection}) until closed.
     */
    record WatchSockets(String job, String instance) implements SocketEffect {
    }

    /** Stop watching and close the sockets (RemoveOnStop= says whether their nodes go too). */
    record CloseSockets(String job, String instance) implements SocketEffect {
    }

    /** Close an accepted connection: its instance is gone, or it was refused. */
    record CloseConnection(long connection) implements SocketEffect {
    }

    /**
     * Send {@code signal} to every process of the instance's current start (systemd's control group; the
     * runtime finds them by their start's mark), and to its main process {@code pid} and that process's
     * group {@code group} when they are not 0. With {@code last}, what still lives of that start
     * {@code lastAfterMillis} later gets {@code last}: the end of what a stop left behind.
     */
    record SignalUnit(String job, String instance, int pid, int group, Signal signal, Signal last, long lastAfterMillis)
            implements Effect {
    }

    /** Send {@code signal} to a process group ({@code group}) or to one process. */
    record SendSignal(int pid, boolean group, Signal signal) implements Effect {
    }

    /** Run a readiness probe for an instance; answer with {@link Input.Ready} or {@link Input.ProbeFailed}. */
    record StartProbe(String job, String instance, Readiness probe) implements Effect {
    }

    /** Stop probing an instance (it is going down). */
    record StopProbe(String job, String instance) implements Effect {
    }

    /**
     * Test a unit's conditions and asserts on the machine, now that its start is due (after its ordering,
     * before pre-start): answer with {@link Input.ConditionsTested} for {@code test}, one result per
     * condition in this order. What the results mean is the engine's business.
     */
    record TestConditions(long test, String job, String instance, List<UnitCondition> conditions) implements Effect {
        public TestConditions {
            conditions = List.copyOf(conditions);
        }
    }

    /** An instance was skipped instead of started ({@code text}: why, one line); it goes on to stopped. */
    record Skipped(String job, String instance, SkipReason reason, String text) implements Effect {
    }

    /** Fire {@link Input.TimerFired} with {@code timer} after {@code delayMillis}. */
    record ArmTimer(long timer, long delayMillis) implements Effect {
    }

    record CancelTimer(long timer) implements Effect {
    }

    /**
     * The one answer to a command: {@code text} is the status line, the listing, or the error; {@code statuses} the
     * same status as data (for {@code status}, {@code list}, and a start or stop that succeeded), else empty.
     */
    record Reply(long request, boolean ok, String text, java.util.List<JobStatus> statuses) implements Effect {
        public Reply {
            statuses = java.util.List.copyOf(statuses);
        }

        public Reply(long request, boolean ok, String text) {
            this(request, ok, text, java.util.List.of());
        }
    }

    /** A line for the supervisor's log. */
    record LogLine(String line) implements Effect {
    }

    /** An event is being handled (the observed event order is the order of these). */
    record EventEmitted(long event, String name, List<String> env) implements Effect {
    }

    /** A job instance took the event as a cause of its goal change and holds it until it is at rest. */
    record EventTaken(long event, String job, String instance) implements Effect {
    }

    /** Nothing holds the event any more; {@code failed} when a job it affected failed. */
    record EventFinished(long event, String name, boolean failed) implements Effect {
    }

    /** An instance changed goal or state. */
    record StateChanged(String job, String instance, JobGoal goal, JobState state) implements Effect {
    }

    /** A reload was applied: what changed, job by job, by name (unchanged jobs are not named). */
    record Reloaded(List<Change> changes) implements Effect {
        public Reloaded {
            changes = List.copyOf(changes);
        }
    }

    /** One job's change at a reload. */
    record Change(String job, Kind kind) {

        public enum Kind {
            /** Known from now on; not started for events already past. */
            ADDED,
            /** Gone at once: nothing of it was running. */
            REMOVED,
            /** Its instances are being stopped; it is gone once they have. */
            REMOVED_STOPPING,
            /** Nothing of it was running: the new definition is in force. */
            CHANGED,
            /** Its live instances keep the old definition until they start again. */
            CHANGED_LIVE
        }

        /** The supervisor's log line and reply line for it, without the {@code reload: } prefix. */
        public String text() {
            return switch (kind) {
                case ADDED -> "added " + job;
                case REMOVED -> "removed " + job;
                case REMOVED_STOPPING -> "removed " + job + " (stopping)";
                case CHANGED -> "changed " + job;
                case CHANGED_LIVE -> "changed " + job + " (running; new definition from its next start)";
            };
        }
    }
}
