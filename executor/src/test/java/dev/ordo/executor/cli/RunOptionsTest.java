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
    void theHelpNamesBothChoices() {
        Run r = ordo("run", "--help");
        assertTrue(r.out().contains("--orphans=adopt|stop"), r.out());
    }
}
