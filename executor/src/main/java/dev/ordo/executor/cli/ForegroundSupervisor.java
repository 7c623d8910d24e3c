package dev.ordo.executor.cli;

import dev.ordo.executor.runtime.ConsoleOutput;
import dev.ordo.executor.runtime.LogFiles;
import dev.ordo.executor.runtime.Supervisor;
import dev.ordo.executor.runtime.SupervisorLock;
import dev.ordo.executor.runtime.SupervisorSettings;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Goal;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The supervisor as the whole process: its output is standard output, its signals the JVM's. */
final class ForegroundSupervisor {

    private ForegroundSupervisor() {
    }

    /** Loads the process layer's native code in the background while the configuration is read. */
    static void preload() {
        dev.ordo.executor.posix.Processes.preload();
    }

    /** Runs {@code config} until it is shut down; the exit status of {@code ordo run}. */
    static int run(Config config, Path stateDir, List<Path> paths, Path root, PrintWriter err) throws InterruptedException {
        return run(config, stateDir, paths, root, err, false, LogFiles.DEFAULT_MAX_BYTES, LogFiles.DEFAULT_KEEP, null, false);
    }

    /**
     * @param stopOrphans {@code --orphans stop}: stop what a dead supervisor left running instead of adopting it
     * @param logBytes {@code --log-size}
     * @param logKeep {@code --log-keep}
     * @param goal {@code --emit}/{@code --start}, or null for the default goal
     * @param earlyBoot {@code --early-boot}: run sysinit.target's units although ordo is not PID 1
     */
    static int run(Config config, Path stateDir, List<Path> paths, Path root, PrintWriter err, boolean stopOrphans,
                   long logBytes, int logKeep, Goal goal, boolean earlyBoot) throws InterruptedException {
        boolean colour = ConsoleOutput.colourWanted(System.console() != null, System.getenv());
        Supervisor supervisor;
        try {
            supervisor = Supervisor.start(config, new SupervisorSettings(stateDir, paths, root, System.out, colour)
                    .orphans(stopOrphans ? Supervisor.Orphans.STOP : Supervisor.Orphans.ADOPT)
                    .logRotation(new LogFiles.Rotation(logBytes, logKeep))
                    .goal(goal)
                    .earlyBoot(earlyBoot));
        } catch (SupervisorLock.InUse e) {
            err.println("ordo: " + e.getMessage());
            return Main.USAGE;
        } catch (IOException e) {
            err.println("ordo: cannot start: " + e.getMessage());
            return Main.USAGE;
        }
        supervisor.handleSignals();
        return supervisor.awaitExit();
    }
}
