package dev.ordo.executor.sealed;

import dev.ordo.executor.ProcessLines;
import dev.ordo.executor.cli.SealScript;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A command run as PID 1 of new pid, network and mount namespaces, sealed like a container as
 * ../shared/notes/sealed-runs.md says: tmpfs on /run and /tmp, overlays on /etc and /var (their upper
 * directories in the work directory, for assertions after the run), /proc/sys and /sys read-only, the
 * loopback up, and Docker's default capabilities as the bounding set. Beyond the note, as Docker does too:
 * IPC and UTS namespaces, a /dev of its own (a tmpfs with the usual nodes, its own devpts, /dev/shm and
 * mqueue) and the other read-only /proc entries. What runs inside cannot change the
 * machine: a unit tree booted for real empties /tmp, writes sysctls and loads modules.
 *
 * <p>The work directory lies under executor/target/sealed (or -Dordo.sealed.dir), outside everything the seal
 * hides, so that the state directory in it is reachable from outside. A test may use ProcessBuilder: no
 * reaper of ordo's runs in the test's JVM.
 */
final class Seal implements AutoCloseable {

    static final long WAIT_MILLIS = 90_000;

    /** The directories the seal replaces or overlays: nothing the test needs from outside may lie under them. */
    static final List<String> SEALED = SealScript.SEALED;

    /** seal.sh W CMD...: the seal `ordo bench boot` makes too. */
    static final String SCRIPT = SealScript.TEXT;

    private static String unavailable;
    private static boolean probed;

    final Path work;
    private Process unshare;
    private ProcessLines output;

    private Seal(Path work) {
        this.work = work;
    }

    /** Skips the calling test, with the reason, where no seal can be made (not root, no unshare, no overlay). */
    static void assumeAvailable() {
        String why = unavailable();
        Assumptions.assumeTrue(why == null, why);
    }

    /** Why no seal can be made here, or null; tried once per JVM with a real seal around {@code true}. */
    static synchronized String unavailable() {
        if (!probed) {
            probed = true;
            unavailable = probe();
        }
        return unavailable;
    }

    private static String probe() {
        if (!"root".equals(System.getProperty("user.name"))) return "a sealed run needs root (unshare, mounts, nsenter)";
        for (String tool : List.of("unshare", "nsenter", "setpriv", "ip", "ps", "mount")) {
            if (HostCommands.which(tool) == null) return tool + " is not installed (util-linux, iproute2, procps)";
        }
        Path base = base();
        for (String entry : (System.getProperty("java.class.path") + ":" + base).split(":")) {
            for (String hidden : SEALED) {
                if (Path.of(entry).toAbsolutePath().startsWith(hidden)) {
                    return entry + " lies under " + hidden + ", which the seal hides; clone ordo elsewhere or set -Dordo.sealed.dir";
                }
            }
        }
        try {
            Files.createDirectories(base);
            // A User= daemon must reach its notify socket in the state directory: every parent must be traversable.
            for (Path p = base.toAbsolutePath(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return p + " is not traversable by other users (a User= daemon could not reach its notify socket under"
                            + " it); clone ordo elsewhere or set -Dordo.sealed.dir";
                }
            }
            try (Seal trial = open("probe")) {
                trial.start(List.of("true"));
                int status = trial.awaitExit();
                if (status != 0) return "no sealed namespace can be made here (unshare, tmpfs, overlay): " + trial.output().text();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "no sealed namespace can be made here: " + e;
        }
        return null;
    }

    static Path base() {
        String dir = System.getProperty("ordo.sealed.dir");
        if (dir != null && !dir.isEmpty()) return Path.of(dir).toAbsolutePath();
        return Path.of(System.getProperty("ordo.top", "..")).toAbsolutePath().normalize().resolve("executor/target/sealed");
    }

    /** A fresh work directory {@code NAME} with the overlays' upper and work directories and {@code state/}. */
    static Seal open(String name) throws IOException {
        Path w = base().resolve(name);
        delete(w);
        for (String d : SealScript.WORK_DIRECTORIES) Files.createDirectories(w.resolve(d));
        Files.createDirectories(w.resolve("state"));
        // Traversable (not listable) by the users the daemons run as, as ordo's state directory must be.
        Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwx--x--x"));
        Files.writeString(w.resolve("seal.sh"), SCRIPT);
        return new Seal(w);
    }

    /** ordo's state directory, outside the overlays: {@code ordo status --state-dir} from outside reads it. */
    Path state() {
        return work.resolve("state");
    }

    /** What the sealed run wrote under {@code path} (/var/... or /etc/...): the overlay's upper directory. */
    Path upper(String path) {
        return work.resolve("up").resolve(path.substring(1));
    }

    /** Starts {@code command} as PID 1 of the seal; its output and errors are read as they come. */
    void start(List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>(SealScript.UNSHARE);
        cmd.addAll(List.of("sh", work.resolve("seal.sh").toString(), work.toString()));
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(HostCommands.absolute(cmd)).redirectErrorStream(true);
        // A container's environment, not the build's (Maven's variables would reach every daemon).
        pb.environment().clear();
        pb.environment().put("PATH", HostCommands.PATH);
        pb.environment().put("HOME", "/root");
        pb.environment().put("NO_COLOR", "1");
        unshare = pb.start();
        output = ProcessLines.of(unshare, Seal.WAIT_MILLIS);
    }

    ProcessLines output() {
        return output;
    }

    /** The host's pid of the namespace's PID 1: unshare's only child, once it has one. */
    long pid1() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (true) {
            List<ProcessHandle> kids = unshare.toHandle().children().toList();
            if (kids.size() == 1) return kids.get(0).pid();
            if (!unshare.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("no PID 1 in the seal; unshare wrote:\n" + output.text());
            }
            Thread.sleep(10);
        }
    }

