package dev.ordo.executor.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo stop}, {@code start} and {@code reload} on Debian's nginx.service while the sealed boot of
 * {@code --root /} runs: the stop takes the master and its workers, the start brings a new master whose pid
 * ordo shows, and the reload runs the unit's ExecReload= (nginx -s reload), which re-reads the configuration
 * under the same master.
 */
class InPlaceCommandsTest {

    @BeforeEach
    void sealable() {
        Seal.assumeAvailable();
        HostCommands.assumeInstalled("nginx", "curl");
    }

    @Test
    void nginxStopsStartsAndReloadsInPlace() throws Exception {
        try (SealedOrdo o = SealedOrdo.asPid1("in-place", "--root", "/")) {
            long master = o.awaitRunning("nginx.service");
            o.awaitInside("nginx answers", "curl -fsS -o /dev/null http://127.0.0.1/");
            assertEquals(master, Long.parseLong(o.readInside("/run/nginx.pid")));

            // Stop: nothing of nginx is left, and nothing answers.
            HostCommands.Exit stop = o.ordo("stop", "nginx.service");
            assertEquals(0, stop.status(), stop.out());
            assertEquals("nginx.service stop/waiting", stop.out());
            assertFalse(o.seal.inside("pgrep", "-x", "nginx").ok(), o.seal.inside("ps", "-ef").out());
            assertFalse(o.seal.insideShell("curl -fsS -o /dev/null http://127.0.0.1/").ok(), "nginx still answers");

            // Start: a new master, the one nginx's pid file names, answering again.
            HostCommands.Exit start = o.ordo("start", "nginx.service");
            assertEquals(0, start.status(), start.out());
            long second = o.awaitRunning("nginx.service");
            assertNotEquals(master, second);
            assertEquals(second, Long.parseLong(o.readInside("/run/nginx.pid")));
            o.awaitInside("nginx answers again", "curl -fsS -o /dev/null http://127.0.0.1/");

            // Reload: a server added to the configuration (in the seal's /etc overlay) answers after ExecReload=,
            // under the same master, with new workers.
            Set<String> workers = workers(o, second);
            o.seal.insideShell("printf 'server { listen 127.0.0.1:8081; return 200 \"reloaded\\\\n\"; }\\n'"
                    + " > /etc/nginx/conf.d/ordo-reload.conf");
            assertFalse(o.seal.insideShell("curl -fsS http://127.0.0.1:8081/").ok(), "the new server answers before the reload");
            HostCommands.Exit reload = o.ordo("reload", "nginx.service");
            assertEquals(0, reload.status(), reload.out());
            assertEquals("reloaded", o.awaitInside("the new server answers", "curl -fsS http://127.0.0.1:8081/").trim());
            assertEquals(second, o.awaitRunning("nginx.service"), "the master is the same");
            assertEquals(second, Long.parseLong(o.readInside("/run/nginx.pid")));
            o.awaitInside("the old workers have gone", "! ps -o pid= --ppid " + second + " | grep -qwE '"
                    + String.join("|", workers) + "'");
            assertTrue(!workers(o, second).isEmpty(), "new workers");

            assertEquals(0, o.terminate(), o.output().text());
        }
    }

    static Set<String> workers(SealedOrdo o, long master) throws Exception {
        String out = o.seal.inside("ps", "-o", "pid=", "--ppid", Long.toString(master)).out();
        return Arrays.stream(out.trim().split("\\s+")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    }
}
