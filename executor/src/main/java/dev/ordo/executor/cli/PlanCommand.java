package dev.ordo.executor.cli;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.render.PlanJson;
import dev.ordo.planner.render.PlanTextRenderer;
import dev.ordo.planner.render.Style;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ordo plan}: what boots for a goal, in which waves, how long it takes, and how it stops. */
@Command(name = "plan",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Plan the boot for a goal without running anything: which jobs start, why, in which parallel waves,"
                    + " when each is up, the critical path, what does not start and why, and the shutdown order.",
            "PATHs as for `ordo check`."
        },
        footerHeading = "%nExit status:%n",
        footer = {"  0  a plan without errors", "  1  the configuration has errors (deadlocks, held events, ...)",
            "  2  wrong usage, or a path that cannot be read"})
final class PlanCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories to read.")
    List<Path> paths;

    @Option(names = "--root", paramLabel = "DIR", description = "Also read the systemd units under DIR.")
    Path root;

    @Mixin
    GoalOptions goal;

    @Option(names = "--shutdown", description = "Show the shutdown too (JSON always has it).")
    boolean shutdown;

    @Mixin
    LearnedOption learned;

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text, json (ordo.plan/1), dot, mermaid or svg; without it, what -o FILE's extension"
                    + " names (.json, .dot, .gv, .mmd, .svg), else text.")
    OutputFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @CommandLine.Mixin
    CompleteOption complete = new CompleteOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        List<Path> in = Inputs.resolve(paths, root, spec.commandLine().getErr());
        if (in == null) return Main.USAGE;
        Config config = complete.apply(ConfigLoader.load(in, root));
        if (Inputs.nothingToRead(config, in, root, spec.commandLine().getErr())) return Main.USAGE;
        Map<String, Double> durations = learned.durations(spec.commandLine().getErr());
        if (durations == null) return Main.USAGE;
        if (!Goals.known(config, goal.goal(), spec.commandLine().getErr())) return Main.USAGE;
        Plan plan = Planner.plan(config, new Planner.Request(goal.goal(), durations));
        int status = plan.diagnostics().stream().anyMatch(d -> d.isError()) ? 1 : 0;
        OutputFormat format = format();
        if (format == OutputFormat.json) {
            // Streamed: a plan of 100,000 steps is about 100 MB of JSON, never held in memory as a whole.
            try (Writer w = output == null ? null : Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
                PlanJson.write(plan, w != null ? w : spec.commandLine().getOut());
            } catch (IOException e) {
                spec.commandLine().getErr().println("ordo: cannot write '" + output + "': " + e.getMessage());
                return Main.USAGE;
            }
            spec.commandLine().getOut().flush();
            return status;
        }
        String text = switch (format) {
            case text -> new PlanTextRenderer(output == null ? Style.detect() : Style.PLAIN, shutdown).render(plan);
            default -> Renderers.render(format, plan);
        };
        if (output != null) {
            try {
                Files.writeString(output, text, StandardCharsets.UTF_8);
            } catch (IOException e) {
                spec.commandLine().getErr().println("ordo: cannot write '" + output + "': " + e.getMessage());
                return Main.USAGE;
            }
        } else {
            spec.commandLine().getOut().print(text);
            spec.commandLine().getOut().flush();
        }
        return status;
    }

    /** --format when given; else what -o's file name says; else text. */
    private OutputFormat format() {
        if (format != null) return format;
        OutputFormat named = output == null ? null : OutputFormat.ofFileName(output);
        return named != null ? named : OutputFormat.text;
    }
}
