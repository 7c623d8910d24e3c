package dev.ordo.executor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ordo man}: the manual pages made from the command definitions ({@link ManPages}). */
@Command(name = "man", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print the manual page of a command (troff), or write every page into a directory.",
            "  ordo man plan | man -l -             read ordo-plan(1)",
            "  ordo man --dir ~/.local/share/man    install them all (man1/ordo*.1); then `man ordo-plan`",
            "The launcher (./ordo) writes them to executor/target/man after each build:",
            "  MANPATH=executor/target/man: man ordo-plan"})
final class ManCommand implements Callable<Integer> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*",
            description = "The command whose page to print: `plan`, or `bench plan` (default: ordo's own page).")
    List<String> command = new ArrayList<>();

    @Option(names = "--dir", paramLabel = "DIR", description = "Write every page into DIR/man1 instead, and list them.")
    Path dir;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        CommandLine root = spec.commandLine().getParent();
        if (dir != null) {
            if (!command.isEmpty()) {
                spec.commandLine().getErr().println("ordo: man --dir writes every page; give no COMMAND with it");
                return Main.USAGE;
            }
            for (Path p : ManPages.write(dir, root)) out.println(p);
            out.flush();
            return 0;
        }
        CommandLine c = root;
        for (String word : command) {
            Map<String, CommandLine> subs = c.getSubcommands();
            if (!subs.containsKey(word)) {
                spec.commandLine().getErr().println("ordo: no command `" + String.join(" ", command) + "`; `ordo --help` lists them");
                return Main.USAGE;
            }
            c = subs.get(word);
        }
        out.print(ManPages.page(c.getCommandSpec()));
        out.flush();
        return 0;
    }
}
