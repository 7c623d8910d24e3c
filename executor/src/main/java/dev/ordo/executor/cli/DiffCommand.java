package dev.ordo.executor.cli;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.PlanDiff;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.render.PlanDiffJsonRenderer;
import dev.ordo.planner.render.PlanDiffTextRenderer;
import dev.ordo.planner.render.PlanJson;
import dev.ordo.planner.render.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ordo diff OLD NEW}: what a configuration change does to the boot, before it is deployed. */
@Command(name = "diff",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Compare two plans: jobs added to or removed from the boot, jobs that moved wave or come up at another"
                    + " time, what no longer starts (or now does) and why, the finishing time and critical path,"
                    + " the shutdown order, and errors that appeared or went away.",
            "OLD and NEW are each a file, a directory (as for `ordo check`), or a plan saved with"
                    + " `ordo plan --format json`. Configurations are planned for the same goal; a saved plan"
                    + " keeps its own, and without goal options the configuration side takes the saved plan's goal."
        },
        footerHeading = "%nExit status:%n",
        footer = {"  0  the plans are equal", "  1  the plans differ",
            "  2  wrong usage, a path that cannot be read, or a .json file that is not an ordo.plan/1 document"})
final class DiffCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "OLD", description = "The configuration or saved plan before.")
    Path old;

    @Parameters(index = "1", paramLabel = "NEW", description = "The configuration or saved plan after.")
    Path neu;

    @Mixin
    GoalOptions goal;

    @Mixin
    LearnedOption learned;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Report.class,
            completionCandidates = OutputFormat.Report.class,
            description = "text (default) or json (ordo.diff/1).")
    OutputFormat format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One side of the diff: a saved plan, or a configuration still to be planned. */
    private record Side(Path path, Plan saved, Config config) {
    }

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        Side before = side(old, err);
        if (before == null) return Main.USAGE;
        Side after = side(neu, err);
        if (after == null) return Main.USAGE;

        Goal given = goal.goal();
        boolean goalGiven = !given.events().isEmpty() || !given.jobs().isEmpty() || !given.fail().isEmpty();
        if (before.saved() != null && after.saved() != null && (goalGiven || learned.learned)) {
            err.println("ordo: OLD and NEW are both saved plans; --emit, --start, --fail and --learned apply only"
                    + " to configurations");
            return Main.USAGE;
        }
        Goal target = given;
        if (!goalGiven) {
            // Re-planning a configuration for the goal its saved counterpart was made for is what
            // makes `ordo diff saved.json config/` compare like with like.
            if (before.saved() != null) target = before.saved().goal();
            else if (after.saved() != null) target = after.saved().goal();
        } else if (!known(given, before, after, err)) {
            return Main.USAGE;
        }
        Map<String, Double> durations = Map.of();
        if (before.config() != null || after.config() != null) {
            durations = learned.durations(err);
            if (durations == null) return Main.USAGE;
        }
        Planner.Request request = new Planner.Request(target, durations);
        PlanDiff diff = PlanDiff.compare(plan(before, request), plan(after, request));
        String text = format == OutputFormat.json
                ? new PlanDiffJsonRenderer().render(diff)
                : new PlanDiffTextRenderer(Style.detect()).render(diff);
        PrintWriter out = spec.commandLine().getOut();
        out.print(text);
        out.flush();
        return diff.equal() ? 0 : 1;
    }

    private static Plan plan(Side side, Planner.Request request) {
        return side.saved() != null ? side.saved() : Planner.plan(side.config(), request);
    }

    /** Reads a saved plan or loads a configuration; null after printing why it cannot be (exit 2). */
    private static Side side(Path path, PrintWriter err) {
        if (Inputs.resolve(List.of(path), null, err) == null) return null;
        if (Files.isRegularFile(path) && path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
            String text;
            try {
                text = Files.readString(path, StandardCharsets.UTF_8);
            } catch (MalformedInputException e) {
                err.println("ordo: " + path + ": not a saved plan: the file is not UTF-8 text");
                return null;
            } catch (IOException e) {
                err.println("ordo: cannot read '" + path + "': " + e.getMessage());
                return null;
            }
            try {
                return new Side(path, PlanJson.read(text), null);
            } catch (IllegalArgumentException e) {
                err.println("ordo: " + path + ": not a saved plan: " + e.getMessage());
                return null;
            }
        }
        return new Side(path, null, ConfigLoader.load(List.of(path), null));
    }

    /**
     * A job named by --start or --fail must exist on at least one side: a job the change adds (or
     * removes) is a fair thing to plan for, a typo is not.
     */
    private static boolean known(Goal goal, Side before, Side after, PrintWriter err) {
        Config first = before.config() != null ? before.config() : after.config();
        if (first == null) return true;
        for (String j : goal.jobs()) {
            if (!onEither(new Goal(List.of(), List.of(j), List.of()), before, after, first, err)) return false;
        }
        for (Goal.Failure f : goal.fail()) {
            if (!onEither(new Goal(List.of(), List.of(), List.of(f)), before, after, first, err)) return false;
        }
        return true;
    }

    private static boolean onEither(Goal one, Side before, Side after, Config first, PrintWriter err) {
        PrintWriter quiet = new PrintWriter(new StringWriter());
        if (before.config() != null && Goals.known(before.config(), one, quiet)) return true;
        if (after.config() != null && Goals.known(after.config(), one, quiet)) return true;
        return Goals.known(first, one, err); // false, and says so with a hint
    }
}
