package dev.ordo.executor.control;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server on a real Unix socket: every command answered, bad input refused one line at a time. */
class ControlServerTest {

    @TempDir
    Path tmp;

    final List<ControlServer> servers = new ArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    /** Requests the scripted handler leaves for the test to answer (stop, emit): as the engine would, later. */
    final BlockingQueue<Responder> held = new LinkedBlockingQueue<>();
    final CountDownLatch followEnded = new CountDownLatch(1);

    @AfterEach
    void close() {
        servers.forEach(ControlServer::close);
    }

    /** The supervisor's side of the tests: a fixed answer for each command. */
    void scripted(ControlRequest r, Responder a) {
        switch (r.cmd()) {
            case START -> {
                if (r.name() == null) a.ok(r.caller().job() + " start/running, process 1");
                else if (r.name().equals("hal")) a.ok("hal start/running, process 1234");
                else if (r.name().equals("boom")) throw new IllegalStateException("scripted failure");
                else a.error("Unknown job: " + r.name());
            }
            case STOP, EMIT -> held.add(a);
            case RESTART -> a.ok("hal start/running, process 1235");
            case STATUS -> a.ok(r.name() + " stop/waiting");
            case LIST -> a.ok("dbus start/running, process 99\nhal stop/waiting");
            case RELOAD -> a.ok("");
            case SHUTDOWN -> a.ok("shutting down");
            case LOG -> {
                a.line("first");
                a.line("second");
                if (!r.follow()) {
                    a.ok("");
                } else {
                    a.onClose(followEnded::countDown);
                    held.add(a);
                }
            }
            default -> throw new AssertionError(r);
        }
    }

    ControlServer server(ControlServer.Limits options) throws IOException {
        ControlServer s = ControlServer.start(tmp.resolve("control/socket"), this::scripted, options, log::add);
        servers.add(s);
        return s;
    }

    ControlServer server() throws IOException {
        return server(ControlServer.Limits.defaults());
    }

