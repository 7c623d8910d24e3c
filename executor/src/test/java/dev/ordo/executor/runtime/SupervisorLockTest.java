package dev.ordo.executor.runtime;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One supervisor per state directory, and a clear message naming the one that is there. */
class SupervisorLockTest {

    @TempDir
    Path tmp;

    static Process java(Class<?> main, String... args) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String[] cmd = new String[4 + args.length];
        cmd[0] = java;
        cmd[1] = "-cp";
        cmd[2] = System.getProperty("java.class.path");
        cmd[3] = main.getName();
        System.arraycopy(args, 0, cmd, 4, args.length);
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void preparingMakesTheLayout() throws Exception {
        StateFiles files = new StateFiles(tmp.resolve("state")).prepare();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.dir())));
        assertTrue(Files.isDirectory(files.logs()));
        assertEquals(tmp.resolve("state/control/socket"), files.socket());
        assertEquals(tmp.resolve("state/history.jsonl"), files.history());
    }

    @Test
    void aSecondSupervisorInThisProcessIsRefusedAndTheFirstCanLetGo() throws Exception {
        StateFiles files = new StateFiles(tmp).prepare();
        long me = ProcessHandle.current().pid();
        try (SupervisorLock first = SupervisorLock.acquire(files)) {
            assertEquals(me + "\n", Files.readString(files.lock()));
            SupervisorLock.InUse e = assertThrows(SupervisorLock.InUse.class, () -> SupervisorLock.acquire(files));
            assertEquals(tmp + " is in use by ordo run (pid " + me + ")", e.getMessage());
            assertEquals(me, e.pid());
        }
        SupervisorLock.acquire(files).close();
    }

    @Test
    void aSupervisorInAnotherProcessIsNamedAndItsDeathFreesTheDirectory() throws Exception {
        StateFiles files = new StateFiles(tmp).prepare();
        Files.writeString(files.lock(), "999999999\n"); // a stale pid from a crash is overwritten
        Process other = java(LockHolder.class, tmp.toString());
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", r.readLine());
            SupervisorLock.InUse e = assertThrows(SupervisorLock.InUse.class, () -> SupervisorLock.acquire(files));
            assertEquals(tmp + " is in use by ordo run (pid " + other.pid() + ")", e.getMessage());
        } finally {
            other.destroyForcibly();
            assertTrue(other.waitFor(10, TimeUnit.SECONDS));
        }
        // Killed with SIGKILL: the kernel let go of its lock, so nothing stale is left behind.
        try (SupervisorLock mine = SupervisorLock.acquire(files)) {
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(files.lock()));
        }
    }
}
