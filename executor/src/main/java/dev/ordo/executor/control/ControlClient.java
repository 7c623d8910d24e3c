package dev.ordo.executor.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
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

    /**
     * The request was not taken: the socket may not be used by this user, or the supervisor refused the
     * connection (too many, permission) and said why. The message is that reason, one line.
     */
    public static final class RequestRefused extends IOException {
        public RequestRefused(String message) {
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
     * @throws RequestRefused when this user may not reach the socket (a directory on the way, or the socket
     *     itself, is not open to it)
     * @throws IOException when the socket exists but cannot be used otherwise
     */
    public static ControlClient connect(Path socket) throws IOException {
        try {
            Files.readAttributes(socket, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSupervisor("no socket at " + socket);
        } catch (AccessDeniedException e) {
            // Files.exists says false here too, and a user of another supervisor would be told there is none.
            throw denied(socket);
        }
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (java.net.ConnectException e) {
            ch.close();
            throw new NoSupervisor("nobody listens on " + socket);
        } catch (IOException e) {
            ch.close();
            // The JDK reports connect's EACCES as a BindException; access(2) says what it means.
            if (Files.exists(socket) && !Files.isWritable(socket)) throw denied(socket);
            if (!Files.exists(socket)) throw new NoSupervisor("no socket at " + socket);
            throw e;
        }
        return new ControlClient(ch);
    }

    private static RequestRefused denied(Path socket) {
        return new RequestRefused("permission denied: " + socket + " (run as root or as the supervisor's user)");
    }

    /**
     * Sends {@code request} and reads until its final reply, giving each streamed line to {@code lines}.
     *
     * @throws RequestRefused when the supervisor did not take the request, with its reason (too many
     *     connections, permission)
     * @throws IOException when the connection breaks or the supervisor sends something that is not a
     *     reply to this request
     */
    public ControlReply call(ControlRequest request, Consumer<String> lines) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(Protocol.encode(request));
        try {
            while (b.hasRemaining()) ch.write(b);
        } catch (IOException e) {
            // RequestRefused before the request was read (too many connections, permission): the supervisor said
            // why before it closed, and that reason, not "Broken pipe", is the answer.
            ControlReply refusal = refusal();
            if (refusal != null) throw new RequestRefused(refusal.text());
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
            // A reply with no id answers whatever was sent: the supervisor refused us (or could not read it).
            if (r.id() == null && r.last()) throw new RequestRefused(r.text());
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
