package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.SocketPort;
import dev.ordo.planner.model.SocketSetup;
import java.io.IOException;
import java.io.InputStream;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Socket units' sockets made as systemd makes them, watched, and given to a real process at fd 3 with
 * sd_listen_fds(3)'s variables, LISTEN_PID its own pid.
 */
class ListenSocketsTest {

    static final AtomicLong TAGS = new AtomicLong(1_000_000);
    static final Source AT = new Source("t.socket", 1, 1);

    static Events events;
    static Processes processes;
    @TempDir
    static Path runtime;
    @TempDir
    Path tmp;

    final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    ListenSockets sockets;

    @BeforeAll
    static void openTable() throws IOException {
        events = new Events();
        processes = Processes.open(runtime, e -> events.accept(e));
    }

    @AfterAll
    static void closeTable() {
        processes.close();
    }

    @BeforeEach
    void open() throws IOException {
        sockets = new ListenSockets(new ListenSockets.Events() {
            public void traffic(String key) {
                seen.add("traffic " + key);
            }

            public void connection(String key, long id, String name, List<String> env) {
                seen.add("connection " + key + " " + id + " " + name + " " + env);
            }

            public void note(String text) {
                seen.add("note " + text);
            }
        });
    }

    @AfterEach
    void close() {
        sockets.close();
    }

    static SocketPort port(SocketPort.ListenKind kind, SocketPort.Family family, String path, String host, int port) {
        return new SocketPort(kind, family, path, host, port, null, AT);
    }

    static SocketSetup setup(boolean accept, SocketPort... ports) {
        return setup(accept, 0666, 0755, false, List.of(), ports);
    }

