package dev.ordo.executor.cli;


import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ordo bench run}: a real boot and shutdown of generated services by a forked {@code ordo run},
 * against the posix layer's own cost for the same processes, and the supervisor's memory and CPU while
 * nothing happens. Figures are printed, never asserted: they depend on the machine.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Boot SERVICES `sleep` services in LEVELS dependency levels with a forked `ordo run`"
                + " (on a fresh state directory, then again on the same one), time boot and ordered shutdown against the raw spawn cost, and measure the idle supervisor.")
final class BenchRun implements Callable<Integer> {

    @Option(names = "--services", defaultValue = "1000", description = "Services (default ${DEFAULT-VALUE}).")
    int services;

    @Option(names = "--levels", defaultValue = "10", description = "Dependency levels (default ${DEFAULT-VALUE}).")
    int levels;

    @Option(names = "--fan-in", defaultValue = "10",
            description = "Each service is `after` this many of the level before (default ${DEFAULT-VALUE}).")
    int fanIn;

    @Option(names = "--idle", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long to watch the idle supervisor (default ${DEFAULT-VALUE}).")
    int idle;

    @Option(names = "--jar", paramLabel = "JAR", description = "Run this ordo jar instead of this JVM's class path.")
    Path jar;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final String STARTED = "[  OK  ] Started ";
    static final String STOPPED = "[  OK  ] Stopped ";

    /** Levels of {@code perLevel} services; each after {@code fanIn} consecutive services (wrapping) of the level before, so that every service of a level holds up some of the next. */
    static String yaml(int services, int levels, int fanIn) {
        int perLevel = Math.max(1, services / Math.max(1, levels));
        StringBuilder y = new StringBuilder(services * 120).append("jobs:\n");
        for (int i = 0; i < services; i++) {
            int level = i / perLevel;
            int k = i % perLevel;
            y.append("  ").append(name(level, k)).append(":\n    exec: sleep infinity\n    start_on: startup\n");
            if (level > 0) {
                y.append("    after: [");
                int prev = Math.min(perLevel, services - (level - 1) * perLevel);
                for (int j = 0; j < Math.min(fanIn, prev); j++) {
                    y.append(j == 0 ? "" : ", ").append(name(level - 1, (k + j) % prev));
                }
                y.append("]\n");
            }
        }
        return y.toString();
    }

    static String name(int level, int k) {
        return String.format("l%02d-s%03d", level, k);
    }

    /** utime + stime in clock ticks, and VmRSS in kB, of a live process; -1 where unreadable. */
    record Usage(long ticks, long rssKb) {
        static Usage of(long pid) {
            long ticks = -1;
            long rss = -1;
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // Fields 14 and 15 of proc(5); f[0] is field 3.
                ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("[^0-9]", ""));
                }
            } catch (IOException | RuntimeException e) {
                // gone
            }
            return new Usage(ticks, rss);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path dir = Files.createTempDirectory("ordo-bench-run");
        try {
            Path cfg = dir.resolve("bench.yaml");
            Files.writeString(cfg, yaml(services, levels, fanIn));
            out.printf("ordo bench run: %d services in %d levels (each after %d of the level before), %s%n",
                    services, levels, fanIn, cfg);
            out.printf("machine: %d cores, load average %s, JDK %s%n", Runtime.getRuntime().availableProcessors(),
                    loadAverage(), System.getProperty("java.version"));
            out.flush();

            List<String> cmd = new ArrayList<>();
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            for (String o : BenchPlan.launcherOpts().trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
            String cp = jar != null ? jar.toString() : System.getProperty("java.class.path");
            if (cp.endsWith(".jar") && !cp.contains(File.pathSeparator)) {
                cmd.addAll(List.of("-jar", cp));
            } else {
                cmd.addAll(List.of("-cp", cp, Main.class.getName()));
            }
            cmd.addAll(List.of("run", "--state-dir", dir.resolve("state").toString(), cfg.toString()));

            // First boot on a fresh state directory (a log file created per job), then the same directory
            // again, as every later boot of a machine finds it (the logs are there).
            Boot first = boot(cmd, idle, err);
            if (first == null) return 1;
            Boot again = boot(cmd, 0, err);
            if (again == null) return 1;

            RawSpawn.Cost raw = RawSpawn.measure(services, List.of("/bin/sleep", "infinity"));
            long[] files = RawSpawn.logFiles(dir, services);

            out.printf("%n%-52s %12s %12s%n", "", "ordo run", "raw spawn");
            for (Boot b : List.of(first, again)) {
                String which = b == first ? " (first, fresh state dir)" : " (again, logs exist)";
                out.printf("%-52s %12s %12s   %s%n", "boot" + which + ": fork to all up", ms(b.boot()), ms(raw.up()),
                        ratio(b.boot(), raw.up()));
                out.printf("%-52s %12s %12s   %s%n", "  supervisor running to all up", ms(b.fromRunning()), ms(raw.up()),
                        ratio(b.fromRunning(), raw.up()));
                out.printf("%-52s %12s %12s   %s%n", "  CPU of the supervisor, running to all up", ms(b.cpuTicks() * 10_000_000L),
                        ms(raw.upTicks() * 10_000_000L), ratio(b.cpuTicks(), Math.max(1, raw.upTicks())));
                out.printf("%-52s %12s %12s   %s%n", "  shutdown: SIGTERM to exit, in order", ms(b.down()), ms(raw.down()),
                        ratio(b.down(), raw.down()));
                out.printf("%-52s %12s%n", "  exit status; Started / Stopped lines",
                        b.exit() + "; " + b.started() + " / " + b.stopped());
            }
            out.printf("%-52s %12s %12s%n", "serial spawn-and-reap of /bin/true, " + services + "x", "", ms(raw.serialTrue()));
            out.printf("%-52s %12s %12s%n", "file system: create " + services + " log files / open again", ms(files[0]),
                    ms(files[1]));
            out.printf("%-52s %9d kB -> %d kB%n", "idle: RSS of ordo run over " + idle + " s", first.idleBefore().rssKb(),
                    first.idleAfter().rssKb());
            long ticks = first.idleAfter().ticks() - first.idleBefore().ticks();
            out.printf("%-52s %9d ms (%.3f%% of one CPU)%n", "idle: CPU (utime+stime) over " + idle + " s", ticks * 10,
                    idle == 0 ? 0.0 : ticks * 10 / (idle * 10.0));
            out.printf("%-52s %12s%n", "load average at the end", loadAverage());
            for (Boot b : List.of(first, again)) if (!b.other().isEmpty()) out.println("other output: " + b.other());
            out.flush();
            boolean ok = true;
            for (Boot b : List.of(first, again)) ok &= b.exit() == 0 && b.stopped() == services;
            return ok ? 0 : 1;
        } finally {
            dev.ordo.executor.posix.DirectoryTrees.delete(dir);
        }
    }

