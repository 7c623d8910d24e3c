package dev.ordo.executor.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;

/**
 * {@code ordo completion bash|zsh|fish}: a completion script made from the command definitions themselves,
 * so it never lags behind them. bash and zsh come from picocli's own generator ({@link AutoComplete}, which
 * zsh runs through bashcompinit); picocli has none for fish, so that one is written here from the same model.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a shell completion script for ordo's commands and options.",
            "  bash:  source <(ordo completion bash)      (or save it in /etc/bash_completion.d/ordo)",
            "  zsh:   source <(ordo completion zsh)",
            "  fish:  ordo completion fish > ~/.config/fish/completions/ordo.fish"})
final class CompletionCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash, zsh or fish.")
    String shell;

    @CommandLine.Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        CommandLine root = spec.commandLine().getParent();
        switch (shell) {
            case "bash" -> out.print(AutoComplete.bash("ordo", root));
            case "zsh" -> out.print("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                    + AutoComplete.bash("ordo", root));
            case "fish" -> out.print(fish(root));
            default -> {
                spec.commandLine().getErr().println("ordo: completion is for bash, zsh or fish, not `" + shell + "`");
                return Main.USAGE;
            }
        }
        out.flush();
        return 0;
    }

    /** fish's {@code complete} lines: the commands, then each command's options, with their descriptions. */
    static String fish(CommandLine root) {
        StringBuilder b = new StringBuilder("# fish completion for ordo, made by `ordo completion fish`\n");
        b.append("complete -c ordo -f\n");
        List<String> names = new ArrayList<>(root.getSubcommands().keySet());
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            b.append("complete -c ordo -n '__fish_use_subcommand' -a ").append(e.getKey())
                    .append(" -d ").append(quote(firstLine(e.getValue().getCommandSpec()))).append('\n');
        }
        for (Map.Entry<String, CommandLine> e : root.getSubcommands().entrySet()) {
            for (OptionSpec o : e.getValue().getCommandSpec().options()) {
                b.append("complete -c ordo -n '__fish_seen_subcommand_from ").append(e.getKey()).append('\'');
                for (String n : o.names()) {
                    if (n.startsWith("--")) b.append(" -l ").append(n.substring(2));
                    else if (n.startsWith("-") && n.length() == 2) b.append(" -s ").append(n.substring(1));
                }
                if (o.arity().max() > 0) b.append(" -r");
                List<String> values = new ArrayList<>();
                if (o.completionCandidates() != null) o.completionCandidates().forEach(values::add);
                if (!values.isEmpty()) b.append(" -a ").append(quote(String.join(" ", values)));
                String d = o.description().length > 0 ? o.description()[0] : "";
                if (!d.isEmpty()) b.append(" -d ").append(quote(d.replaceAll("\\$\\{[A-Z-]+}", "")));
                b.append('\n');
            }
        }
        if (names.isEmpty()) throw new IllegalStateException("no commands");
        return b.toString();
    }

    private static String firstLine(CommandSpec spec) {
        String[] d = spec.usageMessage().description();
        return d.length == 0 ? "" : d[0];
    }

    private static String quote(String s) {
        String one = s.length() > 100 ? s.substring(0, 97) + "..." : s;
        return "'" + one.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
