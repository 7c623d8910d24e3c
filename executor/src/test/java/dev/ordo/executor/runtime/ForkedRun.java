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
        List<String> cmd = ForkedOrdo.command("run", "--state-dir", state().toString());
        cmd.addAll(args);
        run = ForkedOrdo.start(cmd);
        output = ProcessLines.of(run);
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
