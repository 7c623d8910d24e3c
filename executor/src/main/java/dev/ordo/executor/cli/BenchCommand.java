package dev.ordo.executor.cli;

import dev.ordo.planner.plan.Planner;

import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.config.load.ConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ordo bench}: measures ordo's own speed and prints the figures. Speed is measured here, in a
 * benchmark, never asserted in a test.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure how fast ordo works on your input, after warming the JVM up.",
        subcommands = {BenchCommand.Check.class, BenchPlan.class, BenchRun.class, BenchBoot.class, EngineBench.class})
final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Time loading and checking PATHs (as `ordo check` does), end to end in one JVM.")
    static final class Check implements Callable<Integer> {

        @Parameters(arity = "0..*", paramLabel = "PATH")
        List<Path> paths;

        @Option(names = "--root", paramLabel = "DIR")
        Path root;

        @Option(names = "--warmup", defaultValue = "20", description = "Runs before measuring (default ${DEFAULT-VALUE}).")
        int warmup;

        @Option(names = "--iterations", defaultValue = "50", description = "Measured runs (default ${DEFAULT-VALUE}).")
        int iterations;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<Path> in = Inputs.resolve(paths, root, spec.commandLine().getErr());
            if (in == null) return Main.USAGE;
            CheckReport last = null;
            for (int i = 0; i < warmup; i++) last = Planner.check(ConfigLoader.load(in, root));
            long[] nanos = new long[Math.max(1, iterations)];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                last = Planner.check(ConfigLoader.load(in, root));
                nanos[i] = System.nanoTime() - t0;
            }
            Arrays.sort(nanos);
            out.printf("check: %d files, %d jobs, %d diagnostics%n", last.config().files().size(),
                    last.config().jobs().size(), last.diagnostics().size());
            out.printf("  %d runs after %d warm-up: median %.2f ms, min %.2f ms, p90 %.2f ms, max %.2f ms%n",
                    nanos.length, warmup, ms(nanos[nanos.length / 2]), ms(nanos[0]),
                    ms(nanos[(int) Math.min(nanos.length - 1, Math.round(nanos.length * 0.9))]),
                    ms(nanos[nanos.length - 1]));
            out.printf("  %.0f jobs/s%n", last.config().jobs().size() / (nanos[nanos.length / 2] / 1e9));
            return 0;
        }

        private static double ms(long n) {
            return n / 1e6;
        }
    }
}
