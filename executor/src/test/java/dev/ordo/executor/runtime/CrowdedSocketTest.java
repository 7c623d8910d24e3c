package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, the connections: idle, following and stuck clients of a running supervisor's real socket
 * never keep another client from its answer. Before, 32 idle connections (or 32 `log -f`, or 32 clients
 * that stopped reading a long `log`) made every later command fail with "too many connections".
 */
class CrowdedSocketTest extends SupervisorHarness {

    final List<SocketChannel> crowd = new ArrayList<>();

    @AfterEach
    void leave() {
        for (SocketChannel ch : crowd) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing a test's client: nothing to do
            }
        }
    }

    SocketChannel connect() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(supervisor.files().socket()));
        crowd.add(ch);
        return ch;
    }

    static void send(SocketChannel ch, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
    }

    /** Reads until {@code text} has come, within the harness's wait; what came. */
    static String readUntil(SocketChannel ch, String text) throws Exception {
        StringBuilder got = new StringBuilder();
        ByteBuffer b = ByteBuffer.allocate(4096);
        ch.configureBlocking(false);
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!got.toString().contains(text)) {
            int n = ch.read(b.clear());
            if (n < 0) throw new AssertionError("closed before `" + text + "`: " + got);
            if (n == 0) {
                if (System.nanoTime() > deadline) throw new AssertionError("no `" + text + "` within the wait: " + got);
                Thread.sleep(5);
                continue;
            }
            got.append(new String(b.array(), 0, n, StandardCharsets.UTF_8));
        }
        return got.toString();
    }

    void boot(String exec) throws Exception {
        run(List.of(yaml("jobs:\n  db:\n    exec: " + exec + "\n    start_on: startup\n")));
        awaitLine("[  OK  ] Started db");
    }

    void statusIsAnswered() {
        Run status = ordo("status", "db");
        assertEquals(0, status.status(), status.out() + status.err());
        assertTrue(status.out().startsWith("db start/running, process "), status.out());
    }

    @Test
    void fortyIdleConnectionsDoNotKeepAStatusWaiting() throws Exception {
        boot("sleep infinity");
        for (int i = 0; i < 40; i++) connect();
        statusIsAnswered();
        Run list = ordo("list");
        assertEquals(0, list.status(), list.err());
    }

    @Test
    void fortyLogFollowersAndAStatusAreAllServed() throws Exception {
        boot("sh -c 'echo ready; exec sleep infinity'");
        eventually(() -> "db's log has its first line", () -> ordo("log", "db").out().contains("ready"));
        List<SocketChannel> followers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            SocketChannel f = connect();
            send(f, "{\"id\":" + i + ",\"cmd\":\"log\",\"job\":\"db\",\"follow\":true}");
            followers.add(f);
        }
        for (int i = 0; i < followers.size(); i++) {
            assertTrue(readUntil(followers.get(i), "\"line\":\"ready\"").contains("{\"id\":" + i + ","));
        }
        statusIsAnswered();
    }

    @Test
    void clientsThatStopReadingALongLogHoldNobodyUp() throws Exception {
        // 3000 lines of 200 digits: about 700 KB of replies each, more than a socket's buffers hold.
        boot("sh -c 'i=0; while [ $i -lt 3000 ]; do printf \"%0200d\\n\" $i; i=$((i+1)); done; echo done;"
                + " exec sleep infinity'");
        eventually(() -> "db wrote its log", () -> ordo("log", "db", "-n", "1").out().equals("done\n"));
        for (int i = 0; i < 40; i++) send(connect(), "{\"id\":1,\"cmd\":\"log\",\"job\":\"db\"}");
        statusIsAnswered();
        Run last = ordo("log", "db", "-n", "1");
        assertEquals("done\n", last.out(), last.err());
    }

    @Test
    void aLogLongerThanAnyQueueIsReadWhole() throws Exception {
        // 100,000 lines (590 KB): far more than the 4096 replies that were queued, less than a rotation's size.
        boot("sh -c 'seq 1 100000; echo done; exec sleep infinity'");
        eventually(() -> "db wrote its log", () -> ordo("log", "db", "-n", "1").out().equals("done\n"));
        Run all = ordo("log", "db");
        assertEquals(0, all.status(), all.err());
        List<String> kept = LogFiles.tailOfFiles(state().resolve("logs"), "db", "", -1);
        List<String> printed = all.out().lines().toList();
        assertEquals(kept.size(), printed.size());
        assertEquals(kept, printed);
        assertEquals(100_001, printed.size());
        assertEquals("done", printed.get(printed.size() - 1));
    }
}
