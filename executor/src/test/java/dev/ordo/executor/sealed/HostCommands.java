package dev.ordo.executor.sealed;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Commands the tests run on the machine (kill, nsenter, dpkg-query), and what the machine has installed. */
final class HostCommands {

    static final long COMMAND_MILLIS = 30_000;

    /** Docker's PATH, which the seal gives what runs inside. */
    static final String PATH = dev.ordo.executor.cli.SealScript.PATH;

    private HostCommands() {
    }

    /** A command's exit status and its output and errors together. */
    record Exit(int status, String out) {
        boolean ok() {
            return status == 0;
        }
    }

    /** Runs {@code command} to its end (killed after 30 s: a probe that hangs must not hang the test). */
    static Exit run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(absolute(command)).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.environment().put("PATH", PATH);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        if (!p.waitFor(COMMAND_MILLIS, TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
            return new Exit(-1, "timed out: " + command + "\n" + rest(out));
        }
        // What it left behind may still hold the output open: never wait on it for ever.
        return new Exit(p.exitValue(), rest(out));
    }

    private static String rest(CompletableFuture<String> out) {
        try {
            return out.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return "(the output was still held open by a process the command left)";
        } catch (java.util.concurrent.ExecutionException | InterruptedException e) {
            return "";
        }
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * {@code command} with its program found on the container's PATH: ProcessBuilder searches the test JVM's
     * own PATH, which may lack the sbin directories.
     */
    static List<String> absolute(List<String> command) {
        List<String> out = new java.util.ArrayList<>(command);
        Path found = out.get(0).contains("/") ? null : which(out.get(0));
        if (found != null) out.set(0, found.toString());
        return out;
    }

    /** Where {@code tool} is on the container's PATH, or null. */
    static Path which(String tool) {
        for (String dir : PATH.split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    /** Whether Debian's package {@code name} is installed (dpkg-query says "install ok installed"). */
    static boolean installed(String name) {
        try {
            Exit r = run(List.of("dpkg-query", "-W", "-f", "${Status}", name));
            return r.ok() && r.out().trim().equals("install ok installed");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Skips the calling test unless every package is installed (.ci/run installs them). */
    static void assumeInstalled(String... packages) {
        for (String p : packages) {
            Assumptions.assumeTrue(installed(p), p + " is not installed here (.ci/run installs it with apt-get)");
        }
    }
}
