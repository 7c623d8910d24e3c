package dev.ordo.executor.runtime;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Planner;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * How a {@link Supervisor} runs: where its state lives, what it reads and boots, where it writes, and what
 * it does with what a crashed supervisor left running.
 *
 * @param stateDir the state directory (lock, socket, logs, state file, history)
 * @param paths the configuration paths, read again on reload
 * @param root the {@code --root} of the configuration, or null
 * @param out the supervisor's output: boot progress and its log
 * @param colour colour on {@code [  OK  ]} and {@code [FAILED]}
 * @param trace sees every effect as the loop carries it out, on the loop thread (for tests and
 *     debugging; it must not block)
 * @param logRotation the size and count of the rotation of the job logs and the history
 * @param goal what the boot is for, as {@code ordo plan}'s goal: events to emit (default startup)
 *     and jobs to start (for systemd units, default.target)
 * @param earlyBoot {@code --early-boot}: run the early boot (sysinit.target's units) although ordo is not PID 1
 */
public record SupervisorSettings(Path stateDir, List<Path> paths, Path root, PrintStream out, boolean colour,
                      Consumer<Effect> trace, Supervisor.Orphans orphans, LogFiles.Rotation logRotation, Goal goal,
                      boolean earlyBoot) {
    public SupervisorSettings {
        paths = List.copyOf(paths);
        trace = trace == null ? e -> { } : trace;
        orphans = orphans == null ? Supervisor.Orphans.ADOPT : orphans;
        logRotation = logRotation == null ? LogFiles.Rotation.DEFAULT : logRotation;
        goal = goal == null ? Planner.Request.defaults().goal() : goal;
    }

    public SupervisorSettings(Path stateDir, List<Path> paths, Path root, PrintStream out, boolean colour,
                   Consumer<Effect> trace, Supervisor.Orphans orphans) {
        this(stateDir, paths, root, out, colour, trace, orphans, null, null, false);
    }

    /** The same options with {@code logRotation}. */
    public SupervisorSettings logRotation(LogFiles.Rotation how) {
        return new SupervisorSettings(stateDir, paths, root, out, colour, trace, orphans, how, goal, earlyBoot);
    }

    /** The same options booting toward {@code what} instead of the default goal. */
    public SupervisorSettings goal(Goal what) {
        return new SupervisorSettings(stateDir, paths, root, out, colour, trace, orphans, logRotation, what, earlyBoot);
    }

    public SupervisorSettings(Path stateDir, List<Path> paths, Path root, PrintStream out, boolean colour,
                   Consumer<Effect> trace) {
        this(stateDir, paths, root, out, colour, trace, Supervisor.Orphans.ADOPT);
    }

    /** The same options with {@code orphans}. */
    public SupervisorSettings orphans(Supervisor.Orphans how) {
        return new SupervisorSettings(stateDir, paths, root, out, colour, trace, how, logRotation, goal, earlyBoot);
    }

    /** The same options, running the early boot or not ({@code --early-boot}). */
    public SupervisorSettings earlyBoot(boolean run) {
        return new SupervisorSettings(stateDir, paths, root, out, colour, trace, orphans, logRotation, goal, run);
    }

    public SupervisorSettings(Path stateDir, List<Path> paths, Path root, PrintStream out, boolean colour) {
        this(stateDir, paths, root, out, colour, null);
    }
}
