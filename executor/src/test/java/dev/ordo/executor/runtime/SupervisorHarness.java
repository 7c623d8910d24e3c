package dev.ordo.executor.runtime;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor in the test's JVM with real processes, the real control socket and the real client
 * commands: what the in-process runtime tests share. Waits are on what can be observed (output lines,
 * answers), with generous limits; no duration is asserted.
 */
abstract class SupervisorHarness {

    static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));
    static final long WAIT_MILLIS = 15_000;

    @TempDir
    Path tmp;

    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** Every effect the loop carried out, in order. */
    final List<Effect> effects = new ArrayList<>();
    Supervisor supervisor;
    /** How the logs and the history are rotated: set before {@link #run} to change it. */
    LogFiles.Rotation rotation = LogFiles.Rotation.DEFAULT;

    @AfterEach
    void end() throws Exception {
        // One process table per JVM: a failed test must not leave its supervisor to the next one.
        if (supervisor != null && supervisor.awaitExit(0) < 0) {
            supervisor.interrupt();
            supervisor.interrupt();
            supervisor.awaitExit(WAIT_MILLIS);
        }
    }

    Path state() {
        return tmp.resolve("state");
    }

    Supervisor run(List<Path> paths) throws Exception {
        return run(paths, false);
    }

    /** @param earlyBoot {@code ordo run --early-boot} */
    Supervisor run(List<Path> paths, boolean earlyBoot) throws Exception {
        Config config = ConfigLoader.load(paths, null);
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        supervisor = Supervisor.start(config, new SupervisorSettings(state(), paths, null, out, false, e -> {
            synchronized (effects) {
                effects.add(e);
            }
        }).earlyBoot(earlyBoot).logRotation(rotation));
        return supervisor;
    }

    /** Writes {@code text} as the test's ordo.yaml. */
    Path yaml(String text) throws java.io.IOException {
        Path yaml = tmp.resolve("ordo.yaml");
        java.nio.file.Files.writeString(yaml, text);
        return yaml;
    }

    String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    List<String> lines() {
        return List.of(output().split("\n"));
    }

    List<Effect> effects() {
        synchronized (effects) {
            return new ArrayList<>(effects);
        }
    }

    static void eventually(Supplier<String> what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what.get());
            Thread.sleep(10);
        }
    }

    void awaitLine(String line) throws InterruptedException {
        eventually(() -> "the output has `" + line + "`:\n" + output(), () -> lines().stream().anyMatch(l -> l.startsWith(line)));
    }

    record Run(int status, String out, String err) {
    }

    /** `ordo ARGS --state-dir STATE`, through the real command line. */
    Run ordo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = List.of(args).toArray(new String[args.length + 2]);
        all[args.length] = "--state-dir";
        all[args.length + 1] = state().toString();
        int status = Main.execute(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }
}
