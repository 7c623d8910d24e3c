package dev.ordo.executor.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 on a real socket: what a client holds is bounded by kind, a client that sends no request or
 * reads none of its replies is closed when its time runs out (said once in the log), and a long reply
 * reaches a client that reads it. Each test has another client answered meanwhile.
 */
class ConnectionBoundsTest {

    static final int BIG_LINES = 20_000;
    static final String BIG_LINE = "z".repeat(100);

    @TempDir
    Path tmp;

    final List<ControlServer> servers = new ArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();
    final BlockingQueue<Responder> held = new LinkedBlockingQueue<>();
    final BlockingQueue<Responder> statuses = new LinkedBlockingQueue<>();
    final BlockingQueue<Responder> served = new LinkedBlockingQueue<>();

    @AfterEach
    void close() {
        servers.forEach(ControlServer::close);
    }

    /** STOP, STATUS and follows are held for the test to answer; `log big` is a long tail. */
    void scripted(ControlRequest r, Responder a) {
        switch (r.cmd()) {
            case STOP -> held.add(a);
            case STATUS -> statuses.add(a);
            case LOG -> {
                if (r.follow()) {
                    held.add(a);
                } else if (r.name().equals("big")) {
                    List<String> lines = new ArrayList<>();
                    for (int i = 0; i < BIG_LINES; i++) lines.add(BIG_LINE);
                    a.lines(lines);
                    a.ok("");
                    served.add(a);
                } else {
                    a.ok("");
                }
            }
            default -> a.ok("fine");
        }
    }

    ControlServer server(ControlServer.Limits limits) throws IOException {
        ControlServer s = ControlServer.start(tmp.resolve("control/socket"), this::scripted, limits, log::add);
        servers.add(s);
        return s;
    }

    String me(ControlServer s) throws IOException {
        return Files.getOwner(s.socket()).getName();
    }

    @Test
    void aFollowerThatDoesNotReadIsCutOffAtItsBufferAndOthersAreStillAnswered() throws Exception {
        // log -f pushes each line as the job writes it: a follower that reads none of them is cut off once what waits
        // for it passes its buffer, rather than hold the supervisor's memory or anyone else up (docs/control.md).
        ControlServer s = server(ControlServer.Limits.defaults().withBuffers(1024, 8, 64 * 1024));
        try (SocketChannel slow = Wire.deaf(s.socket(), "{\"id\":1,\"cmd\":\"log\",\"job\":\"a\",\"follow\":true}")) {
            Responder follow = held.poll(5, TimeUnit.SECONDS);
            int sent = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (follow.open() && sent < 100_000 && System.nanoTime() < deadline) {
                follow.line("w".repeat(1000));
                sent++;
            }
            assertFalse(follow.open(), "still open after " + sent + " lines of 1000 bytes unread");
            assertTrue(sent > 64, "not before its buffer was full: " + sent + " lines");
            listIsAnswered(s);
        }
    }

