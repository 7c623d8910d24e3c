package dev.ordo.executor.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ordo} command. The offline commands ({@code check}, and later {@code plan},
 * {@code explain}, {@code diff}) reach only the planner, so they never load native code.
 */
@Command(name = "ordo",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        usageHelpAutoWidth = true,
        sortOptions = false,
        description = {
            "Reads service configurations (ordo.yaml, Upstart job files, systemd units), checks them, plans the"
                    + " order they boot and stop in, and runs them.",
            ""
        },
        commandListHeading = "%nCommands:%n",
        footerHeading = "%nExit status:%n",
        footer = {
            "  0  no errors",
            "  1  the configuration has errors (or warnings, with --strict)",
            "  2  wrong usage, or a path that cannot be read",
            "",
            "See docs/ for the configuration reference, the checks, and how ordo compares with systemd and Upstart."
        },
        subcommands = {CheckCommand.class, RunCommand.class, PlanCommand.class, ExplainCommand.class, DiffCommand.class,
            BenchCommand.class, ClientCommands.StartCommand.class, ClientCommands.StopCommand.class, ClientCommands.RestartCommand.class,
            ClientCommands.StatusCommand.class, ClientCommands.ListCommand.class, ClientCommands.EmitCommand.class,
            ClientCommands.ReloadCommand.class, ClientCommands.LogCommand.class, ClientCommands.ShutdownCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    /** Exit status for wrong usage and unreadable input. */
    static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args, Glyphs.writer(System.out, System.getenv()), Glyphs.writer(System.err, System.getenv())));
    }

    /** Runs {@code ordo args} with the given output streams and returns the exit status. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("ordo: " + ex.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, r) -> {
            // Bad input never reaches here (it becomes diagnostics); this is a bug in ordo itself.
            c.getErr().println("ordo: internal error: " + ex + " (please report it; ORDO_DEBUG=1 shows the trace)");
            if (System.getenv("ORDO_DEBUG") != null) ex.printStackTrace(c.getErr());
            return USAGE;
        });
        int status = cl.execute(args);
        out.flush();
        err.flush();
        return status;
    }

    @Override
    public void run() {
        // `ordo` alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
