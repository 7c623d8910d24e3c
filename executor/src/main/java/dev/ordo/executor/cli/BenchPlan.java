package dev.ordo.executor.cli;


import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.render.PlanJson;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ordo bench plan}: plans generated configurations of growing size and prints what it costs,
 * end to end in a fresh JVM (as a user runs {@code ordo plan}), warm in this JVM phase by phase, and
 * next to coreutils {@code tsort} on the same ordering edges. It prints figures; it asserts nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Time `ordo plan --format json` on generated configurations of growing size: end to end in a"
                + " fresh JVM (wall time, peak memory), warm in this JVM (load, plan, JSON, heap), and coreutils"
                + " `tsort` on the same edges.",
            "Shapes: `pure` (each job `after` 0-3 earlier jobs) and `mixed` (job events with and/or,"
                    + " requires/wants, emits, starting, tasks, instances)."})
final class BenchPlan implements Callable<Integer> {

    /** The launcher's JVM options (the `ordo` script), used for the fresh-JVM runs by default. */
    static final String LAUNCHER_JAVA_OPTS = "-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -XX:-UsePerfData"
            + " -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions -XX:GuaranteedSafepointInterval=0"
            + " -XX:AsyncDeflationInterval=60000";

    @Option(names = "--sizes", split = ",", defaultValue = "1000,10000,100000", paramLabel = "N,N,...",
            description = "Numbers of jobs (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--shapes", split = ",", defaultValue = "pure,mixed", paramLabel = "SHAPE,...",
            description = "pure, mixed (default ${DEFAULT-VALUE}).")
    List<String> shapes;

