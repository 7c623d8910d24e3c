package dev.ordo.executor.cli;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.render.ExplainTextRenderer;
import dev.ordo.planner.render.Style;
import dev.ordo.planner.rules.EarlyBoot;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ordo explain JOB}: why a job starts, what it waits for, what waits for it, when it stops. */
@Command(name = "explain",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Explain one job in the plan for a goal: the chain of events and relations from the goal to it (each"
                    + " with where it is written), what it waits for, what waits for it, and where it stops in the"
                    + " shutdown. For a job that does not start, why not.",
            "JOB is a job name, or `job (instance)` for one instance."
        })
final class ExplainCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "PATH", description = "Files or directories to read.")
    List<Path> paths;

    @Option(names = "--root", paramLabel = "DIR", description = "Also read the systemd units under DIR.")
    Path root;

    @Mixin
    GoalOptions goal;

    @Mixin
    LearnedOption learned;

    @CommandLine.Mixin
    CompleteOption complete = new CompleteOption();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        List<Path> in = Inputs.resolve(paths, root, err);
        if (in == null) return Main.USAGE;
        Config config = complete.apply(ConfigLoader.load(in, root));
        if (Inputs.nothingToRead(config, in, root, spec.commandLine().getErr())) return Main.USAGE;
        Map<String, Double> durations = learned.durations(err);
        if (durations == null) return Main.USAGE;
        if (!Goals.known(config, goal.goal(), err)) return Main.USAGE;
        String name = Planner.aliases(config).getOrDefault(job, job);
        Plan plan = Planner.plan(config, new Planner.Request(goal.goal(), durations));
        List<String> ids = ExplainTextRenderer.ids(plan, name);
        if (ids.isEmpty()) {
            String hint = Suggest.hint(job, Planner.aliases(config).keySet());
            err.println("ordo: no job `" + job + "` in this configuration" + (hint == null ? "" : "; " + hint));
            return Main.USAGE;
        }
        ExplainTextRenderer r = new ExplainTextRenderer(Style.detect());
        Set<String> earlyBoot = EarlyBoot.units(config.jobs());
        StringBuilder b = new StringBuilder();
        for (String id : ids) {
            if (b.length() > 0) b.append('\n');
            b.append(r.render(plan, id, config.byName().get(name), earlyBoot));
        }
        spec.commandLine().getOut().print(b);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
