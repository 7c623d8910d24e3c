package dev.ordo.executor.sealed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real Upstart jobs of real daemons, from the corpus as they were written (cameronnemo-upstart-jobs), run by
 * ordo as PID 1 of a seal and started by the events mountall and the syslog bridge would send: redis through
 * start-stop-daemon and dbus with {@code expect fork}, rsyslog with {@code expect fork} and {@code respawn}.
 * ordo follows each daemon's fork, so status shows the pid the daemon itself reports.
 */
class UpstartJobsTest {

    static final Path JOBS = Path.of(System.getProperty("ordo.shared", "../../shared"), "corpus/upstart/cameronnemo-upstart-jobs");

    @BeforeEach
    void sealable() {
        Seal.assumeAvailable();
        Assumptions.assumeTrue(Files.isDirectory(JOBS), JOBS + " is missing (the corpus lives in ../shared beside the clone)");
    }

    static String job(String name) {
        return JOBS.resolve(name + ".conf").toAbsolutePath().normalize().toString();
    }

    @Test
    void redisAndDbusStartOnFilesystemAndStopCleanly() throws Exception {
        HostCommands.assumeInstalled("redis-server", "redis-tools", "dbus");
        try (SealedOrdo o = SealedOrdo.asPid1("upstart", job("redis-server"), job("dbus"))) {
            o.awaitStatus("dbus", "stop/waiting");
            HostCommands.Exit emit = o.ordo("emit", "filesystem");
            assertEquals(0, emit.status(), emit.out());

            long redis = o.awaitRunning("redis-server");
            assertEquals("PONG", o.awaitInside("redis answers", "redis-cli -h 127.0.0.1 ping").trim());
            String info = o.seal.inside("redis-cli", "-h", "127.0.0.1", "info", "server").out();
            assertTrue(info.contains("process_id:" + redis + "\r\n"), "ordo follows redis past start-stop-daemon and its fork: "
                    + redis + "\n" + info);

            // The bus answers, and says its own pid is the one ordo shows.
            long dbus = o.awaitRunning("dbus");
            String id = o.awaitInside("the bus answers", "dbus-send --system --print-reply --dest=org.freedesktop.DBus"
                    + " /org/freedesktop/DBus org.freedesktop.DBus.GetId");
            assertTrue(id.matches("(?s).*string \"[0-9a-f]{32}\".*"), id);
            String pid = o.seal.insideShell("dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus"
                    + " org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.DBus").out();
            assertTrue(pid.contains("uint32 " + dbus + "\n"), "dbus-daemon says it is " + pid + "; ordo shows " + dbus);

            assertEquals(0, o.terminate(), o.output().text());
            o.output().awaitLine("[  OK  ] Stopped redis-server");
            o.output().awaitLine("[  OK  ] Stopped dbus");
            String log = o.upperFile("/var/log/redis/redis-server.log");
            assertTrue(log.contains("ready to exit, bye bye"), log);
        }
    }

    @Test
    void rsyslogStartsOnSyslogUpAndLogs() throws Exception {
        HostCommands.assumeInstalled("rsyslog", "bsdutils");
        try (SealedOrdo o = SealedOrdo.asPid1("upstart-rsyslog", job("rsyslog"))) {
            o.awaitStatus("rsyslog", "stop/waiting");
            HostCommands.Exit emit = o.ordo("emit", "syslog-up");
            assertEquals(0, emit.status(), emit.out());
            long rsyslog = o.awaitRunning("rsyslog");
            assertEquals(rsyslog, Long.parseLong(o.awaitInside("rsyslogd wrote its pid", "cat /run/rsyslogd.pid").trim()));
            o.awaitInside("/dev/log takes a message", "logger -t ordo-sealed 'through rsyslog'");
            o.awaitInside("the message is in /var/log/syslog", "grep -q 'ordo-sealed.*through rsyslog' /var/log/syslog");
            assertEquals(0, o.terminate(), o.output().text());
            o.output().awaitLine("[  OK  ] Stopped rsyslog");
        }
    }
}
