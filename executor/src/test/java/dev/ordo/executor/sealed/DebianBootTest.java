package dev.ordo.executor.sealed;

import dev.ordo.executor.ProcessLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The machine's own unit tree, as Debian's packages installed and enabled it, booted by {@code ordo run --root /}
 * as PID 1 of a sealed namespace, the way a container's init would: the daemons serve, ordo shows their real
 * pids, and SIGTERM stops them in the reverse order with a clean exit. Skipped without root, unshare and
 * overlayfs, or without the packages (.ci/run installs them).
 */
class DebianBootTest {

    /** The services this boot must bring up, as their packages enable them. */
    static final List<String> SERVICES = List.of("nginx.service", "redis-server.service", "memcached.service",
            "ssh.service", "cron.service", "rsyslog.service");

    /** One shell command that succeeds once every service answers (run inside the seal), PostgreSQL's cluster too. */
    static final String ALL_ANSWER = String.join(" && ",
            "[ \"$(runuser -u postgres -- psql -XtAc 'select 1')\" = 1 ]",
            "curl -fsS -o /dev/null http://127.0.0.1/",
            "[ \"$(redis-cli -h 127.0.0.1 ping)\" = PONG ]",
            "bash -c 'exec 3<>/dev/tcp/127.0.0.1/11211; printf \"stats\\r\\nquit\\r\\n\" >&3; grep -q \"^END\" <&3'",
            "bash -c 'exec 3<>/dev/tcp/127.0.0.1/22; head -c 8 <&3 | grep -q SSH-2.0-'",
            "[ -s /run/crond.pid ] && kill -0 \"$(cat /run/crond.pid)\"",
            "logger -t ordo-sealed ready && grep -q 'ordo-sealed: ready' /var/log/syslog");

    @BeforeEach
    void sealable() {
        Seal.assumeAvailable();
        HostCommands.assumeInstalled("nginx", "redis-server", "redis-tools", "memcached", "openssh-server", "cron", "rsyslog", "bsdutils", "curl",
                "postgresql", "util-linux", "dbus");
    }

    /** {@link #SERVICES} and the instance of the machine's PostgreSQL cluster, which its generator makes. */
    static List<String> services() throws Exception {
        List<String> all = new java.util.ArrayList<>(SERVICES);
        all.add(PostgresTest.instance());
        return all;
    }