    /**
     * One boot and ordered shutdown by a forked {@code ordo run}: nanoseconds from the fork and from its
     * {@code running as} line to the last {@code Started} line, its CPU ticks meanwhile, and the shutdown.
     */
    record Boot(long boot, long fromRunning, long cpuTicks, long down, int exit, int started, int stopped,
            Usage idleBefore, Usage idleAfter, List<String> other) {
    }

    /** Boots, watches the idle supervisor for {@code idle} seconds, shuts down; null (and why, on err) if it failed. */
    private Boot boot(List<String> cmd, int idle, PrintWriter err) throws IOException, InterruptedException {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        AtomicLong running = new AtomicLong();
        AtomicLong allUp = new AtomicLong();
        // The supervisor's CPU time (every thread) when it says it runs and when all are up: unlike wall
        // time, not stretched by whatever else the machine is doing.
        AtomicLong runningTicks = new AtomicLong(-1);
        AtomicLong upTicks = new AtomicLong(-1);
        List<String> other = new ArrayList<>();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("NO_COLOR", "1");
        long t0 = System.nanoTime();
        Process run = pb.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(run.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    if (l.startsWith(STARTED)) {
                        if (started.incrementAndGet() == services) {
                            allUp.set(System.nanoTime());
                            upTicks.set(Usage.of(run.pid()).ticks());
                        }
                    } else if (l.startsWith(STOPPED)) {
                        stopped.incrementAndGet();
                    } else if (l.startsWith("ordo: running as pid")) {
                        running.set(System.nanoTime());
                        runningTicks.set(Usage.of(run.pid()).ticks());
                    } else if (!l.startsWith("ordo: shutting down") && !l.startsWith("ordo: shutdown complete")) {
                        synchronized (other) {
                            if (other.size() < 20) other.add(l);
                        }
                    }
                }
            } catch (IOException e) {
                // ended
            }
        }, "bench-run-output");
        reader.setDaemon(true);
        reader.start();

        long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (allUp.get() == 0 && run.isAlive() && System.nanoTime() < limit) Thread.sleep(5);
        if (allUp.get() == 0) {
            run.destroyForcibly();
            err.println("ordo: the boot did not finish: " + started.get() + " of " + services + " started; output: " + other);
            return null;
        }
        long boot = allUp.get() - t0;
        long bootFromRunning = allUp.get() - running.get();

        // Let the last state file write and the JIT settle before watching.
        Thread.sleep(2000);
        Usage before = Usage.of(run.pid());
        Thread.sleep(TimeUnit.SECONDS.toMillis(idle));
        Usage after = Usage.of(run.pid());

        long t1 = System.nanoTime();
        // SIGTERM: the ordered shutdown. Through the handle: Process.destroy also closes the output pipe.
        run.toHandle().destroy();
        boolean ended = run.waitFor(120, TimeUnit.SECONDS);
        long down = System.nanoTime() - t1;
        reader.join(5000);
        if (!ended) {
            run.destroyForcibly();
            err.println("ordo: the shutdown did not finish: " + stopped.get() + " of " + services + " stopped");
            return null;
        }
        synchronized (other) {
            return new Boot(boot, bootFromRunning, upTicks.get() - runningTicks.get(), down, run.exitValue(),
                    started.get(), stopped.get(), before, after, List.copyOf(other));
        }
    }


    /** The first three fields of /proc/loadavg: what else the machine was doing. */
    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String ms(long nanos) {
        return String.format("%,.0f ms", nanos / 1e6);
    }

    private static String ratio(long a, long b) {
        return String.format("%.1fx", (double) a / b);
    }
}
