package dev.ordo.executor.cli;

import dev.ordo.executor.posix.Argv;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ordo bench boot}: a real boot, timed. {@code ordo run} (by default of the machine's own unit tree,
 * {@code --root /}) runs as PID 1 of a seal ({@link SealScript}), as a container's init, until a job is up and, if
 * given, a probe run inside answers; then SIGTERM, and the ordered shutdown is timed too. ordo's own CPU time and
 * memory are read from the host's /proc when the job is up. The yardsticks, in the same run: the seal alone around
 * {@code /bin/true}, and a JVM that starts ordo and exits ({@code ordo --version}) in the seal, the floor of any boot
 * by a Java init.
 */
@Command(name = "boot", mixinStandardHelpOptions = true,
        description = "Boot a unit tree with `ordo run` as PID 1 of a sealed namespace (root only) and time it to a job"
                + " being up, to a probe answering, and the shutdown, against the seal and a bare JVM start.")
final class BenchBoot implements Callable<Integer> {

    @Option(names = "--runs", defaultValue = "3", description = "Boots measured (default ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--until", defaultValue = "multi-user.target", paramLabel = "JOB",
            description = "The boot is done when JOB is start/running (default ${DEFAULT-VALUE}).")
    String until;

    @Option(names = "--probe", paramLabel = "COMMAND",
            description = "A shell command run inside the seal until it succeeds, e.g. `curl -fs http://127.0.0.1/`.")
    String probe;

    @Option(names = "--work", paramLabel = "DIR", description = "Where the seals' overlays and state go (default"
            + " ~/.cache/ordo/bench-boot); not under /run, /tmp, /var or /etc, which the seal hides.")
    Path work;

    @Parameters(arity = "0..*", paramLabel = "RUN-ARG", description = "What `ordo run` is given (default --root /).")
    List<String> runArgs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(120);

