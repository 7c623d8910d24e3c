package dev.ordo.executor.control;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The supervisor's end of the control socket (docs/control.md): a Unix domain stream socket, mode 0600,
 * in a directory of mode 0700; JSON lines both ways. Each admitted connection has a reader thread (which
 * parses requests and calls the {@link RequestHandler}) and a writer thread (which drains a bounded queue
 * of replies), so that neither a slow nor a hostile client can hold up the supervisor's loop.
 *
 * <p>The caller must hold the state directory's lock: a socket file left behind by a supervisor that
 * died is removed.
 */
public final class ControlServer implements AutoCloseable {

    /**
     * @param maxRequestBytes the longest request line; a longer one is answered with an error and the
     *     connection closed
     * @param maxConnections clients served at once; one more is told so and closed
     * @param maxQueuedReplies replies waiting for a client that does not read; one more cuts it off
     * @param maxPending requests of one connection not yet answered
     */
    public record Limits(int maxRequestBytes, int maxConnections, int maxQueuedReplies, int maxPending) {

        public static Limits defaults() {
            return new Limits(Protocol.MAX_REQUEST_BYTES, 32, 4096, 64);
        }
    }

    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> SOCKET_MODE = PosixFilePermissions.fromString("rw-------");
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    // sun_path holds 108 bytes with its terminating NUL.
    private static final int MAX_PATH_BYTES = 107;

    private final Path socket;
    private final ServerSocketChannel server;
    private final RequestHandler handler;
    private final Limits options;
    private final Predicate<UserPrincipal> admit;
    private final Consumer<String> log;
    private final Map<Long, ClientConnection> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private ControlServer(Path socket, ServerSocketChannel server, RequestHandler handler, Limits options,
                          Predicate<UserPrincipal> admit, Consumer<String> log) {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.options = options;
        this.admit = admit;
        this.log = log;
        this.acceptor = new Thread(this::accept, "ordo-control-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Listens on {@code socket}, admitting root and the supervisor's own user.
     *
     * @param log where the server says what it refused or cut off (the supervisor's log)
     * @throws IOException when the socket cannot be made; the message says why and where
     */
    public static ControlServer start(Path socket, RequestHandler handler, Limits options, Consumer<String> log)
            throws IOException {
        return start(socket, handler, options, log, null);
    }

    /** {@link #start(Path, RequestHandler, Limits, Consumer)} with another rule for who may connect. */
    public static ControlServer start(Path socket, RequestHandler handler, Limits options, Consumer<String> log,
                                      Predicate<UserPrincipal> admit) throws IOException {
        socket = socket.toAbsolutePath();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("the socket path " + socket + " is longer than " + MAX_PATH_BYTES
                    + " bytes, which Unix sockets cannot have; use a shorter --state-dir");
        }
        secureDirectory(socket.getParent());
        removeStale(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(socket), options.maxConnections());
            // The directory is 0700, so nobody else could reach the socket in the moment before this.
            Files.setPosixFilePermissions(socket, SOCKET_MODE);
            UserPrincipal self = Files.getOwner(socket);
            Predicate<UserPrincipal> rule = admit != null ? admit : p -> p.equals(self) || isRoot(p);
            ControlServer s = new ControlServer(socket, ch, handler, options, rule, log == null ? m -> { } : log);
            s.acceptor.start();
            return s;
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(socket);
            throw e;
        }
    }

    /**
     * Makes {@code dir} a directory only its owner can enter: created with mode 0700 (never wider, not
     * even for a moment), or, if it exists and is ours, set to 0700.
     */
    public static void secureDirectory(Path dir) throws IOException {
        if (dir.getParent() != null) Files.createDirectories(dir.getParent());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is in the way: it is not a directory");
            }
        }
        UserPrincipal owner = Files.getOwner(dir, LinkOption.NOFOLLOW_LINKS);
        UserPrincipal self = Files.getOwner(Path.of("/proc/self"));
        if (!owner.equals(self)) {
            throw new IOException(dir + " belongs to " + owner.getName() + ", not to " + self.getName()
                    + "; the control socket needs a directory of its own");
        }
        // The umask can only take bits away, so a new directory may be narrower than 0700 too.
        if (!Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS).equals(DIR_MODE)) {
            Files.setPosixFilePermissions(dir, DIR_MODE);
        }
    }

    private static void removeStale(Path socket) throws IOException {
        if (!Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) return;
        int mode = (Integer) Files.getAttribute(socket, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) throw new IOException(socket + " is in the way: it is not a socket");
        Files.delete(socket);
    }

    private static boolean isRoot(UserPrincipal p) {
        try {
            return p.equals(socketsLookup().lookupPrincipalByName("root"));
        } catch (IOException e) {
            return false;
        }
    }

    private static java.nio.file.attribute.UserPrincipalLookupService socketsLookup() {
        return java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService();
    }

    /** The socket's path. */
    public Path socket() {
        return socket;
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    private void accept() {
        while (!closed.get()) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (closed.get() || !server.isOpen()) return;
                // E.g. out of file descriptors: a passing shortage must not end the control socket for good.
                log.accept("control: accept failed: " + e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            try {
                admitOrRefuse(ch);
            } catch (IOException | RuntimeException e) {
                log.accept("control: dropped a connection: " + e);
                quietly(ch);
            }
        }
    }

    private void admitOrRefuse(SocketChannel ch) throws IOException {
        UnixDomainPrincipal who = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        UserPrincipal peer = who.user();
        String refusal = null;
        if (!admit.test(peer)) {
            refusal = "permission denied: user " + peer.getName() + " is neither root nor the supervisor's user";
            log.accept("control: refused user " + peer.getName());
        } else if (connections.size() >= options.maxConnections()) {
            refusal = "too many connections (" + options.maxConnections() + "); try again";
            log.accept("control: refused a connection: " + options.maxConnections() + " are open");
        }
        if (refusal != null) {
            // A fresh socket's send buffer takes one short line without blocking.
            ch.write(ByteBuffer.wrap(Protocol.encode(ControlReply.error(null, refusal))));
            ch.close();
            return;
        }
        long id = connectionIds.incrementAndGet();
        ClientConnection c = new ClientConnection(id, ch, peer, options, handler, log, () -> connections.remove(id));
        connections.put(id, c);
        if (closed.get()) {
            c.abort();
            return;
        }
        c.start();
    }

    /**
     * Stops listening, answers every request still open with an error, lets each client read what was
     * queued for it (up to a second), closes every connection and removes the socket file.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        quietly(server);
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ClientConnection> open = new ArrayList<>(connections.values());
        for (ClientConnection c : open) c.shutdown("the supervisor is shutting down");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (ClientConnection c : open) {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            try {
                c.writer.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            c.abort();
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            log.accept("control: cannot remove " + socket + ": " + e.getMessage());
        }
    }

    static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing is the end of the road; there is nobody left to tell.
        }
    }
}
