package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A state directory someone else can change is refused (OpenSSH's StrictModes), and logs are never written through a link. */
class StateDirectoryTrustTest {

    @Test
    void aStateDirectoryWritableByOthersIsRefused(@TempDir Path tmp) throws IOException {
        StateFiles files = new StateFiles(tmp.resolve("state")).prepare();
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        IOException e = assertThrows(IOException.class, files::prepare);
        assertEquals(files.dir() + " is writable by its group (mode 0777): the state directory is trusted only when"
                + " nobody else can change it; chmod go-w " + files.dir(), e.getMessage());
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwx----w-"));
        assertTrue(assertThrows(IOException.class, files::prepare).getMessage().contains("is writable by others"));
        Files.setPosixFilePermissions(files.dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        files.prepare(); // readable by others is fine; writable is not
    }

    @Test
    void aLinkPlantedInTheLogsIsRefusedAndNeverWrittenThrough(@TempDir Path tmp) throws IOException {
        StateFiles files = new StateFiles(tmp.resolve("state")).prepare();
        Path victim = Files.writeString(tmp.resolve("victim"), "precious\n");
        Files.createSymbolicLink(files.logs().resolve("j.log"), victim);
        IOException e = assertThrows(IOException.class, files::prepare);
        assertEquals(files.logs().resolve("j.log") + " is a link: the state directory's files must be its own (remove it)",
                e.getMessage());
        assertThrows(IOException.class, () -> new LogFiles(files.logs()).open("j", "").release(), "O_NOFOLLOW");
        assertEquals("precious\n", Files.readString(victim));
    }
}
