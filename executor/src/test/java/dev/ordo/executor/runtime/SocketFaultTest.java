package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.config.load.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection on the real control socket of a running supervisor: garbage, oversized and
 * half-sent requests from many connections at once must get error replies (or a closed connection)
 * and never disturb the jobs or the socket for the next client.
 */
class SocketFaultTest extends SupervisorHarness {

    /** Sends {@code bytes}, ends the output (unless {@code hold}), and returns everything the server answered until it closed. */
    static String exchange(Path socket, byte[] bytes, boolean hold) throws Exception {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            // A thread of its own: the common pool may have a single thread on a small machine.
            CompletableFuture<String> replies = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                ByteArrayOutputStream got = new ByteArrayOutputStream();
                ByteBuffer b = ByteBuffer.allocate(8192);
                try {
                    while (ch.read(b.clear()) >= 0) got.write(b.array(), 0, b.position());
                } catch (java.io.IOException e) {
                    // reset by the server: what it sent so far is the answer
                }
                replies.complete(got.toString(StandardCharsets.UTF_8));
            });
            reader.setDaemon(true);
            reader.start();
            ByteBuffer w = ByteBuffer.wrap(bytes);
            try {
                while (w.hasRemaining()) ch.write(w);
                if (!hold) ch.shutdownOutput();
            } catch (java.io.IOException e) {
                // The server may close an oversize sender before it has written everything.
            }
            if (hold) return "";
            return replies.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void garbageAndOversizedRequestsNeitherStopTheServerNorDisturbTheJobs() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  db:
                    exec: sleep infinity
                    start_on: startup
                  web:
                    exec: sleep infinity
                    start_on: startup
                    after: [db]
                """);
        supervisor = Supervisor.start(ConfigLoader.load(List.of(yaml), null), new SupervisorSettings(tmp.resolve("state"),
                List.of(yaml), null, new PrintStream(output, true, StandardCharsets.UTF_8), false, e -> {
                    synchronized (effects) {
                        effects.add(e);
                    }
                }));
        awaitLine("[  OK  ] Started db");
        awaitLine("[  OK  ] Started web");
        Run before = ordo("list");
        assertEquals(0, before.status(), before.err());
        Path socket = supervisor.files().socket();

        // A client that sends half a request and never finishes holds a connection, not the server.
        SocketChannel hanging = SocketChannel.open(StandardProtocolFamily.UNIX);
        hanging.connect(UnixDomainSocketAddress.of(socket));
        hanging.write(ByteBuffer.wrap("{\"cmd\":\"sta".getBytes(StandardCharsets.UTF_8)));

        Random random = new Random(5);
        byte[] oversize = new byte[200 * 1024];
        Arrays.fill(oversize, (byte) 'x');
        List<byte[]> garbage = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            byte[] g = new byte[16 + random.nextInt(2000)];
            random.nextBytes(g);
            for (int j = 0; j < g.length; j++) if (g[j] == '\n') g[j] = '?';
            g[0] = '#'; // not a blank line, which gets no answer
            g[g.length - 1] = '\n';
            garbage.add(g);
        }
        String malformed = "{\"cmd\":\"frobnicate\"}\n{\"cmd\":\"start\"}\n{\"cmd\":\n[1,2,3]\n\"just a string\"\n{\"cmd\":\"stop\",\"name\":42}\n";

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> garbageReplies = new ArrayList<>();
            for (byte[] g : garbage) garbageReplies.add(pool.submit(() -> exchange(socket, g, false)));
            List<Future<String>> oversizeReplies = new ArrayList<>();
            for (int i = 0; i < 4; i++) oversizeReplies.add(pool.submit(() -> exchange(socket, oversize, false)));
            Future<String> malformedReply = pool.submit(() -> exchange(socket, malformed.getBytes(StandardCharsets.UTF_8), false));

            for (Future<String> f : garbageReplies) {
                String r = f.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertTrue(r.contains("\"ok\":false"), "an error reply to garbage: [" + r + "]\n" + output());
                assertFalse(r.contains("\"ok\":true"), r);
            }
            for (Future<String> f : oversizeReplies) {
                String r = f.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
                assertTrue(r.contains("request is longer than 65536 bytes; closing the connection"), r);
            }
            String m = malformedReply.get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            assertEquals(6, m.split("\n").length, "one error reply per malformed line: " + m);
            for (String line : m.split("\n")) assertTrue(line.contains("\"ok\":false"), line);
        } finally {
            pool.shutdownNow();
        }

        // Still serving (the half-sent request is still open), the same processes, nothing restarted.
        assertEquals(before, ordo("list"));
        assertEquals(new Run(0, "web start/running, process " + pid(before.out(), "web") + "\n", ""), ordo("status", "web"));
        for (String job : List.of("db", "web")) {
            assertTrue(ProcessHandle.of(pid(before.out(), job)).map(ProcessHandle::isAlive).orElse(false), job);
        }
        synchronized (effects) {
            assertEquals(2, effects.stream().filter(e -> e instanceof Effect.Spawn).count(), effects.toString());
            assertTrue(effects.stream().noneMatch(e -> e instanceof Effect.SendSignal), effects.toString());
        }
        assertFalse(output().contains("internal error"), output());
        hanging.close();

        // And it still shuts down in order when asked.
        assertEquals(new Run(0, "", ""), ordo("shutdown"));
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }

    static long pid(String list, String job) {
        for (String l : list.split("\n")) {
            if (l.startsWith(job + " ")) return Long.parseLong(l.substring(l.lastIndexOf(' ') + 1));
        }
        throw new AssertionError("no " + job + " in " + list);
    }
}
