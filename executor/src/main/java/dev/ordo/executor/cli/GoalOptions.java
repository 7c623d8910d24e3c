package dev.ordo.executor.cli;

import dev.ordo.planner.model.Signal;
import dev.ordo.planner.plan.Goal;
import java.util.ArrayList;
import java.util.List;
import java.util.Stack;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --emit EVENT [K=V...]}, {@code --start JOB}, {@code --fail JOB[=HOW]}: what a plan is for.
 * Shared by {@code plan}, {@code explain}, {@code diff} and {@code run} (which refuses {@code --fail}).
 */
final class GoalOptions {

    @Option(names = "--emit", paramLabel = "EVENT [K=V...]", parameterConsumer = EmitConsumer.class,
            description = "Emit EVENT (with its variables) at time 0; repeatable. Default: startup.")
    List<String> emits = new ArrayList<>();

    @Option(names = "--start", paramLabel = "JOB",
            description = "Start JOB at time 0; repeatable. For systemd units the default is default.target.")
    List<String> starts = new ArrayList<>();

    @Option(names = "--fail", paramLabel = "JOB[=HOW]",
            description = "Make JOB fail at its start, to see what that takes down; HOW is an exit status or a signal"
                    + " (default: any way). Repeatable.")
    List<String> fails = new ArrayList<>();

    Goal goal() {
        List<Goal.GoalEvent> events = new ArrayList<>();
        for (String e : emits) {
            String[] parts = e.split("\u0000", -1);
            List<String> env = new ArrayList<>();
            for (int i = 1; i < parts.length; i++) env.add(parts[i]);
            events.add(new Goal.GoalEvent(parts[0], env));
        }
        List<Goal.Failure> failures = new ArrayList<>();
        for (String f : fails) {
            int eq = f.indexOf('=');
            failures.add(eq < 0 ? new Goal.Failure(f, null) : new Goal.Failure(f.substring(0, eq), how(f.substring(eq + 1))));
        }
        return new Goal(events, starts, failures);
    }

    /**
     * A signal as the job's events name it (U§1.6: {@code EXIT_SIGNAL=SEGV}), so {@code SIGSEGV} and
     * {@code segv} match what the job file says; a number is an exit status, and it and what Goals refuses
     * stay as given.
     */
    private static String how(String how) {
        if (how.isEmpty() || how.chars().allMatch(Character::isDigit)) return how;
        try {
            return Signal.parse(how).name();
        } catch (IllegalArgumentException e) {
            return how;
        }
    }

    /** Takes the event name and then every following argument shaped KEY=VALUE. */
    static final class EmitConsumer implements CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(Stack<String> args, CommandLine.Model.ArgSpec argSpec,
                                      CommandLine.Model.CommandSpec commandSpec) {
            if (args.isEmpty() || args.peek().startsWith("-")) {
                throw new CommandLine.ParameterException(commandSpec.commandLine(),
                        "--emit needs an event name, e.g. --emit tty-added TTY=tty1");
            }
            // `--emit "tty-added TTY=tty1"` in one word works as well as in several.
            StringBuilder b = new StringBuilder(String.join("\u0000", args.pop().trim().split("\\s+")));
            while (!args.isEmpty() && args.peek().matches("[A-Za-z_][A-Za-z0-9_.]*=.*")) {
                b.append('\u0000').append(args.pop());
            }
            List<String> list = argSpec.getValue();
            list.add(b.toString());
        }
    }
}
