package dev.ordo.executor.cli;

import dev.ordo.planner.diag.Suggest;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine;

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
            CompletionCommand.class, ManCommand.class,
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
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("ordo: " + message(ex));
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

    /** The whole command line, as picocli models it: what usage, completion and manual pages are made from. */
    static CommandLine commandLine() {
        return new CommandLine(new Main());
    }

    /** picocli's message, with a "did you mean" for a mistyped command or option. */
    static String message(CommandLine.ParameterException ex) {
        if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) return ex.getMessage();
        CommandLine.Model.CommandSpec spec = ex.getCommandLine().getCommandSpec();
        String first = u.getUnmatched().get(0);
        if (first.startsWith("-")) {
            String word = first.contains("=") ? first.substring(0, first.indexOf('=')) : first;
            List<String> names = new ArrayList<>();
            for (CommandLine.Model.OptionSpec o : spec.options()) names.addAll(List.of(o.names()));
            String hint = Suggest.hint(word, names);
            return hint == null ? ex.getMessage() : "unknown option `" + word + "`; " + hint;
        }
        if (spec.subcommands().isEmpty()) return ex.getMessage();
        String hint = Suggest.hint(first, spec.subcommands().keySet());
        return "no command `" + first + "`" + (hint == null ? "" : "; " + hint);
    }

    @Override
    public void run() {
        // `ordo` alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
