package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The state file is read and written only as a regular file of its own, never through a link. */
class StateFileLinksTest {

    @Test
    void aStateFileThatIsALinkToDevZeroIsRefusedNotReadForEver(@TempDir Path dir) throws IOException {
        Path state = dir.resolve("state.json");
        Files.createSymbolicLink(state, Path.of("/dev/zero"));
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> assertThrows(IOException.class, () -> new StateFile(state).read()));
        assertTrue(e.getMessage().endsWith("is not a regular file (a link, FIFO or device): not read"), e.getMessage());
        // A link to a good state file is refused too: the state directory is the supervisor's alone.
        Path elsewhere = dir.resolve("elsewhere.json");
        new StateFile(elsewhere).write(new SupervisorState(1, Instant.EPOCH, List.of()));
        Files.delete(state);
        Files.createSymbolicLink(state, elsewhere);
        assertThrows(IOException.class, () -> new StateFile(state).read());
        assertEquals(null, new StateFile(dir.resolve("none.json")).read());
    }

    @Test
    void aLinkPlantedUnderTheTemporaryNameIsNotWrittenThrough(@TempDir Path dir) throws IOException {
        Path victim = Files.writeString(dir.resolve("victim"), "precious\n");
        Path state = dir.resolve("state.json");
        Files.createSymbolicLink(dir.resolve(".state.json.tmp"), victim);
        new StateFile(state).write(new SupervisorState(42, Instant.EPOCH, List.of()));
        assertEquals("precious\n", Files.readString(victim));
        assertFalse(Files.isSymbolicLink(state));
        assertEquals(42, new StateFile(state).read().pid());
        assertTrue(new String(Files.readAllBytes(state), StandardCharsets.UTF_8).contains("42"));
    }
}
