package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.Effect;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo run} of tiny unit trees with socket units, as systemd runs them: the socket listens before its
 * service runs, the first connection starts the service, which answers on the socket it was given at fd 3;
 * after the service is stopped the same socket (never bound again) starts it once more. With Accept=yes each
 * connection is served by an instance of its own on its standard input and output.
 */
class SocketActivationRunTest extends SupervisorHarness {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** The targets a unit with default dependencies needs, and default.target wanting {@code wants}. */
    static Path units(Path tmp, String wants) throws IOException {
        Path units = Files.createDirectories(tmp.resolve("units"));
        Files.writeString(units.resolve("default.target"), "[Unit]\nWants=" + wants + "\n");
        Files.writeString(units.resolve("basic.target"), "[Unit]\nDescription=Basic System\n");
        Files.writeString(units.resolve("shutdown.target"), "[Unit]\nDescription=Shutdown\nDefaultDependencies=no\n");
        Files.writeString(units.resolve("sysinit.target"), "[Unit]\nDescription=System Initialization\n");
        return units;
    }

    private String ask(Path socket) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            ByteBuffer b = ByteBuffer.allocate(256);
            while (c.read(b) > 0) {
                // until the service closes the connection
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theFirstConnectionStartsTheServiceWhichAnswersOnTheSocketItWasGiven() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(PYTHON), "the service is a python3 script");
        Path units = units(tmp, "echo.socket");
        Path node = tmp.resolve("run/echo/echo.sock");
        Files.writeString(units.resolve("echo.socket"), "[Socket]\nListenStream=" + node + "\nSocketMode=0600\n");
        Path script = tmp.resolve("echo.py");
        Files.writeString(script, """
                import os, socket
                assert os.environ['LISTEN_PID'] == str(os.getpid()), 'LISTEN_PID is not mine'
                s = socket.socket(fileno=3)
                s.setblocking(True)
                while True:
                    c, _ = s.accept()
                    c.sendall(('hello from %d fds=%s names=%s\\n' % (os.getpid(), os.environ['LISTEN_FDS'],
                              os.environ['LISTEN_FDNAMES'])).encode())
                    c.close()
                """);
        Files.writeString(units.resolve("echo.service"), "[Service]\nExecStart=" + PYTHON + " " + script + "\n");
        run(List.of(units));
        awaitLine("[  OK  ] Listening on echo.socket");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(node, LinkOption.NOFOLLOW_LINKS)));
        assertTrue(ordo("status", "echo.service").out().startsWith("echo.service stop/waiting"), "nothing started it yet");
        Object inode = Files.getAttribute(node, "unix:ino", LinkOption.NOFOLLOW_LINKS);

        String first = ask(node);
        assertTrue(first.matches("hello from [0-9]+ fds=1 names=echo.socket\n"), first);
        awaitLine("ordo: echo.socket has traffic, starting echo.service");
        String pid = first.split(" ")[2];
        assertTrue(ordo("status", "echo.service").out().contains("start/running, process " + pid), ordo("status", "echo.service").out());

        assertEquals(0, ordo("stop", "echo.service").status());
        assertTrue(ordo("status", "echo.socket").out().startsWith("echo.socket start/running"), "the socket stays up");
        String second = ask(node);
        assertTrue(second.matches("hello from [0-9]+ fds=1 names=echo.socket\n"), second);
        assertNotEquals(pid, second.split(" ")[2], "a new service process, started by the second connection");
        assertEquals(inode, Files.getAttribute(node, "unix:ino", LinkOption.NOFOLLOW_LINKS), "the socket was never bound again");
        assertEquals(1, effects().stream().filter(e -> e instanceof Effect.OpenSockets).count());

        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
        assertTrue(lines().stream().anyMatch(l -> l.contains("Stopped echo.socket")), this::output);
    }

    /**
     * Debian's dbus.service runs {@code dbus-daemon --address=systemd:}, which takes its socket from
     * sd_listen_fds() and exits without one: here with the session configuration, which changes nothing on
     * the machine, on the socket dbus.socket opened in the test's directory.
     */
    @Test
    void dbusDaemonTakesItsSocketFromOrdo() throws Exception {
        Path daemon = Path.of("/usr/bin/dbus-daemon");
        Assumptions.assumeTrue(Files.isExecutable(daemon), "dbus-daemon is installed");
        Path units = units(tmp, "dbus.socket");
        Path node = tmp.resolve("run/dbus/system_bus_socket");
        Files.writeString(units.resolve("dbus.socket"), "[Unit]\nDescription=D-Bus System Message Bus Socket\n[Socket]\nListenStream="
                + node + "\n");
        Files.writeString(units.resolve("dbus.service"), "[Unit]\nRequires=dbus.socket\n[Service]\nExecStart=" + daemon
                + " --session --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only\nOOMScoreAdjust=-900\n");
        run(List.of(units));
        awaitLine("[  OK  ] Listening on dbus.socket");
        for (int i = 0; i < 2; i++) {
            try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(node))) {
                // The D-Bus handshake (the auth protocol of the D-Bus specification): a NUL, then AUTH EXTERNAL with the uid in hex.
                String uid = Long.toString(new com.sun.security.auth.module.UnixSystem().getUid());
                StringBuilder hex = new StringBuilder();
                for (char ch : uid.toCharArray()) hex.append(Integer.toHexString(ch));
                c.write(ByteBuffer.wrap(("\0AUTH EXTERNAL " + hex + "\r\n").getBytes(StandardCharsets.US_ASCII)));
                ByteBuffer b = ByteBuffer.allocate(128);
                while (b.position() < 2 || b.get(b.position() - 1) != '\n') if (c.read(b) < 0) break;
                String answer = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII);
                assertTrue(answer.startsWith("OK "), answer);
            }
            awaitLine("[  OK  ] Started dbus.service");
            if (i == 0) assertEquals(0, ordo("stop", "dbus.service").status());
        }
        assertEquals(2, lines().stream().filter(l -> l.equals("ordo: dbus.socket has traffic, starting dbus.service")).count(), this::output);
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }

    @Test
    void acceptYesServesEachConnectionWithAnInstanceOnItsStandardInputAndOutput() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path units = units(tmp, "inetd.socket");
        Files.writeString(units.resolve("inetd.socket"), "[Socket]\nListenStream=127.0.0.1:" + port + "\nAccept=yes\n");
        Path script = tmp.resolve("inetd.sh");
        Files.writeString(script, "read line\necho \"got $line from $REMOTE_ADDR fds=$LISTEN_FDS names=$LISTEN_FDNAMES\"\n");
        Files.writeString(units.resolve("inetd@.service"), "[Service]\nExecStart=/bin/sh " + script + "\nStandardInput=socket\n");
        run(List.of(units));
        awaitLine("[  OK  ] Listening on inetd.socket");
        for (int i = 0; i < 2; i++) {
            try (Socket c = new Socket(InetAddress.getLoopbackAddress(), port)) {
                OutputStream out = c.getOutputStream();
                out.write(("ping " + i + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("got ping " + i + " from 127.0.0.1 fds=1 names=connection", in.readLine());
                assertEquals(null, in.readLine(), "closed once its instance is gone");
                int local = c.getLocalPort();
                // Named as systemd names a per-connection instance.
                awaitLine("[  OK  ] Started inetd@" + i + "-127.0.0.1:" + port + "-127.0.0.1:" + local + ".service");
            }
        }
        try (var logs = Files.list(supervisor.files().logs())) {
            assertTrue(logs.noneMatch(l -> l.getFileName().toString().startsWith("inetd@")), "its output went to the connection");
        }
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }
}
