package dev.ordo.executor.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Debian's PostgreSQL clusters boot as their package meant: postgresql-common's systemd generator (run by
 * ordo as PID 1, as systemd runs it) links postgresql@VERSION-CLUSTER.service into postgresql.service.wants;
 * the Type=forking instance starts through pg_ctlcluster, ordo shows the postmaster from its PIDFile=, the
 * cluster answers a query, and SIGTERM stops it through ExecStop= (a fast shutdown) before the run ends.
 */
class PostgresTest {

    @BeforeEach
    void sealable() {
        Seal.assumeAvailable();
        HostCommands.assumeInstalled("postgresql", "util-linux");
    }

    /** The first cluster of the machine's /etc/postgresql, as VERSION/CLUSTER. */
    static String cluster() throws Exception {
        Path etc = Path.of("/etc/postgresql");
        Assumptions.assumeTrue(Files.isDirectory(etc), "no /etc/postgresql: no cluster to boot");
        try (Stream<Path> s = Files.walk(etc, 3)) {
            List<Path> confs = s.filter(p -> p.getFileName().toString().equals("postgresql.conf")).sorted().toList();
            Assumptions.assumeTrue(!confs.isEmpty(), "no cluster in /etc/postgresql (pg_createcluster makes one)");
            Path dir = confs.get(0).getParent();
            return dir.getParent().getFileName() + "/" + dir.getFileName();
        }
    }

    /** The unit of that cluster, as postgresql-generator names it: postgresql@15-main.service. */
    static String instance() throws Exception {
        return "postgresql@" + cluster().replace('/', '-') + ".service";
    }

    @Test
    void theGeneratedClusterInstanceServesAndShutsDownFast() throws Exception {
        String cluster = cluster();
        String instance = instance();
        try (SealedOrdo o = SealedOrdo.asPid1("postgres", "--root", "/")) {
            o.output().awaitLine("ordo: ran ");
            assertTrue(o.output().lines().stream().anyMatch(l -> l.startsWith("ordo: ran ") && l.contains("postgresql-generator")),
                    o.output().text());
            long postmaster = o.awaitRunning(instance);
            String pidFile = o.readInside("/run/postgresql/" + cluster.replace('/', '-') + ".pid");
            assertEquals(Long.toString(postmaster), pidFile.lines().findFirst().orElse(""), "PIDFile= gives the postmaster");
            assertEquals("1", o.awaitInside("the cluster answers", "runuser -u postgres -- psql -XtAc 'select 1'").trim());
            o.awaitStatus("postgresql.service", "start/running");

            assertEquals(0, o.terminate(), o.output().text());
            o.output().awaitLine("[  OK  ] Stopped " + instance);
            assertTrue(o.output().index("[  OK  ] Stopped postgresql.service") < o.output().index("[  OK  ] Stopped " + instance),
                    "postgresql.service (Before= its instances at boot... and after them at shutdown):\n" + o.output().text());
            String log = o.upperFile("/var/log/postgresql/postgresql-" + cluster.replace('/', '-') + ".log");
            assertTrue(log.contains("received fast shutdown request") && log.contains("database system is shut down"), log);
        }
    }
}
