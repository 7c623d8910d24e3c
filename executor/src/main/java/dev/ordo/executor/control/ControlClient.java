package dev.ordo.executor.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The client's end of the control socket: one connection, one request at a time. Loads nothing but the
 * JDK and jackson-core, so that {@code ordo start} and friends start fast.
 */
public final class ControlClient implements AutoCloseable {

    /** The longest reply line the client reads; a longer one is a broken supervisor. */
    static final int MAX_REPLY_BYTES = 1 << 20;

    /** No supervisor listens at the socket. */
    public static final class NoSupervisor extends IOException {
        public NoSupervisor(String message) {
            super(message);
        }
    }

    /** Where the supervisor of state directory {@code stateDir} listens: {@code STATE/control/socket}. */
    public static Path socketIn(Path stateDir) {
        return stateDir.resolve("control").resolve("socket");
    }

    private final SocketChannel ch;
    private final ByteBuffer in = ByteBuffer.allocate(8192);
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private ControlClient(SocketChannel ch) {
        this.ch = ch;
        in.flip();
    }

    /**
     * Connects to the supervisor's socket.
     *
     * @throws NoSupervisor when there is no socket there or nobody listens on it
     * @throws IOException when the socket exists but cannot be used (e.g. permission denied)
     */
    public static ControlClient connect(Path socket) throws IOException {
        if (!Files.exists(socket)) throw new NoSupervisor("no socket at " + socket);
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (java.net.ConnectException e) {
            ch.close();
            throw new NoSupervisor("nobody listens on " + socket);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new ControlClient(ch);
    }

    /**
     * Sends {@code request} and reads until its final reply, giving each streamed line to {@code lines}.
     *
     * @throws IOException when the connection breaks or the supervisor sends something that is not a
     *     reply to this request
     */
    public ControlReply call(ControlRequest request, Consumer<String> lines) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Protocol.encode(request));
        try {
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            // Refused before the request was read (too many connections, permission): the supervisor said
            // why before it closed, and that reason, not "Broken pipe", is the answer.
            ControlReply refusal = refusal();
            if (refusal != null) return refusal;
            throw e;
        }
        while (true) {
            String text = readLine();
            if (text == null) throw new IOException("the supervisor closed the connection before answering");
            ControlReply r;
            try {
                r = Protocol.parseReply(text);
            } catch (IllegalArgumentException e) {
                throw new IOException(e.getMessage());
            }
            // A reply with no id answers whatever was sent: the supervisor could not read it, or refused us.
            if (r.id() != null && r.id() != request.id()) {
                throw new IOException("the supervisor answered request " + r.id() + ", not " + request.id());
            }
            if (!r.last()) {
                lines.accept(r.text());
                continue;
            }
            return r;
        }
    }

    /** The line the supervisor sent before closing on us, as a reply, or null. */
    private ControlReply refusal() {
        try {
            String text = readLine();
            return text == null ? null : Protocol.parseReply(text);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private String readLine() throws IOException {
        line.reset();
        while (true) {
            while (in.hasRemaining()) {
                byte c = in.get();
                if (c == '\n') return line.toString(StandardCharsets.UTF_8);
                if (line.size() >= MAX_REPLY_BYTES) throw new IOException("the supervisor sent a line over 1 MiB");
                line.write(c);
            }
            in.clear();
            int n = ch.read(in);
            in.flip();
            if (n < 0) return null;
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }
}