    static SocketSetup setup(boolean accept, int mode, int dirMode, boolean remove, List<String> links, SocketPort... ports) {
        return new SocketSetup(List.of(ports), accept, "t.service", null, null, mode, dirMode, Integer.MAX_VALUE, false, false,
                null, remove, links, null, 64, Duration.ofSeconds(2), 20);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    String next() throws InterruptedException {
        String s = seen.poll(10, TimeUnit.SECONDS);
        if (s == null) throw new AssertionError("nothing came");
        return s;
    }

    /** Runs {@code argv} given {@code fds} and returns what it printed. */
    String run(PassedFds fds, Resources res, String... argv) throws Exception {
        Path out = tmp.resolve("out-" + TAGS.incrementAndGet());
        SpawnRequest r = SpawnRequest.of(TAGS.incrementAndGet(), List.of(argv), List.of("PATH=/usr/bin:/bin"))
                .withStdio(Stdio.append(out)).withFds(fds).withResources(res);
        SpawnResult res0 = processes.spawn(r);
        SpawnResult.Started s = assertInstanceOf(SpawnResult.Started.class, res0, res0::toString);
        events.exit(s.pid());
        return Files.exists(out) ? Files.readString(out) : "";
    }

    @Test
    void aProcessGetsTheSocketAtFd3WithLISTEN_PIDItsOwnPid() throws Exception {
        Path node = tmp.resolve("run/deep/a.sock");
        sockets.open("a.socket", setup(false, 0600, 0700, false, List.of(), port(SocketPort.ListenKind.STREAM, SocketPort.Family.PATH,
                node.toString(), null, 0)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(node, LinkOption.NOFOLLOW_LINKS)),
                "exactly SocketMode=, whatever the umask");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.getParent())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(node.getParent().getParent())));
        List<Integer> fds = sockets.fds("a.socket");
        assertEquals(1, fds.size());
        PassedFds pass = new PassedFds(fds, List.of("a.socket"), -1, -1, -1, false);
        String script = "[ \"$LISTEN_PID\" = \"$$\" ] && echo pid-ok; echo fds=$LISTEN_FDS names=$LISTEN_FDNAMES;"
                + " readlink /proc/$$/fd/3 | cut -c1-7; [ -e /proc/$$/fd/4 ] || echo only-3";
        assertEquals("pid-ok\nfds=1 names=a.socket\nsocket:\nonly-3\n", run(pass, Resources.DEFAULT, "/bin/sh", "-c", script));
        // Through the other trampolines as well (umask, OOM score, nice): exec keeps the pid.
        Resources umask = new Resources(027, 5, null, null, List.of(), null, null, null);
        assertTrue(run(pass, umask, "/bin/sh", "-c", script + "; umask").endsWith("only-3\n0027\n"));
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "python3 checks what sd_listen_fds() would");
        String py = "import os,socket,fcntl\n"
                + "s=socket.socket(fileno=3)\n"
                + "print(os.environ['LISTEN_PID']==str(os.getpid()), s.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN),"
                + " fcntl.fcntl(3, fcntl.F_GETFD) & fcntl.FD_CLOEXEC, s.family == socket.AF_UNIX, s.getsockname())\n";
        assertEquals("True 1 0 True " + node + "\n", run(pass, Resources.DEFAULT, python.toString(), "-c", py));
        sockets.close("a.socket");
        assertTrue(Files.exists(node, LinkOption.NOFOLLOW_LINKS), "the node stays without RemoveOnStop=");
    }

    @Test
    void trafficIsReportedOnceUntilWatchedAgain() throws Exception {
        int p = freePort();
        sockets.open("t.socket", setup(false, port(SocketPort.ListenKind.STREAM, SocketPort.Family.IPV4, null, "127.0.0.1", p)));
        sockets.watch("t.socket");
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), p)) {
            assertEquals("traffic t.socket", next());
            assertNull(seen.poll(200, TimeUnit.MILLISECONDS), "not watched until asked again");
            sockets.watch("t.socket");
            assertEquals("traffic t.socket", next(), "the connection is still queued: traffic at once");
        }
    }

    @Test
    void acceptYesTakesEachConnectionAndNamesItAsSystemdDoes() throws Exception {
        int p = freePort();
        sockets.open("e.socket", setup(true, port(SocketPort.ListenKind.STREAM, SocketPort.Family.IPV4, null, "127.0.0.1", p)));
        sockets.watch("e.socket");
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), p)) {
            int local = c.getLocalPort();
            String ev = next();
            String id = ev.split(" ")[2];
            assertEquals("connection e.socket " + id + " 0-127.0.0.1:" + p + "-127.0.0.1:" + local
                    + " [REMOTE_ADDR=127.0.0.1, REMOTE_PORT=" + local + "]", ev);
            int fd = sockets.connectionFd(Long.parseLong(id));
            // An inetd-style service: the connection is its standard input and output.
            PassedFds conn = new PassedFds(List.of(fd), List.of("connection"), fd, fd, -1, true);
            c.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("", run(conn, Resources.DEFAULT, "/bin/sh", "-c", "read l; echo \"$l pong $LISTEN_FDNAMES\""));
            InputStream in = c.getInputStream();
            assertEquals("ping pong connection\n", new String(in.readNBytes(21), StandardCharsets.UTF_8));
            sockets.closeConnection(Long.parseLong(id));
            assertEquals(-1, in.read(), "closed by the supervisor and the process both");
        }
        try (Socket c = new Socket(InetAddress.getLoopbackAddress(), p)) {
            assertTrue(next().contains(" 1-127.0.0.1:" + p + "-"), "the number counts the connections");
        }
    }

    @Test
    void theOtherKindsOpen() throws Exception {
        Path dir = tmp.resolve("k");
        Path fifo = dir.resolve("f.fifo");
        sockets.open("k.socket", setup(false, port(SocketPort.ListenKind.DATAGRAM, SocketPort.Family.PATH, dir + "/d.sock", null, 0),
                port(SocketPort.ListenKind.SEQUENTIAL_PACKET, SocketPort.Family.ABSTRACT, "ordo-test-" + ProcessHandle.current().pid(), null, 0),
                port(SocketPort.ListenKind.FIFO, SocketPort.Family.PATH, fifo.toString(), null, 0),
                port(SocketPort.ListenKind.STREAM, SocketPort.Family.ANY, null, null, freePort())));
        assertEquals(4, sockets.fds("k.socket").size());
        assertEquals("rw-rw-rw-", PosixFilePermissions.toString(Files.getPosixFilePermissions(fifo)));
        sockets.watch("k.socket");
        Files.writeString(fifo, "x");
        assertEquals("traffic k.socket", next());
    }

    @Test
    void aStaleNodeIsReplacedAndAPortInUseFailsWithNothingLeftOpen() throws Exception {
        Path node = tmp.resolve("stale.sock");
        Files.writeString(node, "left by an earlier run");
        sockets.open("s.socket", setup(false, port(SocketPort.ListenKind.STREAM, SocketPort.Family.PATH, node.toString(), null, 0)));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(node))) {
            assertTrue(c.isConnected());
        }
        int p = freePort();
        SocketPort tcp = port(SocketPort.ListenKind.STREAM, SocketPort.Family.IPV4, null, "127.0.0.1", p);
        sockets.open("one.socket", setup(false, tcp));
        Path other = tmp.resolve("other.sock");
        IOException e = assertThrows(IOException.class, () -> sockets.open("two.socket",
                setup(false, port(SocketPort.ListenKind.STREAM, SocketPort.Family.PATH, other.toString(), null, 0), tcp)));
        assertEquals("ListenStream=127.0.0.1:" + p + ": Address already in use (EADDRINUSE)", e.getMessage());
        assertEquals(List.of(), sockets.fds("two.socket"));
        // The first port of the failed unit was closed again: its node takes no connection.
        assertThrows(IOException.class, () -> SocketChannel.open(UnixDomainSocketAddress.of(other)).close());
    }

    @Test
    void symlinksAndRemoveOnStop() throws Exception {
        Path node = tmp.resolve("run/r.sock");
        Path link = tmp.resolve("dev/r");
        sockets.open("r.socket", setup(false, 0666, 0755, true, List.of(link.toString()),
                port(SocketPort.ListenKind.STREAM, SocketPort.Family.PATH, node.toString(), null, 0)));
        assertEquals(node, Files.readSymbolicLink(link));
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(link))) {
            c.write(ByteBuffer.wrap(new byte[] {1}));
        }
        sockets.close("r.socket");
        assertFalse(Files.exists(node, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aClosedUnitIsNeverReported() throws Exception {
        int p = freePort();
        sockets.open("c.socket", setup(false, port(SocketPort.ListenKind.STREAM, SocketPort.Family.IPV4, null, "127.0.0.1", p)));
        sockets.watch("c.socket");
        sockets.close("c.socket");
        assertThrows(IOException.class, () -> new Socket(InetAddress.getLoopbackAddress(), p).close());
        assertNull(seen.poll(200, TimeUnit.MILLISECONDS));
    }
}
