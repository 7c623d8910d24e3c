package dev.ordo.executor.runtime;

import dev.ordo.executor.ProcessLines;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * `ordo run` in a JVM of its own, for tests that need real signals to the supervisor: the state
 * directory in the test's temporary folder, its output read as it comes, and the process killed if a
 * test leaves it running.
 */
abstract class ForkedRun {

    static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));
    static final long WAIT_MILLIS = 15_000;

    @TempDir
    Path tmp;

    /** The newest `ordo run`, and its output. */
    Process run;
    ProcessLines output;

    @AfterEach
    void stopRun() throws Exception {
        if (run != null && run.isAlive()) {
            run.destroyForcibly();
            run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    Path state() {
        return tmp.resolve("state");
    }

    /** {@code ordo run --state-dir STATE ARGS...}. */
    void start(List<String> args) throws Exception {
        startUnread(args);
        output = ProcessLines.of(run);
    }

    /** {@code ordo run --state-dir STATE ARGS...} whose output nobody reads (yet: {@link #startReading}). */
    void startUnread(List<String> args) throws Exception {
        List<String> cmd = ForkedOrdo.command("run", "--state-dir", state().toString());
        cmd.addAll(args);
        run = ForkedOrdo.start(cmd);
    }

    /** Reads the output of a run started unread, from what is in its pipe now. */
    void startReading() {
        output = ProcessLines.of(run);
    }

    record ClientRun(int status, String out, String err) {
    }

    /**
     * {@code ordo ARGS --state-dir STATE} through the real client, which must be answered within the wait:
     * a supervisor that stalls fails the test instead of hanging it.
     */
    ClientRun answered(String... args) throws Exception {
        java.util.concurrent.ExecutorService client = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "test-client");
            t.setDaemon(true);
            return t;
        });
        try {
            return client.submit(() -> {
                java.io.StringWriter out = new java.io.StringWriter();
                java.io.StringWriter err = new java.io.StringWriter();
                List<String> all = new java.util.ArrayList<>(List.of(args));
                all.addAll(List.of("--state-dir", state().toString()));
                int status = dev.ordo.executor.cli.Main.execute(all.toArray(String[]::new), new java.io.PrintWriter(out),
                        new java.io.PrintWriter(err));
                return new ClientRun(status, out.toString(), err.toString());
            }).get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("`ordo " + String.join(" ", args) + "` was not answered in " + WAIT_MILLIS + " ms");
        } finally {
            client.shutdownNow();
        }
    }

    List<String> lines() {
        return output.lines();
    }

    void awaitLine(String prefix) throws InterruptedException {
        output.awaitLine(prefix);
    }

    int index(String prefix) {
        return output.index(prefix);
    }
}
