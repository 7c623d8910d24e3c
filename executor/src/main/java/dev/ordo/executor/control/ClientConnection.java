package dev.ordo.executor.control;

import dev.ordo.planner.model.Timespan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client of the {@link ControlServer}, served by the server's single I/O thread: its requests are
 * read and handed to the {@link RequestHandler} there, and its replies, queued from any thread, are
 * written there as fast as the socket takes them. Nothing a client does can block that thread, the
 * supervisor's loop, or another client: reads and writes never block, what a client may send and what
 * may wait for it are bounded, and it is closed when it sends no request within the idle timeout or
 * reads nothing of its replies within the stall timeout (docs/control.md). A quick request that finds
 * every command place taken is parked, and nothing more is read from the client until it is taken.
 *
 * <p>The line being read belongs to the I/O thread. The replies waiting, the requests in flight, the
 * clocks and the flags are guarded by the connection itself ({@code synchronized (this)}), since replies
 * come from the supervisor's threads.
 */
final class ClientConnection {

    /** Reads per wakeup before the other clients get their turn. */
    private static final int READS_PER_TURN = 8;

    final long id;
    final SocketChannel ch;
    final UserPrincipal peer;
    /** Set while the connection waits in the server's queue of connections to look at. */
    final AtomicBoolean flagged = new AtomicBoolean();
    SelectionKey key;

    private final ControlServer server;
    private final ControlServer.Limits limits;

    private byte[] line = new byte[1024];
    private int len;
    private boolean overlong;
    private boolean reading = true;
    /**
     * A whole request that waits for a command place (they are all taken), and what the client sent
     * after it: nothing more is read until it is taken. Set on the I/O thread under the lock.
     */
    private ControlRequest parked;
    private byte[] after;

    private final ReplyBuffer out = new ReplyBuffer();
    private final Map<Long, Answer> pending = new HashMap<>();
    private boolean inputDone;
    private boolean ending;
    private boolean gone;
    /** Since when nothing was in flight and nothing left to write, or -1. */
    private long idleSince;
    /** When the replies waiting last moved, or began to wait. */
    private long stalledSince;

    ClientConnection(long id, SocketChannel ch, UserPrincipal peer, ControlServer server, long now) {
        this.id = id;
        this.ch = ch;
        this.peer = peer;
        this.server = server;
        this.limits = server.limits();
        this.idleSince = now;
    }

    // ---- the I/O thread ----

    /** Reads what the client sent, a few buffers at most, and hands on each whole request. */
    void readable(ByteBuffer scratch) {
        try {
            for (int i = 0; i < READS_PER_TURN && reading && parked == null; i++) {
                int n = ch.read(scratch.clear());
                if (n == 0) return;
                if (n < 0) {
                    reading = false;
                    inputEnded();
                    return;
                }
                scratch.flip();
                consume(scratch);
            }
        } catch (IOException e) {
            abort();
        }
    }

    private void consume(ByteBuffer bytes) {
        while (bytes.hasRemaining() && reading && parked == null) take(bytes.get());
        if (parked != null && bytes.hasRemaining()) {
            after = new byte[bytes.remaining()];
            bytes.get(after);
        }
    }

    /** Whether nothing more is read until a command place is free. */
    boolean parked() {
        return parked != null;
    }

    /** Takes the parked request (a command place is free now), then goes on with what the client sent after it. */
    void unpark() {
        ControlRequest r = parked;
        synchronized (this) {
            parked = null;
        }
        admit(r);
        if (after != null) {
            ByteBuffer rest = ByteBuffer.wrap(after);
            after = null;
            consume(rest);
        }
    }

    private void take(byte b) {
        if (b == '\n') {
            if (!overlong) request(line, len);
            overlong = false;
            len = 0;
            return;
        }
        if (overlong) return;
        if (len == limits.maxRequestBytes()) {
            send(ControlReply.error(null, "request is longer than " + limits.maxRequestBytes()
                    + " bytes; closing the connection"));
            server.log("control: closed a connection that sent an oversize request");
            reading = false;
            end();
            return;
        }
        if (len == line.length) line = Arrays.copyOf(line, Math.min(line.length * 2, limits.maxRequestBytes()));
        line[len++] = b;
    }

