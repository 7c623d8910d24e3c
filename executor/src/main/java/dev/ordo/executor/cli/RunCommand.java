package dev.ordo.executor.cli;

import dev.ordo.planner.plan.Planner;

import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.render.CheckTextRenderer;
import dev.ordo.planner.render.Style;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ordo run}: the supervisor, in the foreground. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run the configuration: take the state directory, open the control socket, and boot the goal `ordo plan`"
                    + " shows (`startup`, and default.target for systemd units; or --emit/--start). SIGTERM, SIGINT"
                    + " (Ctrl-C) and `ordo shutdown` stop every job in the shutdown order, then ordo; a second SIGINT,"
                    + " a second later, kills everything at once. SIGHUP (or `ordo reload`)"
                    + " reads the configuration again and applies it, or keeps the running one if it has errors;"
                    + " SIGUSR1 reopens the log files.",
            "PATHs as for `ordo check`; a configuration with errors is not run."
        },
        footerHeading = "%nExit status:%n",
        footer = {"  0  shut down in order", "  1  the configuration has errors, or a second SIGINT killed everything",
            "  2  wrong usage, or the state directory is in use by another supervisor"})
final class RunCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories to run.")
    List<Path> paths;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Also read the systemd units under DIR, in systemd's search order.")
    Path root;

    // A String, not Supervisor.Orphans: picocli makes a RunCommand for every command, and the client
    // commands must not load the runtime's classes.
    @Option(names = "--orphans", paramLabel = "adopt|stop", defaultValue = "adopt",
            description = "What to do with the main processes a supervisor that died (e.g. SIGKILL) left running,"
                    + " found through the state directory's state.json and the mark ordo puts on every job's"
                    + " processes (docs/reliability.md): adopt them (the jobs count as running and are not started"
                    + " again; the default) or stop them (TERM, KILL after the job's kill timeout) and start the jobs"
                    + " fresh. Default: ${DEFAULT-VALUE}.")
    String orphans;

    @Option(names = "--log-size", paramLabel = "SIZE", defaultValue = "1M",
            description = "Rotate a job's log (and history.jsonl) before a line would take it past SIZE (bytes, or with"
                    + " K, M or G: 1024-based): no file grows larger. Default: ${DEFAULT-VALUE}.")
    String logSize;

    @Option(names = "--log-keep", paramLabel = "N", defaultValue = "5",
            description = "How many rotated files of each log (and of history.jsonl) are kept (0: it starts over empty)."
                    + " Default: ${DEFAULT-VALUE}.")
    int logKeep;

    @Option(names = "--early-boot",
            description = "Run the early boot (sysinit.target and the units it brings up: tmpfiles --remove, udev,"
                    + " journald, module loading, fsck, remounts) although ordo is not PID 1. Without it, and unless"
                    + " ordo is PID 1, those units are skipped (each says so) and count as done, so that the rest of"
                    + " the boot goes on: on a running machine they would do a boot's work again, such as emptying /tmp."
                    + " With --root /, it also runs systemd's generators (as PID 1 too), unless systemd runs here.")
    boolean earlyBoot;

    @CommandLine.Mixin
    StateDirOption stateDir = new StateDirOption();

    /** What to boot, as for {@code ordo plan}: --emit and --start (--fail is for plans only). */
    @CommandLine.Mixin
    GoalOptions goal = new GoalOptions();

    @CommandLine.Mixin
    CompleteOption complete = new CompleteOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!orphans.equals("adopt") && !orphans.equals("stop")) {
            err.println("ordo: --orphans is adopt or stop, not `" + orphans + "`");
            err.flush();
            return Main.USAGE;
        }
        long logBytes = size(logSize);
        if (logBytes < 1) {
            err.println("ordo: --log-size is a size such as 512K, 10M or 1G, not `" + logSize + "`");
            err.flush();
            return Main.USAGE;
        }
        if (logKeep < 0) {
            err.println("ordo: --log-keep is 0 or more, not " + logKeep);
            err.flush();
            return Main.USAGE;
        }
        if (!goal.fails.isEmpty()) {
            err.println("ordo: --fail is for `ordo plan`: it supposes a failure, and `ordo run` runs what is real");
            err.flush();
            return Main.USAGE;
        }
        List<Path> in = Inputs.resolve(paths, root, err);
        if (in == null) return Main.USAGE;
        ForegroundSupervisor.preload();
        // Before the units are read (they read what the generators wrote) and before the process table opens.
        if (Generators.wanted(root, ProcessHandle.current().pid() == 1, earlyBoot)) Generators.runAndReport(root, err);
        Config config = complete.apply(ConfigLoader.load(in, root));
        if (Inputs.nothingToRead(config, in, root, spec.commandLine().getErr())) return Main.USAGE;
        if (!Goals.known(config, goal.goal(), err)) {
            err.flush();
            return Main.USAGE;
        }
        CheckReport report = Planner.check(config);
        if (report.errors() > 0) {
            out.print(new CheckTextRenderer(Style.detect()).render(report));
            out.flush();
            err.println("ordo: not running a configuration with errors");
            err.flush();
            return 1;
        }
        if (report.warnings() > 0) {
            err.print(new CheckTextRenderer(Style.detect()).render(report));
            err.flush();
        }
        out.flush();
        // Kept in a class of its own: picocli makes a RunCommand for every command, and the client commands
        // must not load the runtime's classes (a catch clause here would).
        return ForegroundSupervisor.run(config, stateDir.resolve(), in, root, err, orphans.equals("stop"), logBytes, logKeep,
                goal.goal(), earlyBoot);
    }

    /** {@code text} in bytes: digits with an optional K, M or G (1024-based); -1 when it is not one. */
    static long size(String text) {
        String t = text.trim();
        int shift = 0;
        if (!t.isEmpty()) {
            int p = "KMG".indexOf(Character.toUpperCase(t.charAt(t.length() - 1)));
            if (p >= 0) {
                shift = 10 * (p + 1);
                t = t.substring(0, t.length() - 1);
            }
        }
        if (t.isEmpty() || !t.chars().allMatch(Character::isDigit) || t.length() > 12) return -1;
        long n = Long.parseLong(t);
        return n << shift;
    }
}
