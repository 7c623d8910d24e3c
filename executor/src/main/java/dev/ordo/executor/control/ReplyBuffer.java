package dev.ordo.executor.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * What one connection has yet to write, in order, written without ever blocking: as much as the socket
 * takes now, the rest when it is writable again. Not thread-safe: its connection guards it.
 *
 * <p>Replies are held as their bytes and counted, so that the connection can refuse to hold more for a
 * client that does not read. A long run of lines (a log's tail) is held as the list the supervisor
 * already has and encoded a piece at a time as the client reads: a log of any length reaches a client
 * that reads it, and costs no more than the list while it waits.
 */
final class ReplyBuffer {

    /** How much of a run of lines is encoded ahead of the socket. */
    static final int PIECE_BYTES = 64 * 1024;

    private sealed interface Queued permits Bytes, Lines {
    }

    private record Bytes(ByteBuffer buf) implements Queued {
    }

    private record Lines(long id, Iterator<String> rest) implements Queued {
    }

    private final ArrayDeque<Queued> items = new ArrayDeque<>();
    private long bytes;
    private int runs;

    /** One encoded reply. */
    void add(byte[] reply) {
        items.addLast(new Bytes(ByteBuffer.wrap(reply)));
        bytes += reply.length;
    }

    /** Lines of request {@code id}, encoded when the socket is ready for them. */
    void addLines(long id, List<String> lines) {
        if (lines.isEmpty()) return;
        items.addLast(new Lines(id, List.copyOf(lines).iterator()));
        runs++;
    }

    /** Encoded bytes waiting, runs of lines not counted. */
    long bytes() {
        return bytes;
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    void clear() {
        items.clear();
        bytes = 0;
        runs = 0;
    }

    /**
     * Writes what {@code ch} (non-blocking) takes now.
     *
     * @return the bytes written
     */
    long writeTo(WritableByteChannel ch) throws IOException {
        long written = 0;
        while (!items.isEmpty()) {
            Queued head = items.peekFirst();
            if (head instanceof Lines l) {
                if (!l.rest().hasNext()) {
                    items.removeFirst();
                    runs--;
                    continue;
                }
                ByteBuffer piece = piece(l);
                items.addFirst(new Bytes(piece));
                bytes += piece.remaining();
                continue;
            }
            ByteBuffer buf = ((Bytes) head).buf();
            int n = ch.write(buf);
            written += n;
            bytes -= n;
            if (buf.hasRemaining()) break;
            items.removeFirst();
        }
        return written;
    }

    private static ByteBuffer piece(Lines l) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(PIECE_BYTES + 1024);
        while (l.rest().hasNext() && out.size() < PIECE_BYTES) {
            out.writeBytes(Protocol.encode(ControlReply.line(l.id(), l.rest().next())));
        }
        return ByteBuffer.wrap(out.toByteArray());
    }
}
