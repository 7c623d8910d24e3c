package dev.ordo.executor.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A boot's early work happens only to a machine that is booting: the unit tree of {@code --root /} run by an
 * ordo that is not PID 1 leaves a file in /tmp where it was (systemd-tmpfiles --remove is skipped), while the
 * same tree with ordo as PID 1 empties /tmp as Debian's tmp.conf says (D /tmp). Both sealed: /tmp is the
 * seal's own tmpfs.
 */
class LiveMachineTest {

    static final String CANARY = "touch /tmp/canary";

    @BeforeEach
    void sealable() throws Exception {
        Seal.assumeAvailable();
        HostCommands.assumeInstalled("systemd");
    }

    @Test
    void notPid1TheEarlyBootIsSkippedAndTmpKept() throws Exception {
        try (SealedOrdo o = SealedOrdo.underInit("live", CANARY, "--root", "/")) {
            o.awaitStatus("multi-user.target", "start/running");
            o.output().awaitLine("ordo: systemd-tmpfiles-setup.service skipped");
            assertTrue(o.seal.inside("test", "-e", "/tmp/canary").ok(), o.seal.inside("ls", "-la", "/tmp").out());
            assertEquals(0, o.terminate(), o.output().text());
            assertTrue(o.output().lines().stream().noneMatch(l -> l.startsWith("ordo: running as pid 1,")), o.output().text());
        }
    }

    @Test
    void asPid1TheEarlyBootEmptiesTmp() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.readString(Path.of("/usr/lib/tmpfiles.d/tmp.conf")).contains("\nD /tmp "),
                "this machine's tmp.conf does not empty /tmp at boot");
        try (SealedOrdo o = SealedOrdo.asPid1After("live-pid1", CANARY, "--root", "/")) {
            o.awaitStatus("systemd-tmpfiles-setup.service", "start/running");
            o.output().awaitLine("ordo: running as pid 1,");
            assertFalse(o.seal.inside("test", "-e", "/tmp/canary").ok(), o.seal.inside("ls", "-la", "/tmp").out());
            assertEquals(0, o.terminate(), o.output().text());
        }
    }
}