    @Test
    void theEnabledDaemonsServeShowTheirPidsAndStopInReverseOrder() throws Exception {
        long t0 = System.nanoTime();
        try (SealedOrdo o = SealedOrdo.asPid1("debian-boot", "--root", "/")) {
            long pid1 = o.seal.pid1();
            List<String> services = services();
            o.awaitInside("every service answers", ALL_ANSWER);
            long served = System.nanoTime() - t0;
            // A service may answer before its unit counts as started (pg_ctlcluster returns a while after the
            // postmaster accepts connections): the boot is done when multi-user.target is reached.
            o.awaitStatus("multi-user.target", "start/running");
            long booted = System.nanoTime() - t0;
            BootCost cost = BootCost.of(pid1);
            o.output().awaitLine("ordo: running as pid 1,");

            // Each answers as a client would ask it.
            assertEquals("200", o.seal.inside("curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1/").out());
            assertEquals("PONG", o.seal.inside("redis-cli", "-h", "127.0.0.1", "ping").out().trim());
            String stats = o.seal.inside("bash", "-c",
                    "exec 3<>/dev/tcp/127.0.0.1/11211; printf 'stats\\r\\nquit\\r\\n' >&3; cat <&3").out();
            String banner = o.seal.inside("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/22; head -c 8 <&3").out();
            assertEquals("SSH-2.0-", banner);

            // The system bus answers on the socket dbus.socket opened and handed over, and says its own pid is the one
            // ordo shows. (multi-user.target wants dbus.service in Debian: it is started at the boot, given the socket.)
            String id = o.awaitInside("the bus answers through dbus.socket", "dbus-send --system --print-reply"
                    + " --dest=org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus.GetId");
            assertTrue(id.matches("(?s).*string \"[0-9a-f]{32}\".*"), id);
            o.awaitStatus("dbus.socket", "start/running");
            long bus = o.awaitRunning("dbus.service");
            String busPid = o.seal.insideShell("dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus"
                    + " org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.DBus").out();
            assertTrue(busPid.contains("uint32 " + bus + "\n"), "dbus-daemon says it is " + busPid + "; ordo shows " + bus);
            assertTrue(!out0(o).contains("[FAILED]"), "nothing of the boot failed:\n" + out0(o));

            // ordo status shows each daemon's real main process: the pid the daemon itself reports.
            assertEquals(Long.parseLong(o.readInside("/run/nginx.pid")), o.awaitRunning("nginx.service"));
            assertEquals(Long.parseLong(o.readInside("/run/sshd.pid")), o.awaitRunning("ssh.service"));
            assertEquals(Long.parseLong(o.readInside("/run/crond.pid")), o.awaitRunning("cron.service"));
            assertEquals(o.readInside("/run/postgresql/" + PostgresTest.cluster().replace('/', '-') + ".pid").lines().findFirst().orElse(""),
                    Long.toString(o.awaitRunning(PostgresTest.instance())));
            assertTrue(stats.contains("STAT pid " + o.awaitRunning("memcached.service") + "\r\n"), stats);
            String info = o.seal.inside("redis-cli", "-h", "127.0.0.1", "info", "server").out();
            assertTrue(info.contains("process_id:" + o.awaitRunning("redis-server.service") + "\r\n"), info);
            // rsyslogd -n -iNONE writes no pid file: the one rsyslogd in the seal is the one ordo shows.
            assertEquals(o.seal.inside("pgrep", "-x", "rsyslogd").out().trim(), Long.toString(o.awaitRunning("rsyslog.service")));
            assertEquals("nginx: master process /usr/sbin/nginx -g daemon on; master_process on;",
                    o.seal.inside("ps", "-o", "args=", "-p", Long.toString(o.awaitRunning("nginx.service"))).out().trim());

            System.out.printf(Locale.ROOT, "sealed boot of --root / (%d services): all answering %.2f s, multi-user.target"
                    + " reached %.2f s after ordo run started; ordo then: %s%n", services.size(), served / 1e9, booted / 1e9, cost);

            // SIGTERM to PID 1: the shutdown, in the reverse of the boot's order.
            assertEquals(0, o.terminate(), o.output().text());
            ProcessLines out = o.output();
            out.awaitLine("ordo: shutdown complete");
            for (String s : services) {
                assertTrue(out.index("[  OK  ] Stopped multi-user.target") < out.index("[  OK  ] Stopped " + s),
                        "multi-user.target (after " + s + " at boot) stops first:\n" + out.text());
                assertTrue(out.index("[  OK  ] Stopped " + s) < out.index("[  OK  ] Stopped basic.target"),
                        s + " (after basic.target at boot) stops before it:\n" + out.text());
            }
            // redis-server's own log, in the overlay's upper directory: it saved and exited as asked.
            String redisLog = o.upperFile("/var/log/redis/redis-server.log");
            assertTrue(redisLog.contains("User requested shutdown") && redisLog.contains("ready to exit, bye bye"), redisLog);
        }
    }

    private static String out0(SealedOrdo o) {
        return o.output().text();
    }

    /** What ordo itself has cost so far: CPU time, resident memory and its peak, from the host's /proc. */
    record BootCost(double cpuSeconds, long rssKb, long peakKb) {

        static BootCost of(long pid) throws java.io.IOException {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime and stime (fields 14 and 15 of proc(5); 12 and 13 after the command), in clock ticks of 1/100 s.
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
            long rss = 0;
            long peak = 0;
            for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (l.startsWith("VmRSS:")) rss = Long.parseLong(l.replaceAll("\\D", ""));
                if (l.startsWith("VmHWM:")) peak = Long.parseLong(l.replaceAll("\\D", ""));
            }
            return new BootCost(cpu, rss, peak);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%.2f s CPU, %d MiB resident (peak %d MiB)", cpuSeconds, rssKb / 1024, peakKb / 1024);
        }
    }
}
