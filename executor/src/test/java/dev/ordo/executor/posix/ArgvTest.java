package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArgvTest {

    @TempDir
    Path tmp;

    @Test
    void aPlainExecLineIsSplitOnBlanks() {
        assertEquals(List.of("/usr/sbin/sshd", "-D", "-o", "x"), Argv.argv("/usr/sbin/sshd  -D\t-o x "));
    }

    @Test
    void anyUpstartShellCharacterSendsTheLineThroughShExec() {
        for (char c : "~`!$^&*()=|\\{}[];\"'<>?".toCharArray()) {
            String line = "daemon --opt" + c + "x";
            assertEquals(List.of("/bin/sh", "-e", "-c", "exec " + line), Argv.argv(line), "for " + c);
        }
        assertEquals(List.of("a", "-b", "c.d/e:f,g@h%"), Argv.argv("a -b c.d/e:f,g@h%"), "not shell characters");
    }

    @Test
    void scriptsAndSeveralLinesRunUnderShE() {
        assertEquals(List.of("/bin/sh", "-e", "-c", "echo a\necho b\n"),
                Argv.argv(Process.script(Phase.MAIN, "echo a\necho b\n", null)));
        assertEquals(List.of("/bin/sh", "-e", "-c", "mkdir -p /run/x\nchown a /run/x"),
                Argv.argv(new Process(Phase.PRE_START, List.of("mkdir -p /run/x", "chown a /run/x"), null, null)));
        assertEquals(List.of("sleep", "1"), Argv.argv(Process.exec(Phase.MAIN, "sleep 1", null)));
    }

    @Test
    void resolutionFollowsTheGivenPathLikeExecvp() throws Exception {
        Path a = Files.createDirectory(tmp.resolve("a"));
        Path b = Files.createDirectory(tmp.resolve("b"));
        Files.writeString(a.resolve("tool"), "");
        Path exe = b.resolve("tool");
        Files.writeString(exe, "#!/bin/sh\n");
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        // a/tool is not executable: skipped, as execvp does.
        assertEquals(exe.toString(), Argv.resolve("tool", a + ":" + b).path());
        Argv.Resolved denied = Argv.resolve("tool", a.toString());
        assertNull(denied.path());
        assertEquals(13, denied.errno());
        assertEquals(2, Argv.resolve("tool", tmp.resolve("c").toString()).errno());
        assertEquals(2, Argv.resolve(tmp.resolve("none").toString(), "/bin").errno());
        assertEquals(13, Argv.resolve(tmp.toString(), "/bin").errno(), "a directory is not a program");
    }

    @Test
    void theJobsPathIsTheLastPathInItsEnvironmentElseUpstartsDefault() {
        assertEquals("/x:/y", Argv.path(List.of("A=1", "PATH=/w", "PATH=/x:/y")));
        assertEquals(Argv.DEFAULT_PATH, Argv.path(List.of("PATHX=1")));
    }

    @Test
    void statIsParsedAfterTheLastParenthesis() {
        ProcStat s = ProcStat.parse(42, "42 (we) ird) S 7 42 42 0 -1 4194560 1 0 0 0 0 0 0 0 20 0 1 0 123456 0 0");
        assertEquals(new ProcStat(42, 'S', 7, 42, 42, 123456), s);
        assertNull(ProcStat.parse(42, "42 (truncated"));
    }
}