    private void request(byte[] bytes, int length) {
        if (length > 0 && bytes[length - 1] == '\r') length--;
        if (isBlank(bytes, length)) return;
        Protocol.Parsed p = Protocol.parseRequest(bytes, length);
        if (p.request() == null) {
            send(ControlReply.error(p.id(), p.error()));
            return;
        }
        ControlRequest r = p.request();
        Slot before;
        synchronized (this) {
            if (pending.containsKey(r.id())) {
                send(ControlReply.error(r.id(), "request " + r.id() + " is still being answered on this connection"));
                return;
            }
            if (pending.size() >= limits.maxPending()) {
                send(ControlReply.error(r.id(), "too many requests in flight (" + limits.maxPending() + ")"));
                return;
            }
            before = slot();
        }
        Slot wanted = before.with(Slot.of(r));
        String refusal = wanted == before ? null : server.refusal(wanted, this);
        if (refusal != null && wanted == Slot.COMMAND) {
            // A quick command waits its turn rather than be refused: a place frees as soon as the
            // supervisor has answered one of the others.
            synchronized (this) {
                parked = r;
                idleSince = -1;
            }
            server.park(this);
            return;
        }
        if (refusal != null) {
            server.log("control: refused a `" + r.cmd().word() + "` of user " + peer.getName() + ": " + refusal);
            if (before.busy()) {
                send(ControlReply.error(r.id(), refusal));
            } else {
                // Like a refusal at the door: no id, so that the client knows its request was not taken.
                send(ControlReply.error(null, refusal));
                reading = false;
                end();
            }
            return;
        }
        admit(r);
    }

    private void admit(ControlRequest r) {
        Answer a = new Answer(r, this);
        synchronized (this) {
            pending.put(r.id(), a);
            idleSince = -1;
        }
        try {
            server.handler().handle(r, a);
        } catch (RuntimeException e) {
            server.log("control: the handler failed on `" + r.cmd().word() + "`: " + e);
            a.error("internal error in ordo: " + e.getClass().getSimpleName());
        }
    }

    private static boolean isBlank(byte[] b, int length) {
        for (int i = 0; i < length; i++) if (b[i] != ' ' && b[i] != '\t') return false;
        return true;
    }

    /** The client will send no more: streams end; the rest are still answered, then it is closed. */
    private void inputEnded() {
        if (len > 0 && !overlong) request(line, len);
        len = 0;
        List<Answer> streams = new ArrayList<>();
        synchronized (this) {
            inputDone = true;
            for (Answer a : pending.values()) if (a.request.follow()) streams.add(a);
        }
        for (Answer a : streams) a.ok("");
        synchronized (this) {
            if (pending.isEmpty() && parked == null) end();
        }
    }

    /**
     * Writes what the socket takes, then sets what to wait for, or closes the connection when it is done
     * or gone.
     */
    void service(long now) {
        boolean failed = false;
        synchronized (this) {
            if (!gone) {
                try {
                    if (out.writeTo(ch) > 0) stalledSince = now;
                } catch (IOException e) {
                    failed = true; // the client went away: nothing more to send
                }
            }
        }
        boolean written;
        synchronized (this) {
            written = ending && out.isEmpty();
        }
        // Done, or gone: what is still in flight is told it can no longer be answered (a follow stops).
        if (failed || written) abort();
        int ops;
        synchronized (this) {
            if (gone) {
                ops = -1;
            } else {
                ops = (reading && parked == null ? SelectionKey.OP_READ : 0) | (out.isEmpty() ? 0 : SelectionKey.OP_WRITE);
                boolean idle = pending.isEmpty() && out.isEmpty() && parked == null;
                if (!idle) idleSince = -1;
                else if (idleSince < 0) idleSince = now;
            }
        }
        if (ops < 0) {
            server.forget(this);
        } else if (key.isValid()) {
            key.interestOps(ops);
        }
    }