    static void listIsAnswered(ControlServer s) throws Exception {
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":9,\"cmd\":\"list\"}\n");
            assertEquals("{\"id\":9,\"ok\":true,\"text\":\"fine\"}", w.next());
        }
    }

    /** A server whose connections are idle after {@code millis} (and stall after 30 s). */
    ControlServer idleAfter(long millis) throws IOException {
        return server(ControlServer.Limits.defaults().withTimeouts(Duration.ofMillis(millis), Duration.ofSeconds(30)));
    }

    static String idleClosed(long millis) {
        return "{\"id\":null,\"ok\":false,\"error\":\"no request within " + millis + "ms; closing the connection\"}";
    }

    long count(String line) {
        return log.stream().filter(line::equals).count();
    }

    /**
     * A client that sends nothing, and one that sends half a request and then trickles bytes without a
     * newline (which are no request), are both told and closed; each is said once in the log.
     */
    @Test
    void clientsThatSendNoWholeRequestAreClosedAfterTheIdleTimeout() throws Exception {
        ControlServer s = idleAfter(300);
        try (Wire silent = new Wire(s.socket()); Wire trickle = new Wire(s.socket())) {
            trickle.send("{\"id\":1,\"cmd\":\"li");
            String reply = null;
            for (int i = 0; i < 400 && reply == null; i++) {
                try {
                    trickle.send(" ");
                } catch (IOException e) {
                    reply = trickle.next(); // closed while sending: the reply is there to read
                    break;
                }
                reply = trickle.poll(25);
            }
            assertEquals(idleClosed(300), reply);
            assertEquals(idleClosed(300), silent.next());
            assertEquals(Wire.EOF, silent.next());
        }
        assertEquals(2, count("control: closed a connection of user " + me(s) + ": no request within 300ms"), log.toString());
        listIsAnswered(s);
    }

    @Test
    void aRequestInFlightKeepsTheConnectionAndItsAnswerStartsTheIdleClockAgain() throws Exception {
        ControlServer s = idleAfter(200);
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"stop\",\"job\":\"db\"}\n");
            Responder stop = held.poll(5, TimeUnit.SECONDS);
            assertTrue(w.quietFor(1000), "a connection waiting for its answer is not idle");
            assertTrue(stop.open());
            stop.ok("db stop/waiting");
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"db stop/waiting\"}", w.next());
            assertEquals(idleClosed(200), w.next());
            assertEquals(Wire.EOF, w.next());
        }
    }

    @Test
    void aClientThatReadsNoneOfALongReplyIsClosedAfterTheStallTimeout() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofMillis(300)));
        try (SocketChannel stuck = Wire.deaf(s.socket(), "{\"id\":1,\"cmd\":\"log\",\"job\":\"big\"}")) {
            listIsAnswered(s); // while it does not read
            for (int i = 0; i < 1000 && s.connections() > 0; i++) Thread.sleep(10);
            assertEquals(0, s.connections(), "closed: " + log);
        }
        String prefix = "control: closed a connection of user " + me(s) + ": it read none of its replies for 300ms (";
        List<String> closed = log.stream().filter(l -> l.startsWith(prefix)).toList();
        assertEquals(1, closed.size(), log.toString());
        listIsAnswered(s);
    }

    @Test
    void aLongReplyReachesAClientThatReadsIt() throws Exception {
        // A queue far smaller than the reply: the tail is held as lines, not as queued bytes.
        ControlServer s = server(ControlServer.Limits.defaults().withBuffers(1024, 8, 4096));
        try (Wire w = new Wire(s.socket())) {
            w.send("{\"id\":1,\"cmd\":\"log\",\"job\":\"big\"}\n");
            String line = "{\"id\":1,\"line\":\"" + BIG_LINE + "\"}";
            for (int i = 0; i < BIG_LINES; i++) assertEquals(line, w.next(), "line " + i);
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"\"}", w.next());
        }
        assertEquals(List.of(), log);
    }

    @Test
    void commandPlacesAreTheirOwnAndIdleOrWaitingClientsDoNotTakeThem() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withConnections(8, 1, 2));
        List<Wire> crowd = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) crowd.add(new Wire(s.socket())); // idle
            for (int i = 0; i < 2; i++) {
                Wire f = new Wire(s.socket());
                f.send("{\"id\":1,\"cmd\":\"log\",\"job\":\"a\",\"follow\":true}\n");
                held.poll(5, TimeUnit.SECONDS);
                crowd.add(f);
            }
            listIsAnswered(s);
            // The waiting places are full: a third follower is told, on a connection that had nothing in flight.
            try (Wire third = new Wire(s.socket())) {
                third.send("{\"id\":1,\"cmd\":\"log\",\"job\":\"a\",\"follow\":true}\n");
                assertEquals("{\"id\":null,\"ok\":false,\"error\":\"too many clients waiting on jobs or logs (2); try again\"}",
                        third.next());
                assertEquals(Wire.EOF, third.next());
            }
            // A connection with a quick request in flight asking to wait too: that request is refused, by its id.
            Wire busy = new Wire(s.socket());
            crowd.add(busy);
            busy.send("{\"id\":1,\"cmd\":\"stop\",\"job\":\"db\",\"wait\":false}\n");
            Responder stop = held.poll(5, TimeUnit.SECONDS);
            busy.send("{\"id\":2,\"cmd\":\"stop\",\"job\":\"db\"}\n");
            assertEquals("{\"id\":2,\"ok\":false,\"error\":\"too many clients waiting on jobs or logs (2); try again\"}",
                    busy.next());
            // And the one command place is now taken: a quick command waits for it, and is not refused.
            try (Wire late = new Wire(s.socket())) {
                late.send("{\"id\":1,\"cmd\":\"list\"}\n");
                assertTrue(late.quietFor(300), "it waits while the place is taken");
                stop.ok("db stop/waiting");
                assertEquals("{\"id\":1,\"ok\":true,\"text\":\"db stop/waiting\"}", busy.next());
                assertEquals("{\"id\":1,\"ok\":true,\"text\":\"fine\"}", late.next());
            }
            listIsAnswered(s);
        } finally {
            for (Wire w : crowd) w.close();
        }
        assertTrue(log.contains("control: refused a `log` of user " + me(s)
                + ": too many clients waiting on jobs or logs (2); try again"), log.toString());
    }

    /** Clients that read none of their long replies hold no kind's place, but count against the total. */
    @Test
    void withTheTotalTakenTheNewestIsToldSo() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withConnections(1, 1, 1));
        List<SocketChannel> deaf = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                deaf.add(Wire.deaf(s.socket(), "{\"id\":1,\"cmd\":\"log\",\"job\":\"big\"}"));
                served.poll(5, TimeUnit.SECONDS); // answered: it no longer holds the idle or the command place
            }
            try (Wire late = new Wire(s.socket())) {
                assertEquals("{\"id\":null,\"ok\":false,\"error\":\"too many connections (3); try again\"}", late.next());
                assertEquals(Wire.EOF, late.next());
            }
        } finally {
            for (SocketChannel ch : deaf) ch.close();
        }
        for (int i = 0; i < 500 && s.connections() > 0; i++) Thread.sleep(10);
        listIsAnswered(s);
    }

    /** Quick commands beyond the command places wait their turn, and none is refused. */
    @Test
    void quickCommandsOverTheBoundWaitTheirTurn() throws Exception {
        ControlServer s = server(ControlServer.Limits.defaults().withConnections(64, 2, 8));
        List<Wire> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 10; i++) {
                Wire w = new Wire(s.socket());
                clients.add(w);
                w.send("{\"id\":" + i + ",\"cmd\":\"status\",\"job\":\"db\"}\n");
            }
            List<Responder> open = new ArrayList<>();
            List<Long> answered = new ArrayList<>();
            while (answered.size() < 10) {
                while (open.size() < 2 && answered.size() + open.size() < 10) {
                    Responder r = statuses.poll(5, TimeUnit.SECONDS);
                    assertTrue(r != null, "taken once a place is free; answered so far: " + answered);
                    open.add(r);
                }
                assertEquals(null, statuses.poll(200, TimeUnit.MILLISECONDS), "no third while both places are taken");
                Responder r = open.remove(0);
                r.ok("db " + r.id());
                assertEquals("{\"id\":" + r.id() + ",\"ok\":true,\"text\":\"db " + r.id() + "\"}",
                        clients.get((int) r.id()).next());
                answered.add(r.id());
            }
            answered.sort(null);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), answered);
            assertEquals(List.of(), log);
        } finally {
            for (Wire w : clients) w.close();
        }
    }
}