    @Test
    void everyCommandIsAnswered() throws Exception {
        ControlServer s = server();
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"start\",\"job\":\"hal\",\"instance\":\"\",\"env\":[\"K=V\"],\"wait\":true}\n");
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"hal start/running, process 1234\"}", w.next());
            w.send("{\"id\":2,\"cmd\":\"start\",\"job\":\"hla\"}\n");
            assertEquals("{\"id\":2,\"ok\":false,\"error\":\"Unknown job: hla\"}", w.next());
            w.send("{\"id\":3,\"cmd\":\"restart\",\"job\":\"hal\"}\n");
            assertEquals("{\"id\":3,\"ok\":true,\"text\":\"hal start/running, process 1235\"}", w.next());
            w.send("{\"id\":4,\"cmd\":\"status\",\"job\":\"hal\"}\n");
            assertEquals("{\"id\":4,\"ok\":true,\"text\":\"hal stop/waiting\"}", w.next());
            w.send("{\"id\":5,\"cmd\":\"list\"}\n");
            assertEquals("{\"id\":5,\"ok\":true,\"text\":\"dbus start/running, process 99\\nhal stop/waiting\"}", w.next());
            w.send("{\"id\":6,\"cmd\":\"reload\"}\n");
            assertEquals("{\"id\":6,\"ok\":true,\"text\":\"\"}", w.next());
            w.send("{\"id\":7,\"cmd\":\"log\",\"job\":\"hal\"}\n");
            assertEquals("{\"id\":7,\"line\":\"first\"}", w.next());
            assertEquals("{\"id\":7,\"line\":\"second\"}", w.next());
            assertEquals("{\"id\":7,\"ok\":true,\"text\":\"\"}", w.next());
            w.send("{\"id\":8,\"cmd\":\"shutdown\"}\r\n");
            assertEquals("{\"id\":8,\"ok\":true,\"text\":\"shutting down\"}", w.next());
            w.send("{\"id\":9,\"cmd\":\"start\",\"caller\":{\"job\":\"getty\",\"instance\":\"tty1\"}}\n");
            assertEquals("{\"id\":9,\"ok\":true,\"text\":\"getty start/running, process 1\"}", w.next());
        }
    }

    @Test
    void waitingCommandsAreAnsweredLaterFromAnotherThreadWhileOthersGoOn() throws Exception {
        ControlServer s = server();
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"stop\",\"job\":\"dbus\"}\n{\"id\":2,\"cmd\":\"emit\",\"event\":\"e\"}\n");
            Responder stop = held.poll(5, TimeUnit.SECONDS);
            Responder emit = held.poll(5, TimeUnit.SECONDS);
            assertTrue(w.quietFor(100), "nothing is answered before the engine says so");
            w.send("{\"id\":3,\"cmd\":\"status\",\"job\":\"dbus\"}\n");
            assertEquals("{\"id\":3,\"ok\":true,\"text\":\"dbus stop/waiting\"}", w.next());
            Thread t = new Thread(() -> {
                emit.error("Event failed");
                stop.ok("dbus stop/waiting");
                stop.ok("a second final reply is ignored");
                stop.line("and so is a line after it");
            });
            t.start();
            t.join();
            assertEquals("{\"id\":2,\"ok\":false,\"error\":\"Event failed\"}", w.next());
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"dbus stop/waiting\"}", w.next());
            assertTrue(w.quietFor(100));
            assertFalse(stop.open());
        }
    }

    @Test
    void everyBadLineGetsOneErrorAndTheConnectionGoesOn() throws Exception {
        ControlServer s = server();
        try (Wire w = new Wire(s.socket())) {
            w.send(new byte[] {(byte) 0xc3, 0x28, 0x00, (byte) 0xff, '\n'});
            assertEquals("{\"id\":null,\"ok\":false,\"error\":\"request is not valid UTF-8 (byte 1)\"}", w.next());
            w.send("\u0001\u0002garbage\n");
            assertTrue(w.next().startsWith("{\"id\":null,\"ok\":false,\"error\":\"request is not JSON (near column 2): Illegal character ((CTRL-CHAR, code 1))"));
            w.send("{\"id\":1,\"cmd\":\"list\"\n");
            assertTrue(w.next().startsWith("{\"id\":null,\"ok\":false,\"error\":\"request is not JSON"));
            w.send("{\"id\":2,\"cmd\":\"strat\",\"job\":\"hal\"}\n");
            assertEquals("{\"id\":2,\"ok\":false,\"error\":\"unknown command `strat`; did you mean `start`?\"}", w.next());
            w.send("{\"id\":3,\"cmd\":\"start\",\"job\":[\"hal\"]}\n");
            assertEquals("{\"id\":3,\"ok\":false,\"error\":\"`job` must be a string, not a list\"}", w.next());
            w.send("{\"id\":4,\"cmd\":\"start\",\"job\":\"boom\"}\n");
            assertEquals("{\"id\":4,\"ok\":false,\"error\":\"internal error in ordo: IllegalStateException\"}", w.next());
            w.send("\n   \n");
            w.send("{\"id\":5,\"cmd\":\"list\"}\n");
            assertEquals("{\"id\":5,\"ok\":true,\"text\":\"dbus start/running, process 99\\nhal stop/waiting\"}", w.next());
            assertTrue(w.quietFor(100), "one reply per line, no more");
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("scripted failure")), log.toString());
    }

    @Test
    void aRequestIdStillInFlightIsRefused() throws Exception {
        ControlServer s = server();
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"stop\",\"job\":\"dbus\"}\n{\"id\":1,\"cmd\":\"list\"}\n");
            assertEquals("{\"id\":1,\"ok\":false,\"error\":\"request 1 is still being answered on this connection\"}",
                    w.next());
            held.poll(5, TimeUnit.SECONDS).ok("dbus stop/waiting");
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"dbus stop/waiting\"}", w.next());
        }
    }

    @Test
    void anOversizeLineIsAnsweredThenClosedAndOthersAreStillServed() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withBuffers(1024, 8, 1 << 20));
        try (Wire other = new Wire(s.socket()); Wire w = new Wire(s.socket())) {
            byte[] big = new byte[5000];
            Arrays.fill(big, (byte) 'x');
            w.send("{\"id\":1,\"cmd\":\"list\"}\n");
            assertTrue(w.next().startsWith("{\"id\":1,\"ok\":true"));
            try {
                w.send(big);
            } catch (IOException e) {
                // The server may close before all of it is written; the reply is still there to read.
            }
            assertEquals("{\"id\":null,\"ok\":false,\"error\":\"request is longer than 1024 bytes; closing the connection\"}",
                    w.next());
            assertEquals(Wire.EOF, w.next());
            other.send("{\"id\":2,\"cmd\":\"list\"}\n");
            assertTrue(other.next().startsWith("{\"id\":2,\"ok\":true"));
        }
        // A line of exactly the limit is fine.
        try (Wire w = new Wire(s.socket())) {
            String req = "{\"id\":3,\"cmd\":\"list\"}";
            w.send(req + " ".repeat(1024 - req.length()) + "\n");
            assertTrue(w.next().startsWith("{\"id\":3,\"ok\":true"));
        }
    }

    @Test
    void socketIs0600InA0700Directory() throws Exception {
        Path dir = tmp.resolve("control");
        Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(dir.resolve("leftover"));
        ControlServer s = server();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(s.socket())));
        s.close();
        assertFalse(Files.exists(s.socket()), "close removes the socket");
    }

    @Test
    void aNewDirectoryIsCreated0700AndAStaleSocketIsReplaced() throws Exception {
        ControlServer first = server();
        Path socket = first.socket();
        // A supervisor that died leaves its socket behind: simulate by closing the channel but keeping the file.
        Files.move(socket, tmp.resolve("keep"));
        first.close();
        Files.move(tmp.resolve("keep"), socket);
        ControlServer second = server();
        try (Wire w = new Wire(second.socket())) {
            w.send("{\"id\":1,\"cmd\":\"list\"}\n");
            assertTrue(w.next().startsWith("{\"id\":1,\"ok\":true"));
        }
    }

    @Test
    void somethingElseInThePlaceOfTheSocketIsLeftAlone() throws Exception {
        ControlServer.secureDirectory(tmp.resolve("control"));
        Files.writeString(tmp.resolve("control/socket"), "precious");
        IOException e = assertThrows(IOException.class, this::server);
        assertEquals(tmp.resolve("control/socket") + " is in the way: it is not a socket", e.getMessage());
        assertEquals("precious", Files.readString(tmp.resolve("control/socket")));
    }

    @Test
    void aSocketPathTooLongForUnixIsSaidSo() {
        Path deep = tmp.resolve("d".repeat(120)).resolve("socket");
        IOException e = assertThrows(IOException.class,
                () -> ControlServer.start(deep, this::scripted, ControlServer.Limits.defaults(), log::add));
        assertTrue(e.getMessage().endsWith(" bytes, which Unix sockets cannot have; use a shorter --state-dir"),
                e.getMessage());
    }

    @Test
    void idleConnectionsAreBounded() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withConnections(2, 8, 8));
        try (Wire a = new Wire(s.socket()); Wire b = new Wire(s.socket())) {
            a.send("{\"id\":1,\"cmd\":\"list\"}\n");
            b.send("{\"id\":1,\"cmd\":\"list\"}\n");
            a.next();
            b.next();
            // Both answered and read: idle again, and they hold the two idle places.
            try (Wire c = new Wire(s.socket())) {
                assertEquals("{\"id\":null,\"ok\":false,\"error\":\"too many idle connections (2); try again in 10s\"}",
                        c.next());
                assertEquals(Wire.EOF, c.next());
            }
            a.close();
            for (int i = 0; i < 500 && s.connections() > 1; i++) Thread.sleep(10);
            try (Wire d = new Wire(s.socket())) {
                d.send("{\"id\":1,\"cmd\":\"list\"}\n");
                assertTrue(d.next().startsWith("{\"id\":1,\"ok\":true"));
            }
        }
        assertTrue(log.contains("control: refused a connection of user " + Files.getOwner(s.socket()).getName()
                + ": too many idle connections (2); try again in 10s"), log.toString());
    }

    @Test
    void aPeerTheRuleRefusesIsToldAndClosed() throws Exception {
        ControlServer s = ControlServer.start(tmp.resolve("control/socket"), this::scripted,
                ControlServer.Limits.defaults(), log::add, peer -> false);
        servers.add(s);
        String me = Files.getOwner(s.socket()).getName();
        try (Wire w = new Wire(s.socket())) {
            assertEquals("{\"id\":null,\"ok\":false,\"error\":\"permission denied: user " + me
                    + " is neither root nor the supervisor's user\"}", w.next());
            assertEquals(Wire.EOF, w.next());
        }
        assertTrue(log.contains("control: refused user " + me), log.toString());
    }

    /** With root, a real second user: SO_PEERCRED says who it is, and it is refused. */
    @Test
    void anotherUserIsRefusedByItsCredentials() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to act as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")) && Files.isExecutable(Path.of("/usr/bin/python3")));
        ControlServer s = server();
        // Loosened for this test only, so that the other user can reach the socket and meet the uid check.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(s.socket().getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(s.socket(), PosixFilePermissions.fromString("rw-rw-rw-"));
        String py = "import socket,sys\n"
                + "s=socket.socket(socket.AF_UNIX)\ns.connect(sys.argv[1])\n"
                + "sys.stdout.write(s.makefile().readline())\n";
        Process p = new ProcessBuilder("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                "/usr/bin/python3", "-c", py, s.socket().toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals("{\"id\":null,\"ok\":false,\"error\":\"permission denied: user nobody is neither root nor the"
                + " supervisor's user\"}", out);
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"list\"}\n");
            assertTrue(w.next().startsWith("{\"id\":1,\"ok\":true"), "root is still served");
        }
    }

    @Test
    void logFollowStreamsUntilTheClientGoesAway() throws Exception {
        ControlServer s = server();
        Wire w = new Wire(s.socket());
        w.send("{\"id\":1,\"cmd\":\"log\",\"job\":\"hal\",\"follow\":true}\n");
        assertEquals("{\"id\":1,\"line\":\"first\"}", w.next());
        assertEquals("{\"id\":1,\"line\":\"second\"}", w.next());
        Responder follow = held.poll(5, TimeUnit.SECONDS);
        follow.line("third");
        assertEquals("{\"id\":1,\"line\":\"third\"}", w.next());
        w.close();
        assertTrue(followEnded.await(5, TimeUnit.SECONDS), "the follow is told the client went away");
        follow.line("nobody reads this");
        for (int i = 0; i < 500 && s.connections() > 0; i++) Thread.sleep(10);
        assertEquals(0, s.connections());
    }

    @Test
    void aClientThatClosesItsSendingSideStillGetsItsAnswers() throws Exception {
        ControlServer s = server();
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"stop\",\"job\":\"dbus\"}\n{\"id\":2,\"cmd\":\"log\",\"job\":\"a\",\"follow\":true}");
            w.ch.shutdownOutput();
            assertEquals("{\"id\":2,\"line\":\"first\"}", w.next());
            assertEquals("{\"id\":2,\"line\":\"second\"}", w.next());
            assertEquals("{\"id\":2,\"ok\":true,\"text\":\"\"}", w.next());
            held.poll(5, TimeUnit.SECONDS).ok("dbus stop/waiting");
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"dbus stop/waiting\"}", w.next());
            assertEquals(Wire.EOF, w.next());
        }
    }

    @Test
    void aClientThatDoesNotReadIsCutOffWithoutHoldingTheSupervisor() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withBuffers(1024, 8, 256 * 1024));
        try (SocketChannel ch = Wire.deaf(s.socket(), "{\"id\":1,\"cmd\":\"log\",\"job\":\"hal\",\"follow\":true}")) {
            // This client never reads: the socket buffer fills, then the 256 KiB of queued replies, then it is cut off.
            Responder follow = held.poll(5, TimeUnit.SECONDS);
            String chunk = "y".repeat(60_000);
            int sent = 0;
            while (follow.open() && sent < 10_000) {
                follow.line(chunk);
                sent++;
            }
            assertFalse(follow.open(), "cut off after " + sent + " lines");
            assertTrue(followEnded.await(5, TimeUnit.SECONDS));
            assertTrue(log.contains("control: cut off user " + Files.getOwner(s.socket()).getName()
                    + ": 262144 bytes of replies unread"), log.toString());
        }
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"list\"}\n");
            assertTrue(w.next().startsWith("{\"id\":1,\"ok\":true"), "others are still served");
        }
    }

    @Test
    void closingAnswersWhatIsOpenAndRemovesTheSocket() throws Exception {
        ControlServer s = server();
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"stop\",\"job\":\"dbus\"}\n");
            Responder stop = held.poll(5, TimeUnit.SECONDS);
            s.close();
            assertEquals("{\"id\":1,\"ok\":false,\"error\":\"the supervisor is shutting down\"}", w.next());
            assertEquals(Wire.EOF, w.next());
            assertFalse(stop.open());
        }
        assertFalse(Files.exists(s.socket()));
        assertThrows(IOException.class, () -> new Wire(s.socket()));
    }
}
