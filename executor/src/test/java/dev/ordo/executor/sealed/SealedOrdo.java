package dev.ordo.executor.sealed;

import dev.ordo.executor.ProcessLines;
import dev.ordo.executor.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ordo run} in a {@link Seal}, from the test's class path, and the client commands that talk to it
 * from outside through its state directory. Three ways to start it:
 * <ul>
 * <li>{@link #asPid1}: ordo is PID 1, the machine's init, as {@code ENTRYPOINT ["ordo", "run", ...]} makes it;
 * <li>{@link #underInit}: a small sh is PID 1 and ordo its child, as under tini or dumb-init; sh passes TERM on,
 * and once ordo has ended lists what is left in the namespace ({@link #left}), which the kernel would otherwise
 * kill unseen when PID 1 exits;
 * <li>{@link #asPid1After}: a shell command first, then ordo exec'd in its place, PID 1 still.
 * </ul>
 */
final class SealedOrdo implements AutoCloseable {

    static final Pattern PROCESS = Pattern.compile("start/running, process (\\d+)");

    /** The launcher's JVM options that change how ordo behaves and costs (./ordo): serial GC, C1 only. */
    static final List<String> JVM = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-XX:-UsePerfData");

    /** A small init in ordo's place; ORDO_BEFORE is replaced by the shell command to run first. */
    static final String INIT = """
            # A small PID 1 in ordo's place, as tini or dumb-init is in a container: TERM goes on to ordo, and when
            # ordo has ended, what is left in the namespace is listed before the kernel kills it with PID 1.
            ORDO_BEFORE
            "$@" &
            ordo=$!
            trap 'kill -TERM $ordo' TERM
            while :; do
              wait $ordo; status=$?
              # A wait the trap interrupted returns above 128 while ordo still runs: wait again.
              if [ $status -gt 128 ] && kill -0 $ordo 2>/dev/null; then continue; fi
              break
            done
            echo "init: ordo exited $status"
            ps -e -o pid=,args= > /run/init.left
            while read -r line; do echo "init: left $line"; done < /run/init.left
            exit $status
            """;

    final Seal seal;

    private SealedOrdo(Seal seal) {
        this.seal = seal;
    }

    /** {@code java ... dev.ordo.executor.cli.Main ARGS}, the test's class path standing for ordo's jar. */
    static List<String> ordoCommand(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return cmd;
    }

    /** {@code run --state-dir STATE ARGS}. */
    private static List<String> run(Seal seal, String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--state-dir", seal.state().toString()));
        all.addAll(List.of(args));
        return ordoCommand(all);
    }

    /** Seals work directory {@code name} and runs {@code ordo run ARGS} there as PID 1. */
    static SealedOrdo asPid1(String name, String... args) throws IOException {
        Seal seal = Seal.open(name);
        seal.start(run(seal, args));
        return new SealedOrdo(seal);
    }

    /** Seals {@code name}, runs the shell command {@code before}, then execs {@code ordo run ARGS} as PID 1. */
    static SealedOrdo asPid1After(String name, String before, String... args) throws IOException {
        Seal seal = Seal.open(name);
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", before + "\nexec \"$@\"", "sh"));
        cmd.addAll(run(seal, args));
        seal.start(cmd);
        return new SealedOrdo(seal);
    }

    /** Seals {@code name} with a small sh as PID 1, which runs {@code before}, then {@code ordo run ARGS} as its child. */
    static SealedOrdo underInit(String name, String before, String... args) throws IOException {
        Seal seal = Seal.open(name);
        Path init = seal.write("init.sh", INIT.replace("ORDO_BEFORE", before));
        List<String> cmd = new ArrayList<>(List.of("sh", init.toString()));
        cmd.addAll(run(seal, args));
        seal.start(cmd);
        return new SealedOrdo(seal);
    }

    ProcessLines output() {
        return seal.output();
    }

    /** {@code ordo ARGS --state-dir STATE} from outside the seal, in this JVM (the client loads no native code). */
    HostCommands.Exit ordo(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", seal.state().toString()));
        StringWriter out = new StringWriter();
        try (PrintWriter w = new PrintWriter(out)) {
            int status = Main.execute(all.toArray(String[]::new), w, w);
            w.flush();
            return new HostCommands.Exit(status, out.toString().trim());
        }
    }

    /** What {@code ordo status JOB} says, once the supervisor answers (its socket may not be there yet). */
    String status(String job) {
        return ordo("status", job).out();
    }

    /**
     * Waits until {@code ordo status JOB} says {@code goalAndState} (start/running, stop/waiting...), polling it;
     * fails at once when ordo says the job failed, or after the seal's limit.
     */
    String awaitStatus(String job, String goalAndState) throws InterruptedException {
        long deadline = System.nanoTime() + Seal.WAIT_MILLIS * 1_000_000;
        String last = "";
        while (true) {
            last = status(job);
            if (last.startsWith(job + " " + goalAndState)) return last;
            if (output().has("[FAILED] Failed to start " + job + " ") || !seal.alive() || System.nanoTime() > deadline) {
                throw new AssertionError("ordo status " + job + " never said " + goalAndState + "; it says `" + last
                        + "`; ordo wrote:\n" + output().text());
            }
            Thread.sleep(100);
        }
    }

    /** Waits until {@code JOB} runs, and gives its main process as ordo shows it (a pid in the seal's namespace). */
    long awaitRunning(String job) throws InterruptedException {
        String s = awaitStatus(job, "start/running");
        Matcher m = PROCESS.matcher(s);
        if (!m.find()) throw new AssertionError("no process in `" + s + "`");
        return Long.parseLong(m.group(1));
    }

    /**
     * Runs the shell command {@code probe} in the seal until it succeeds, and gives its output; fails with the
     * last output after the seal's limit.
     */
    String awaitInside(String what, String probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Seal.WAIT_MILLIS * 1_000_000;
        while (true) {
            HostCommands.Exit r = seal.insideShell(probe);
            if (r.ok()) return r.out();
            if (!seal.alive() || System.nanoTime() > deadline) {
                throw new AssertionError(what + ": `" + probe + "` never succeeded; last: " + r + "\nordo wrote:\n" + output().text());
            }
            Thread.sleep(100);
        }
    }

    /** A file in the seal as its processes see it (/run/nginx.pid), read through nsenter. */
    String readInside(String path) throws IOException, InterruptedException {
        HostCommands.Exit r = seal.inside("cat", path);
        if (!r.ok()) throw new AssertionError("cat " + path + " in the seal: " + r.out());
        return r.out().trim();
    }

    /** SIGTERM to PID 1, then its exit status once it has ended. */
    int terminate() throws IOException, InterruptedException {
        seal.signal("TERM");
        return seal.awaitExit();
    }

    /** After {@link #underInit}: the processes left in the namespace when ordo had ended, but for init and its ps. */
    List<String> left() {
        List<String> out = new ArrayList<>();
        for (String l : output().lines()) {
            if (!l.startsWith("init: left ")) continue;
            String p = l.substring("init: left ".length()).trim();
            if (p.startsWith("1 ") || p.matches("\\d+ ps -e -o pid=,args=")) continue;
            out.add(p);
        }
        if (!output().has("init: ordo exited")) throw new AssertionError("init did not see ordo end:\n" + output().text());
        return out;
    }

    /** The log file a daemon wrote under /var (the overlay's upper directory), or "" if it wrote none. */
    String upperFile(String path) throws IOException {
        Path p = seal.upper(path);
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Override
    public void close() throws IOException {
        seal.close();
    }
}