    /**
     * Closes the connection when one of its clocks has run out (said once in the supervisor's log).
     *
     * @return when to look again, or {@link Long#MAX_VALUE}
     */
    long expire(long now) {
        String stalled = null;
        boolean idle = false;
        long next = Long.MAX_VALUE;
        synchronized (this) {
            if (gone) return next;
            if (!out.isEmpty()) {
                long at = stalledSince + limits.stallTimeout().toNanos();
                if (now - at >= 0) stalled = out.bytes() + " bytes";
                else next = at;
            } else if (idleSince >= 0 && !ending) {
                long at = idleSince + limits.idleTimeout().toNanos();
                if (now - at >= 0) idle = true;
                else next = at;
            }
        }
        if (stalled != null) {
            server.log("control: closed a connection of user " + peer.getName() + ": it read none of its replies for "
                    + Timespan.format(limits.stallTimeout()) + " (" + stalled + " left)");
            abort();
        } else if (idle) {
            String why = "no request within " + Timespan.format(limits.idleTimeout());
            server.log("control: closed a connection of user " + peer.getName() + ": " + why);
            send(ControlReply.error(null, why + "; closing the connection"));
            reading = false;
            end();
        }
        return next;
    }

    // ---- any thread ----

    /** The place the connection holds now. */
    synchronized Slot slot() {
        if (parked != null) return Slot.QUEUED;
        Slot s = out.isEmpty() && !ending ? Slot.IDLE : Slot.DRAINING;
        for (Answer a : pending.values()) s = s.with(Slot.of(a.request));
        return s;
    }

    synchronized boolean gone() {
        return gone;
    }

    /** A line of the supervisor's log. */
    void log(String line) {
        server.log(line);
    }

    void send(ControlReply r) {
        queue(Protocol.encode(r), null, null);
    }

    void queue(byte[] reply, Long linesOf, List<String> lines) {
        boolean cut = false;
        synchronized (this) {
            if (gone || ending) return;
            if (out.bytes() > limits.maxQueuedBytes()) {
                cut = true;
            } else {
                if (out.isEmpty()) stalledSince = System.nanoTime();
                if (reply != null) out.add(reply);
                else out.addLines(linesOf, lines);
            }
        }
        if (cut) {
            server.log("control: cut off user " + peer.getName() + ": " + limits.maxQueuedBytes() + " bytes of replies unread");
            abort();
            return;
        }
        server.wake(this);
    }

    /** Closes after what is queued has been written. */
    void end() {
        synchronized (this) {
            if (gone || ending) return;
            ending = true;
        }
        server.wake(this);
    }

    /** Answers what is in flight with {@code why}, then closes after what is queued has been written. */
    void shutdown(String why) {
        List<Answer> open;
        ControlRequest waiting;
        synchronized (this) {
            open = new ArrayList<>(pending.values());
            waiting = parked;
            parked = null;
        }
        for (Answer a : open) a.error(why);
        if (waiting != null) send(ControlReply.error(waiting.id(), why));
        end();
    }

    /** Closes at once: what is queued is dropped, what is in flight can no longer be answered. */
    void abort() {
        List<Answer> open;
        synchronized (this) {
            if (gone) return;
            gone = true;
            out.clear();
            open = new ArrayList<>(pending.values());
            pending.clear();
        }
        for (Answer a : open) a.closed();
        server.wake(this);
    }

    void done(Answer a) {
        boolean last;
        synchronized (this) {
            pending.remove(a.request.id());
            last = pending.isEmpty();
            if (inputDone && last) end();
        }
        // The I/O thread may have written the reply before it was taken out of flight: it looks again, and
        // starts the idle clock.
        if (last) server.wake(this);
    }
}
