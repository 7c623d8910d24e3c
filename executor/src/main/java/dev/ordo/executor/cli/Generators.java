package dev.ordo.executor.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * systemd's generators (systemd.generator(7)), run at the start of a boot as systemd runs them: every
 * executable in the generator directories (a name in an earlier directory hides the same name later; one
 * linked to /dev/null or empty is masked), in parallel, each given the three output directories
 * {@code /run/systemd/generator}, {@code generator.early} and {@code generator.late}, which the unit search
 * path then reads. Packages make units this way: postgresql-generator wants one {@code postgresql@V-C.service}
 * per cluster, systemd-sysv-generator wraps init scripts, systemd-fstab-generator makes mounts.
 *
 * <p>Only for a boot: ordo as PID 1, or told {@code --early-boot}, of the machine's own root. On a machine
 * that booted with systemd, those directories are systemd's, and ordo only reads them. Runs before the
 * supervisor exists, so its children are waited for here, not by the reaper.
 */
final class Generators {

    /** systemd.generator(7)'s directories, in order. */
    static final List<String> DIRECTORIES = List.of("etc/systemd/system-generators", "run/systemd/system-generators",
            "usr/local/lib/systemd/system-generators", "usr/lib/systemd/system-generators", "lib/systemd/system-generators");

    /** systemd gives all generators together this long (DEFAULT_TIMEOUT_USEC). */
    static final Duration TIMEOUT = Duration.ofSeconds(90);

    private Generators() {
    }

    /**
     * Runs the generators found under {@code root}, writing under {@code root/run/systemd}; the output
     * directories are emptied first, as systemd does. Each failure is a line on {@code err}; none stops the boot.
     */
    static void run(Path root, Duration timeout, PrintWriter err) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (String d : DIRECTORIES) {
            Path dir = root.resolve(d);
            if (!Files.isDirectory(dir)) continue;
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) found.putIfAbsent(p.getFileName().toString(), p);
            } catch (IOException e) {
                err.println("ordo: generators: cannot read " + dir + ": " + e.getMessage());
            }
        }
        Path out = root.resolve("run/systemd");
        List<Path> outputs = List.of(out.resolve("generator"), out.resolve("generator.early"), out.resolve("generator.late"));
        try {
            for (Path o : outputs) {
                deleteTree(o);
                Files.createDirectories(o);
            }
        } catch (IOException e) {
            err.println("ordo: generators: cannot make " + out + "/generator*: " + e.getMessage() + "; none is run");
            return;
        }
        List<Map.Entry<String, Process>> running = new ArrayList<>();
        for (Map.Entry<String, Path> g : found.entrySet()) {
            Path p = g.getValue();
            try {
                if (masked(p) || !Files.isExecutable(p) || Files.isDirectory(p)) continue;
                ProcessBuilder pb = new ProcessBuilder(p.toString(), outputs.get(0).toString(), outputs.get(1).toString(),
                        outputs.get(2).toString()).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.INHERIT);
                pb.environment().put("SYSTEMD_SCOPE", "system");
                pb.environment().put("SYSTEMD_IN_INITRD", "0");
                running.add(Map.entry(g.getKey(), pb.start()));
            } catch (IOException e) {
                err.println("ordo: generator " + g.getKey() + " could not be started: " + e.getMessage());
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Map.Entry<String, Process> r : running) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                if (!r.getValue().waitFor(left, TimeUnit.NANOSECONDS)) {
                    r.getValue().destroyForcibly();
                    err.println("ordo: generator " + r.getKey() + " did not finish within " + timeout.toSeconds() + "s; killed");
                } else if (r.getValue().exitValue() != 0) {
                    err.println("ordo: generator " + r.getKey() + " exited with status " + r.getValue().exitValue());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                r.getValue().destroyForcibly();
            }
        }
        err.flush();
    }

    private static boolean masked(Path p) throws IOException {
        if (Files.isSymbolicLink(p) && Files.readSymbolicLink(p).toString().equals("/dev/null")) return true;
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.size(p) == 0;
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(x);
        }
    }
}
