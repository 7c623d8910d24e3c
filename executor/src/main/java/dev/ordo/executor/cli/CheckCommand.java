package dev.ordo.executor.cli;

import dev.ordo.planner.plan.Planner;

import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.render.CheckJsonRenderer;
import dev.ordo.planner.render.CheckTextRenderer;
import dev.ordo.planner.render.Style;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ordo check}: validate configurations, for people and for CI. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Check configurations without running anything: syntax, unknown keys (with a \"did you mean\"),"
                    + " values, references to jobs and events, variables, and ordering cycles.",
            "PATHs are files or directories, in any mix of formats: *.yaml/*.yml (ordo), *.conf (Upstart),"
                    + " unit files (systemd). With no PATH, ./ordo.yaml."
        },
        footerHeading = "%nExit status:%n",
        footer = {"  0  no errors (warnings allowed unless --strict)", "  1  errors found",
            "  2  wrong usage, or a path that cannot be read"})
final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories to check.")
    List<Path> paths;

    @Option(names = "--root", paramLabel = "DIR",
            description = "Also read the systemd units under DIR, in systemd's search order"
                    + " (DIR/etc/systemd/system before DIR/lib/systemd/system).")
    Path root;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", converter = OutputFormat.Report.class,
            completionCandidates = OutputFormat.Report.class,
            description = "text (compiler style, the default) or json (ordo.check/1).")
    OutputFormat format;

    @Option(names = "--strict", description = "Fail (exit 1) on warnings too.")
    boolean strict;

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
        CheckReport report = Planner.check(config);
        String text = format == OutputFormat.json
                ? new CheckJsonRenderer().render(report)
                : new CheckTextRenderer(Style.detect()).render(report);
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
        if (report.errors() > 0) return 1;
        return strict && report.warnings() > 0 ? 1 : 0;
    }
}
