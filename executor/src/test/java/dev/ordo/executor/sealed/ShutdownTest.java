package dev.ordo.executor.sealed;

import dev.ordo.executor.ProcessLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing a service started outlives the shutdown: the sealed boot of {@code --root /} runs under a small
 * PID 1 (sh, as tini is in a container), which passes SIGTERM on to ordo and, once ordo has ended, lists
 * what is left in the namespace before the kernel would kill it unseen. Told --early-boot, ordo boots the
 * whole machine as it would as PID 1.
 */
class ShutdownTest {

    @BeforeEach
    void sealable() {
        Seal.assumeAvailable();
        HostCommands.assumeInstalled("nginx", "redis-server", "redis-tools", "memcached", "openssh-server", "cron", "rsyslog", "bsdutils", "curl",
                "postgresql", "util-linux");
    }

    @Test
    void nothingOutlivesTheShutdown() throws Exception {
        // --early-boot: not PID 1, ordo boots the machine all the same (generators too, so PostgreSQL's cluster).
        try (SealedOrdo o = SealedOrdo.underInit("shutdown", "", "--early-boot", "--root", "/")) {
            o.awaitInside("every service answers", DebianBootTest.ALL_ANSWER);
            for (String s : DebianBootTest.services()) o.awaitRunning(s);
            // Daemons with children of their own: nginx's workers, the postmaster's background processes.
            assertTrue(o.seal.inside("pgrep", "-f", "nginx: worker process").ok(), o.seal.inside("ps", "-ef").out());
            assertTrue(o.seal.inside("pgrep", "-f", "postgres: 1.*checkpointer").ok(), o.seal.inside("ps", "-ef").out());

            assertEquals(0, o.terminate(), o.output().text());
            ProcessLines out = o.output();
            out.awaitLine("ordo: shutdown complete");
            for (String s : DebianBootTest.services()) out.awaitLine("[  OK  ] Stopped " + s);
            out.awaitLine("init: ordo exited 0");
            assertEquals(List.of(), o.left(), out.text());
        }
    }
}