    @Option(names = "--seed", defaultValue = "1", description = "Seed for the generator (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--runs", defaultValue = "3",
            description = "Fresh-JVM and tsort runs per size; the best counts (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--warmup", defaultValue = "3", description = "Warm-up rounds in this JVM (default ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--iterations", defaultValue = "5",
            description = "Measured rounds in this JVM; the median counts (default ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--java-opts", paramLabel = "OPTS",
            description = "JVM options for the fresh-JVM runs (default: $ORDO_JAVA_OPTS, else the launcher's: "
                    + LAUNCHER_JAVA_OPTS + ", and the class data archive ordo.jsa beside the jar if there is one).")
    String javaOpts;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "Run this ordo jar for the fresh-JVM runs (e.g. an older build, to compare); default: this one.")
    Path jar;

    @Option(names = "--no-fresh", description = "Skip the fresh-JVM and tsort runs.")
    boolean noFresh;

    @Option(names = "--keep", paramLabel = "DIR", description = "Write the generated files to DIR and keep them.")
    Path keep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One run of a command: wall time, CPU time (user + system; -1 when unknown), peak RSS, exit status. */
    private record Fresh(double seconds, double cpu, long rssKb, int exit) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        for (String s : shapes) {
            if (!s.equals("pure") && !s.equals("mixed")) {
                spec.commandLine().getErr().println("ordo: --shapes: unknown shape `" + s + "` (pure, mixed)");
                return Main.USAGE;
            }
        }
        Path dir = keep != null ? Files.createDirectories(keep) : Files.createTempDirectory("ordo-bench-plan");
        try {
            String opts = javaOpts != null ? javaOpts
                    : System.getenv("ORDO_JAVA_OPTS") != null ? System.getenv("ORDO_JAVA_OPTS") : launcherOpts();
            boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
            boolean tsort = !noFresh && onPath("tsort");
            out.printf("ordo bench plan: seed %d; fresh JVM: best of %d, `%s`, memory from %s; warm: median of %d"
                            + " after %d; %d cores, JDK %s%n", seed, runs, opts,
                    gnuTime ? "/usr/bin/time -f %M" : "/proc VmHWM", iterations, warmup,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            out.println();
            out.println("| shape | jobs | steps | end to end | CPU | peak RSS | µs/job | load | plan | json | heap | tsort"
                    + " | ordo/tsort |");
            out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
            out.flush();
            for (String shape : shapes) {
                for (int n : sizes) {
                    SyntheticConfig c = shape.equals("pure") ? SyntheticConfig.pure(n, seed)
                            : SyntheticConfig.mixed(n, seed);
                    Path yaml = dir.resolve(shape + "-" + n + ".yaml");
                    Files.writeString(yaml, c.yaml(), StandardCharsets.UTF_8);
                    Path edges = null;
                    if (!c.edges().isEmpty()) {
                        edges = dir.resolve(shape + "-" + n + ".edges");
                        Files.writeString(edges, c.edges(), StandardCharsets.UTF_8);
                    }
                    row(out, c, yaml, edges, opts, gnuTime, tsort);
                }
            }
            out.println();
            out.println("end to end: `java " + opts + " -jar ordo.jar plan FILE --format json -o /dev/null`; load,"
                    + " plan, json: warm, in this JVM; heap: live after a full GC with config, plan and JSON held."
                    + " Wall and CPU (user + system) are each the best of the runs; ordo/tsort is of wall times.");
            if (keep != null) out.println("files kept in " + dir);
            return 0;
        } finally {
            if (keep == null) deleteTree(dir);
        }
    }

    private void row(PrintWriter out, SyntheticConfig c, Path yaml, Path edges, String opts, boolean gnuTime,
                     boolean tsort) throws Exception {
        Fresh best = null;
        if (!noFresh) {
            for (int i = 0; i < Math.max(1, runs); i++) {
                Fresh f = fresh(ordoCommand(opts, yaml, jar), gnuTime);
                // Best wall time and best CPU time each; the highest peak memory (it hardly varies).
                best = best == null ? f : new Fresh(Math.min(best.seconds(), f.seconds()), Math.min(best.cpu(), f.cpu()),
                        Math.max(best.rssKb(), f.rssKb()), best.exit() != 0 ? best.exit() : f.exit());
            }
        }
        Fresh ts = null;
        if (tsort && edges != null) {
            for (int i = 0; i < Math.max(1, runs); i++) {
                Fresh f = fresh(List.of("tsort", edges.toString()), gnuTime);
                ts = ts == null ? f : new Fresh(Math.min(ts.seconds(), f.seconds()), Math.min(ts.cpu(), f.cpu()),
                        Math.max(ts.rssKb(), f.rssKb()), ts.exit());
            }
        }

        List<Path> in = List.of(yaml);
        for (int i = 0; i < warmup; i++) PlanJson.write(Planner.plan(ConfigLoader.load(in, null), Planner.Request.defaults()));
        long[] load = new long[Math.max(1, iterations)];
        long[] plan = new long[load.length];
        long[] json = new long[load.length];
        Config config = null;
        Plan p = null;
        String text = null;
        for (int i = 0; i < load.length; i++) {
            config = null;
            p = null;
            text = null;
            long t0 = System.nanoTime();
            config = ConfigLoader.load(in, null);
            long t1 = System.nanoTime();
            p = Planner.plan(config, Planner.Request.defaults());
            long t2 = System.nanoTime();
            text = PlanJson.write(p);
            long t3 = System.nanoTime();
            load[i] = t1 - t0;
            plan[i] = t2 - t1;
            json[i] = t3 - t2;
        }
        double heapMb = liveHeapMb();
        // What the heap figure measures must stay reachable until it has been taken.
        Reference.reachabilityFence(config);
        Reference.reachabilityFence(text);
        int steps = p.boot().steps().size();

        double e2e = best == null ? Double.NaN : best.seconds();
        out.printf("| %s | %,d | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", c.shape(), c.jobs(), steps,
                best == null ? "–" : String.format("%.2f s%s", e2e, best.exit() == 0 ? "" : " (exit " + best.exit() + ")"),
                best == null || best.cpu() < 0 ? "–" : String.format("%.2f s", best.cpu()),
                best == null || best.rssKb() <= 0 ? "–" : String.format("%,d MB", best.rssKb() / 1024),
                best == null ? "–" : String.format("%.0f", e2e * 1e6 / c.jobs()),
                ms(median(load)), ms(median(plan)), ms(median(json)), String.format("%,.0f MB", heapMb),
                ts == null ? "–" : String.format("%.3f s", ts.seconds()),
                ts == null || best == null ? "–" : String.format("%.1f×", e2e / ts.seconds()));
        out.flush();
    }

    /** As the `ordo` launcher runs the JVM: with the class data archive it keeps beside the jar, if there is one. */
    static String launcherOpts() {
        String cp = System.getProperty("java.class.path");
        Path jsa = Path.of(cp).toAbsolutePath().resolveSibling("ordo.jsa");
        if (cp.endsWith(".jar") && !cp.contains(File.pathSeparator) && Files.isReadable(jsa)) {
            return LAUNCHER_JAVA_OPTS + " -XX:SharedArchiveFile=" + jsa + " -Xlog:cds=off -Xlog:cds+dynamic=off";
        }
        return LAUNCHER_JAVA_OPTS;
    }

    /** This JVM's own command line, to run {@code ordo plan FILE --format json -o /dev/null} afresh. */
    private static List<String> ordoCommand(String opts, Path yaml, Path jar) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : opts.trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        String cp = jar != null ? jar.toString() : System.getProperty("java.class.path");
        if (cp.endsWith(".jar") && !cp.contains(File.pathSeparator)) {
            cmd.add("-jar");
            cmd.add(cp);
        } else {
            cmd.add("-cp");
            cmd.add(cp);
            cmd.add(Main.class.getName());
        }
        cmd.addAll(List.of("plan", yaml.toString(), "--format", "json", "-o", "/dev/null"));
        return cmd;
    }

    /** Runs a command to the end: its wall time, its peak resident memory, its exit status. */
    private static Fresh fresh(List<String> command, boolean gnuTime) throws IOException, InterruptedException {
        Path rss = Files.createTempFile("ordo-bench", ".rss");
        try {
            List<String> cmd = new ArrayList<>();
            if (gnuTime) cmd.addAll(List.of("/usr/bin/time", "-f", "%M %U %S", "-o", rss.toString()));
            cmd.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            long t0 = System.nanoTime();
            Process proc = pb.start();
            long hwm = 0;
            double cpu = -1;
            while (!proc.waitFor(gnuTime ? 1000 : 20, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!gnuTime) hwm = Math.max(hwm, vmHwmKb(proc.pid()));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (gnuTime) {
                String[] lines = Files.readString(rss).trim().split("\n");
                String[] f = lines[lines.length - 1].trim().split("\\s+");
                try {
                    hwm = Long.parseLong(f[0]);
                    cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
                } catch (RuntimeException e) {
                    hwm = -1;
                }
            }
            return new Fresh(seconds, cpu, hwm, proc.exitValue());
        } finally {
            Files.deleteIfExists(rss);
        }
    }

    /** Peak resident memory so far, from /proc; 0 once the process is gone. */
    private static long vmHwmKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // gone already
        }
        return 0;
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return false;
        for (String d : path.split(File.pathSeparator)) if (Files.isExecutable(Path.of(d, exe))) return true;
        return false;
    }

    private static double liveHeapMb() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return (rt.totalMemory() - rt.freeMemory()) / (1024.0 * 1024.0);
    }

    private static long median(long[] xs) {
        long[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static String ms(long nanos) {
        double m = nanos / 1e6;
        return m < 10 ? String.format("%.1f ms", m) : String.format("%,.0f ms", m);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
