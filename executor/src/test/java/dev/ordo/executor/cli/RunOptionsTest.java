package dev.ordo.executor.cli;

import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.CheckCommandTest.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code ordo run} that are refused before anything runs. */
class RunOptionsTest {

    @TempDir
    Path tmp;

    @Test
    void orphansIsAdoptOrStop() {
        Run r = ordo("run", "--orphans", "keep", "--state-dir", tmp.resolve("state").toString(), tmp.toString());
        assertEquals(new Run(Main.USAGE, "", "ordo: --orphans is adopt or stop, not `keep`\n"), r);
        assertTrue(Files.notExists(tmp.resolve("state")), "nothing was set up");
    }

    @Test
    void logSizeAndKeepAreCheckedFirst() {
        String state = tmp.resolve("state").toString();
        assertEquals(new Run(Main.USAGE, "", "ordo: --log-size is a size such as 512K, 10M or 1G, not `10MB`\n"),
                ordo("run", "--log-size", "10MB", "--state-dir", state, tmp.toString()));
        assertEquals(new Run(Main.USAGE, "", "ordo: --log-size is a size such as 512K, 10M or 1G, not `0`\n"),
                ordo("run", "--log-size", "0", "--state-dir", state, tmp.toString()));
        assertEquals(new Run(Main.USAGE, "", "ordo: --log-keep is 0 or more, not -1\n"),
                ordo("run", "--log-keep", "-1", "--state-dir", state, tmp.toString()));
        assertTrue(Files.notExists(tmp.resolve("state")), "nothing was set up");
    }

    @Test
    void sizesAreBinary() {
        assertEquals(512, RunCommand.size("512"));
        assertEquals(512 * 1024, RunCommand.size("512K"));
        assertEquals(10L << 20, RunCommand.size("10m"));
        assertEquals(1L << 30, RunCommand.size("1G"));
        assertEquals(-1, RunCommand.size("1.5M"));
        assertEquals(-1, RunCommand.size("M"));
        assertEquals(-1, RunCommand.size("-4K"));
        assertEquals(-1, RunCommand.size("9999999999999"));
    }

    @Test
    void theHelpNamesBothChoices() {
        Run r = ordo("run", "--help");
        assertTrue(r.out().contains("--orphans=adopt|stop"), r.out());
    }
}