    /** {@code CMD} in the seal's namespaces ({@code nsenter -t PID1 -n -m -p}), as root with every capability. */
    HostCommands.Exit inside(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid1()), "-n", "-m", "-p", "--"));
        cmd.addAll(List.of(command));
        return HostCommands.run(cmd);
    }

    /** {@code sh -c SCRIPT} in the seal's namespaces. */
    HostCommands.Exit insideShell(String script) throws IOException, InterruptedException {
        return inside("sh", "-c", script);
    }

    /** Sends signal {@code name} (TERM, HUP...) to the seal's PID 1. */
    void signal(String name) throws IOException, InterruptedException {
        HostCommands.Exit kill = HostCommands.run(List.of("kill", "-" + name, Long.toString(pid1())));
        if (kill.status() != 0) throw new AssertionError("kill -" + name + ": " + kill.out());
    }

    /** Waits for PID 1 to end (when it does, the kernel kills what is left in the namespace); unshare's status is PID 1's. */
    int awaitExit() throws InterruptedException {
        if (!unshare.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new AssertionError("PID 1 of the seal still runs after " + WAIT_MILLIS / 1000 + " s; it wrote:\n" + output.text());
        }
        output.join(5000);
        return unshare.exitValue();
    }

    boolean alive() {
        return unshare != null && unshare.isAlive();
    }

    /**
     * Ends the seal (killing PID 1 kills everything in it), keeps what was written in NAME.out beside the work
     * directory, and deletes the work directory unless -Dordo.sealed.keep=true.
     */
    @Override
    public void close() throws IOException {
        if (unshare != null && unshare.isAlive()) {
            unshare.toHandle().children().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
            try {
                unshare.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // What ordo wrote stays beside the work directory, for a run that failed in CI.
        if (output != null) Files.writeString(work.resolveSibling(work.getFileName() + ".out"), output.text() + "\n");
        if (!Boolean.getBoolean("ordo.sealed.keep")) delete(work);
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Writes {@code text} to {@code name} in the work directory, for scripts the seal runs. */
    Path write(String name, String text) throws IOException {
        Path p = work.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