    /** One boot: nanoseconds to the job up and to the probe (-1 without one), ordo's cost then, the shutdown. */
    record TimedBoot(long up, long serving, BenchRun.Usage usage, long peakKb, long down, int exit, long failed) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String refused = refused();
        if (refused != null) {
            err.println("ordo: bench boot: " + refused);
            return Main.USAGE;
        }
        Path base = (work != null ? work : Path.of(System.getProperty("user.home"), ".cache", "ordo", "bench-boot"))
                .toAbsolutePath().normalize();
        for (String hidden : SealScript.SEALED) {
            if (base.startsWith(hidden)) {
                err.println("ordo: bench boot: " + base + " lies under " + hidden + ", which the seal hides; give --work DIR");
                return Main.USAGE;
            }
        }
        List<String> args = runArgs == null || runArgs.isEmpty() ? List.of("--root", "/") : runArgs;
        out.printf("ordo bench boot: ordo run %s as PID 1 of a seal, until %s is start/running%s; %d runs%n",
                String.join(" ", args), until, probe == null ? "" : " and `" + probe + "` succeeds", runs);
        out.printf("machine: %d cores, load average %s, JDK %s%n", Runtime.getRuntime().availableProcessors(),
                BenchRun.loadAverage(), System.getProperty("java.version"));
        out.flush();
        long[] seal = new long[3];
        long[] jvm = new long[3];
        for (int i = 0; i < 3; i++) {
            seal[i] = alone(base.resolve("seal"), List.of("true"));
            jvm[i] = alone(base.resolve("jvm"), ordo(List.of("--version")));
        }
        List<TimedBoot> boots = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            TimedBoot b = boot(base.resolve("boot-" + i), args, err);
            if (b == null) return 1;
            boots.add(b);
        }
        out.printf("%n%-44s %10s %10s %10s%n", "", "median", "min", "max");
        row(out, "seal alone (unshare, mounts, /bin/true)", seal);
        row(out, "ordo --version in the seal (a JVM's floor)", jvm);
        row(out, "boot: to " + until + " start/running", boots.stream().mapToLong(TimedBoot::up).toArray());
        if (probe != null) row(out, "boot: to the probe succeeding", boots.stream().mapToLong(TimedBoot::serving).toArray());
        row(out, "ordo's CPU time when " + until + " was up", boots.stream().mapToLong(b -> b.usage().ticks() * 10_000_000L).toArray());
        out.printf("%-44s %10s %10s %10s%n", "ordo's resident memory then (peak)", mib(boots, false), "", mib(boots, true));
        row(out, "shutdown: SIGTERM to PID 1's exit", boots.stream().mapToLong(TimedBoot::down).toArray());
        out.printf("%-44s %10s%n", "exit status; [FAILED] lines", boots.stream().map(b -> b.exit() + "; " + b.failed())
                .reduce((a, b) -> a + ", " + b).orElse(""));
        out.flush();
        return boots.stream().allMatch(b -> b.exit() == 0) ? 0 : 1;
    }

    /** Why no seal can be made by this process, or null. */
    private static String refused() {
        if (!"root".equals(System.getProperty("user.name"))) return "a seal needs root (unshare, mounts, nsenter)";
        for (String tool : List.of("unshare", "nsenter", "setpriv", "ip", "mount")) {
            String path = System.getenv("PATH");
            if (!Argv.resolve(tool, path == null ? Argv.DEFAULT_PATH : path).found()) return tool + " is not installed (util-linux, iproute2)";
        }
        return null;
    }

    /** {@code java ... Main ARGS}: this JVM's java and class path, with the launcher's options. */
    private static List<String> ordo(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String o : BenchPlan.launcherOpts().trim().split("\\s+")) if (!o.isEmpty()) cmd.add(o);
        String cp = System.getProperty("java.class.path");
        if (cp.endsWith(".jar") && !cp.contains(File.pathSeparator)) cmd.addAll(List.of("-jar", cp));
        else cmd.addAll(List.of("-cp", cp, Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** A fresh work directory: the overlays' directories, {@code state/}, and the script. */
    private static Path prepare(Path w) throws IOException {
        BenchRun.deleteTree(w);
        for (String d : SealScript.WORK_DIRECTORIES) Files.createDirectories(w.resolve(d));
        Files.createDirectories(w.resolve("state"));
        // Traversable (not listable) by the users the daemons run as: a User= daemon's notify socket is in state/.
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwx--x--x"));
        for (Path p = w.getParent(); p != null; p = p.getParent()) {
            if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                throw new IOException(p + " is not traversable by other users (a User= daemon could not reach its notify"
                        + " socket); give --work DIR");
            }
        }
        Files.writeString(w.resolve("seal.sh"), SealScript.TEXT);
        return w;
    }

    private static Process seal(Path w, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(SealScript.UNSHARE);
        cmd.addAll(List.of("sh", w.resolve("seal.sh").toString(), w.toString()));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(w.resolve("output").toFile());
        // A container's environment, not the caller's.
        pb.environment().clear();
        pb.environment().put("PATH", SealScript.PATH);
        pb.environment().put("HOME", "/root");
        pb.environment().put("NO_COLOR", "1");
        return pb.start();
    }

    /** Nanoseconds from unshare to the end of {@code command} as PID 1 of a seal. */
    private static long alone(Path w, List<String> command) throws IOException, InterruptedException {
        prepare(w);
        long t0 = System.nanoTime();
        Process p = seal(w, command);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("the seal around " + command + " failed: " + Files.readString(w.resolve("output")));
        }
        long t = System.nanoTime() - t0;
        BenchRun.deleteTree(w);
        return t;
    }

    private TimedBoot boot(Path w, List<String> args, PrintWriter err) throws IOException, InterruptedException {
        prepare(w);
        Path state = w.resolve("state");
        List<String> run = new ArrayList<>(List.of("run", "--state-dir", state.toString()));
        run.addAll(args);
        long t0 = System.nanoTime();
        Process unshare = seal(w, ordo(run));
        try {
            long pid1 = -1;
            long up = -1;
            long serving = probe == null ? 0 : -1;
            BenchRun.Usage usage = null;
            long peak = -1;
            while (up < 0 || serving < 0) {
                if (!unshare.isAlive() || System.nanoTime() - t0 > LIMIT_NANOS || failedToStart(w)) {
                    err.println("ordo: bench boot: " + until + " was not up" + (probe == null || serving >= 0 ? "" : ", or the probe"
                            + " never succeeded") + "; ordo wrote:\n" + Files.readString(w.resolve("output")));
                    return null;
                }
                if (pid1 < 0) {
                    List<ProcessHandle> kids = unshare.toHandle().children().toList();
                    if (kids.size() == 1) pid1 = kids.get(0).pid();
                }
                if (up < 0 && status(state).startsWith(until + " start/running")) {
                    up = System.nanoTime() - t0;
                    usage = BenchRun.Usage.of(pid1);
                    peak = peakKb(pid1);
                }
                if (serving < 0 && pid1 > 0 && inside(pid1, probe)) serving = System.nanoTime() - t0;
                Thread.sleep(20);
            }
            long t1 = System.nanoTime();
            ProcessHandle.of(pid1).ifPresent(ProcessHandle::destroy); // SIGTERM: the ordered shutdown
            if (!unshare.waitFor(120, TimeUnit.SECONDS)) {
                err.println("ordo: bench boot: the shutdown did not end in 120 s");
                return null;
            }
            long down = System.nanoTime() - t1;
            long failed;
            try (Stream<String> lines = Files.lines(w.resolve("output"), StandardCharsets.UTF_8)) {
                failed = lines.filter(l -> l.startsWith("[FAILED]")).count();
            }
            return new TimedBoot(up, serving, usage, peak, down, unshare.exitValue(), failed);
        } finally {
            if (unshare.isAlive()) {
                unshare.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                unshare.destroyForcibly();
                unshare.waitFor(10, TimeUnit.SECONDS);
            }
            BenchRun.deleteTree(w);
        }
    }

    private boolean failedToStart(Path w) throws IOException {
        return Files.exists(w.resolve("output")) && Files.readString(w.resolve("output")).contains("[FAILED] Failed to start " + until + " ");
    }

    /** {@code ordo status UNTIL} from outside, through the state directory (in this JVM: the client is plain Java). */
    private String status(Path state) {
        StringWriter s = new StringWriter();
        try (PrintWriter w = new PrintWriter(s)) {
            Main.execute(new String[] {"status", until, "--state-dir", state.toString()}, w, w);
        }
        return s.toString().trim();
    }

    /** Whether the probe succeeds inside the seal. */
    private static boolean inside(long pid1, String probe) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("nsenter", "-t", Long.toString(pid1), "-n", "-m", "-p", "--", "sh", "-c", probe)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return false;
        }
        return p.exitValue() == 0;
    }

    private static long peakKb(long pid) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return -1;
    }

    private static void row(PrintWriter out, String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        out.printf("%-44s %10s %10s %10s%n", what, ms(s[s.length / 2]), ms(s[0]), ms(s[s.length - 1]));
    }

    private static String mib(List<TimedBoot> boots, boolean peak) {
        long[] kb = boots.stream().mapToLong(b -> peak ? b.peakKb() : b.usage().rssKb()).sorted().toArray();
        return (kb[kb.length / 2] / 1024) + " MiB";
    }

    private static String ms(long nanos) {
        return String.format("%,.0f ms", nanos / 1e6);
    }
}
