package dev.ordo.executor.cli;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * systemd's unit generators (systemd.generator(7)), run as systemd runs them when it boots: every executable
 * in the generator directories, the first of a name masking the others (a link to /dev/null or an empty file
 * masks it for good), all at once, each given the three output directories /run/systemd/generator,
 * generator.early and generator.late, emptied first; what they write is read in the unit search path
 * (ConfigLoader.SYSTEMD_SEARCH_PATH). Debian makes its postgresql@VERSION-CLUSTER instances this way, and
 * systemd-sysv-generator a unit for each init script that has none.
 *
 * <p>They run before the configuration is read and before the supervisor opens its process table: nothing
 * reaps with waitpid(-1) yet, so ProcessBuilder keeps its children's exit statuses. Only when ordo boots the
 * machine itself ({@link #wanted}); {@code ordo reload} reads their output as they left it.
 */
final class Generators {

    /** systemd's system generator directories, highest precedence first (systemd.generator(7)). */
    static final List<String> DIRECTORIES = List.of("run/systemd/system-generators", "etc/systemd/system-generators",
            "usr/local/lib/systemd/system-generators", "usr/lib/systemd/system-generators", "lib/systemd/system-generators");

    /** The output directories, in the order generators are given them: normal, early, late. */
    static final List<String> OUTPUTS = List.of("run/systemd/generator", "run/systemd/generator.early",
            "run/systemd/generator.late");

    /** systemd's limit for all generators together (DEFAULT_TIMEOUT_USEC); one still running then is killed. */
    static final long TIMEOUT_MILLIS = 90_000;

    private Generators() {
    }

    /**
     * Whether {@code ordo run --root ROOT} runs the generators: ROOT is / (they read the machine's own /etc and
     * /proc, not ROOT's), ordo boots it (PID 1, or told --early-boot), and no systemd runs there (its
     * /run/systemd/system marker is missing): on a machine systemd booted, its generators' output is already in
     * place, and ordo must not overwrite what that systemd reads.
     */
    static boolean wanted(Path root, boolean pid1, boolean earlyBoot) {
        if (root == null || !root.toAbsolutePath().normalize().equals(Path.of("/"))) return false;
        return (pid1 || earlyBoot) && !Files.isDirectory(root.resolve("run/systemd/system"));
    }

    /** What one generator did: its exit status (-1 when killed at the limit) and its output and errors. */
    record Outcome(String name, int status, String output) {
    }

    /** The generators under {@code root} by name, each the first of its name; masked ones left out. */
    static Map<String, Path> find(Path root) throws IOException {
        Map<String, Path> seen = new TreeMap<>();
        List<String> masked = new ArrayList<>();
        for (String d : DIRECTORIES) {
            Path dir = root.resolve(d);
            if (!Files.isDirectory(dir)) continue;
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    String name = p.getFileName().toString();
                    if (seen.containsKey(name) || masked.contains(name)) continue;
                    boolean nulled = Files.isSymbolicLink(p) && Files.readSymbolicLink(p).equals(Path.of("/dev/null"));
                    if (nulled || (Files.isRegularFile(p) && Files.size(p) == 0)) {
                        masked.add(name);
                    } else if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                        seen.put(name, p);
                    }
                }
            }
        }
        return seen;
    }

    /** Runs every generator under {@code root} into its output directories, and gives what each did. */
    static List<Outcome> run(Path root) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>();
        for (String o : OUTPUTS) {
            Path dir = root.resolve(o);
            dev.ordo.executor.posix.DirectoryTrees.empty(dir);
            Files.createDirectories(dir);
            args.add(dir.toAbsolutePath().toString());
        }
        Map<String, Path> found = find(root);
        List<Process> started = new ArrayList<>();
        List<CompletableFuture<String>> said = new ArrayList<>();
        for (Path g : found.values()) {
            List<String> cmd = new ArrayList<>(List.of(g.toString()));
            cmd.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("SYSTEMD_SCOPE", "system");
            pb.environment().put("SYSTEMD_IN_INITRD", "0");
            Process p = pb.start();
            started.add(p);
            // Read as it comes: a generator that writes much must not stop on a full pipe.
            said.add(CompletableFuture.supplyAsync(() -> read(p.getInputStream())));
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
        List<Outcome> out = new ArrayList<>();
        List<String> names = new ArrayList<>(found.keySet());
        for (int i = 0; i < started.size(); i++) {
            Process p = started.get(i);
            int status;
            if (p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                status = p.exitValue();
            } else {
                p.destroyForcibly();
                p.waitFor();
                status = -1;
            }
            // A daemon a generator left behind may hold the pipe open: its output is what came until now.
            out.add(new Outcome(names.get(i), status, said.get(i).completeOnTimeout("", 1, TimeUnit.SECONDS).join().strip()));
        }
        return out;
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Runs them and says so on {@code err}: one line for all, and one for each that failed or spoke. */
    static void runAndReport(Path root, PrintWriter err) {
        try {
            List<Outcome> done = run(root);
            List<String> names = done.stream().map(Outcome::name).toList();
            err.println("ordo: ran " + done.size() + " generators into " + root.resolve(OUTPUTS.get(0)) + ": "
                    + String.join(", ", names));
            for (Outcome o : done) {
                String said = o.output().isEmpty() ? "" : ": " + o.output().replace("\n", " | ");
                if (o.status() == -1) err.println("ordo: generator " + o.name() + " killed after " + TIMEOUT_MILLIS / 1000 + " s" + said);
                else if (o.status() != 0) err.println("ordo: generator " + o.name() + " failed (exit status " + o.status() + ")" + said);
                else if (!said.isEmpty()) err.println("ordo: generator " + o.name() + said);
            }
        } catch (IOException e) {
            err.println("ordo: generators not run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        err.flush();
    }

}
