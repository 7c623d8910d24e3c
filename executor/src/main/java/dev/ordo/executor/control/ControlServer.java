package dev.ordo.executor.control;

import dev.ordo.planner.model.Timespan;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Predicate;
import jdk.net.ExtendedSocketOptions;

/**
 * The supervisor's end of the control socket (docs/control.md): a Unix domain stream socket, mode 0600,
 * in a directory of mode 0700; JSON lines both ways. One thread serves every client without ever
 * blocking on one (a selector over non-blocking channels, as dinit and systemd serve theirs): it admits
 * connections, reads requests and hands them to the {@link RequestHandler}, writes the replies queued
 * for each {@link ClientConnection}, and closes those whose time ran out. What clients hold is bounded
 * by kind ({@link Slot}), so that idle, following or stuck clients never keep another from its answer.
 *
 * <p>The caller must hold the state directory's lock: a socket file left behind by a supervisor that
 * died is removed.
 */
public final class ControlServer implements AutoCloseable {

    /**
     * @param maxRequestBytes the longest request line; a longer one is answered with an error and the
     *     connection closed
     * @param maxPending requests of one connection in flight at once
     * @param maxQueuedBytes replies waiting for a client that does not read; a reply more cuts it off
     *     (a log's tail is held as its lines, not counted)
     * @param idleConnections connections with nothing in flight (new ones too); one more is told so and closed
     * @param commandConnections connections with a quick request in flight (status, list, ...); the
     *     request of one more waits until a place is free, never refused
     * @param waitingConnections connections with a request in flight that waits on jobs or follows a log
     * @param idleTimeout a connection with nothing in flight is closed when it sends no whole request
     *     within this (bytes without a newline do not count)
     * @param stallTimeout a connection whose client reads none of its waiting replies within this is closed
     */
    public record Limits(int maxRequestBytes, int maxPending, long maxQueuedBytes, int idleConnections,
                         int commandConnections, int waitingConnections, Duration idleTimeout,
                         Duration stallTimeout) {

        public static Limits defaults() {
            return new Limits(Protocol.MAX_REQUEST_BYTES, 64, 1 << 20, 64, 32, 256, Duration.ofSeconds(10),
                    Duration.ofSeconds(30));
        }

        /** These bounds of connections by kind. */
        public Limits withConnections(int idle, int command, int waiting) {
            return new Limits(maxRequestBytes, maxPending, maxQueuedBytes, idle, command, waiting, idleTimeout,
                    stallTimeout);
        }

        /** These timeouts. */
        public Limits withTimeouts(Duration idle, Duration stall) {
            return new Limits(maxRequestBytes, maxPending, maxQueuedBytes, idleConnections, commandConnections,
                    waitingConnections, idle, stall);
        }

        /** These bounds of what a connection sends and is sent. */
        public Limits withBuffers(int requestBytes, int pending, long queuedBytes) {
            return new Limits(requestBytes, pending, queuedBytes, idleConnections, commandConnections,
                    waitingConnections, idleTimeout, stallTimeout);
        }

        /** Connections open at once, of every kind. */
        int connections() {
            return idleConnections + commandConnections + waitingConnections;
        }

        int bound(Slot slot) {
            return switch (slot) {
                case IDLE -> idleConnections;
                case COMMAND -> commandConnections;
                case WAITING -> waitingConnections;
                case DRAINING, QUEUED -> connections();
            };
        }

        /** What a client that finds the places of {@code slot} taken is told. */
        String refusal(Slot slot) {
            return switch (slot) {
                case IDLE -> "too many idle connections (" + idleConnections + "); try again in "
                        + Timespan.format(idleTimeout);
                case COMMAND -> "too many connections (" + commandConnections + "); try again";
                case WAITING -> "too many clients waiting on jobs or logs (" + waitingConnections + "); try again";
                case DRAINING, QUEUED -> "too many connections (" + connections() + "); try again";
            };
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
    private final Selector selector;
    private final RequestHandler handler;
    private final Limits limits;
    private final Predicate<UserPrincipal> admit;
    private final Consumer<String> log;
    private final Map<Long, ClientConnection> connections = new ConcurrentHashMap<>();
    /** Connections with replies to write or a close to carry out, queued from any thread for the I/O thread. */
    private final Queue<ClientConnection> dirty = new ConcurrentLinkedQueue<>();
    /** Connections whose quick request waits for a command place, in the order they came (the I/O thread's). */
    private final ArrayDeque<ClientConnection> parked = new ArrayDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread io;
    private long connectionIds;
    /** While accepting fails (out of file descriptors): when to try again, or 0. */
    private long acceptAgainAt;

    private ControlServer(Path socket, ServerSocketChannel server, RequestHandler handler, Limits limits,
                          Predicate<UserPrincipal> admit, Consumer<String> log) throws IOException {
        this.socket = socket;
        this.server = server;
        this.handler = handler;
        this.limits = limits;
        this.admit = admit;
        this.log = log;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.io = new Thread(this::serve, "ordo-control");
        io.setDaemon(true);
    }

    /**
     * Listens on {@code socket}, admitting root and the supervisor's own user.
     *
     * @param log where the server says what it refused or cut off (the supervisor's log)
     * @throws IOException when the socket cannot be made; the message says why and where
     */
    public static ControlServer start(Path socket, RequestHandler handler, Limits limits, Consumer<String> log)
            throws IOException {
        return start(socket, handler, limits, log, null);
    }

    /** {@link #start(Path, RequestHandler, Limits, Consumer)} with another rule for who may connect. */
    public static ControlServer start(Path socket, RequestHandler handler, Limits limits, Consumer<String> log,
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
            ch.bind(UnixDomainSocketAddress.of(socket), limits.idleConnections());
            // The directory is 0700, so nobody else could reach the socket in the moment before this.
            Files.setPosixFilePermissions(socket, SOCKET_MODE);
            UserPrincipal self = Files.getOwner(socket);
            UserPrincipal root = root();
            Predicate<UserPrincipal> rule = admit != null ? admit : p -> p.equals(self) || p.equals(root);
            ControlServer s = new ControlServer(socket, ch, handler, limits, rule, log == null ? m -> { } : log);
            s.io.start();
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

    /** Root, looked up once: names are not looked up again for each client. */
    private static UserPrincipal root() {
        try {
            return FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("root");
        } catch (IOException e) {
            return null;
        }
    }

    /** The socket's path. */
    public Path socket() {
        return socket;
    }

    /** Connections open now. */
    public int connections() {
        return connections.size();
    }

    Limits limits() {
        return limits;
    }

    RequestHandler handler() {
        return handler;
    }

    void log(String line) {
        log.accept(line);
    }

    /** From any thread: {@code c} has replies to write or is to be closed. */
    void wake(ClientConnection c) {
        if (c.flagged.compareAndSet(false, true)) {
            dirty.add(c);
            selector.wakeup();
        }
    }

    /** On the I/O thread: {@code c} has a request that waits for a command place. */
    void park(ClientConnection c) {
        parked.addLast(c);
    }

    /** Gives the places freed since to the requests that wait for one, first come first served. */
    private void unpark(long now) {
        while (!parked.isEmpty() && !closed.get()) {
            ClientConnection c = parked.peekFirst();
            if (!c.gone() && c.parked() && refusal(Slot.COMMAND, c) != null) return;
            parked.removeFirst();
            if (c.gone() || !c.parked()) continue;
            c.unpark(); // what it sent next may wait again, at the end of the line
            c.service(now);
        }
    }

    /** On the I/O thread: {@code c} is done; its socket is closed. */
    void forget(ClientConnection c) {
        connections.remove(c.id);
        if (c.key != null) c.key.cancel();
        quietly(c.ch);
    }

    /**
     * Why {@code asking} may not take a place of kind {@code slot} now (every one is held by another
     * connection), or null.
     */
    String refusal(Slot slot, ClientConnection asking) {
        int held = 0;
        for (ClientConnection c : connections.values()) {
            if (c != asking && !c.gone() && (slot == Slot.DRAINING || c.slot() == slot)) held++;
        }
        return held < limits.bound(slot) ? null : limits.refusal(slot);
    }

    /** The I/O thread: every client's reads, writes, admissions and clocks, until the server is closed. */
    private void serve() {
        ByteBuffer scratch = ByteBuffer.allocateDirect(64 * 1024);
        long closingSince = -1;
        try {
            while (true) {
                long now = System.nanoTime();
                if (closed.get() && closingSince < 0) {
                    closingSince = now;
                    beginClosing();
                }
                if (closingSince >= 0 && (connections.isEmpty()
                        || now - closingSince > TimeUnit.SECONDS.toNanos(1))) {
                    break;
                }
                long next = sweep(now);
                if (closingSince >= 0) next = Math.min(next, closingSince + TimeUnit.SECONDS.toNanos(1));
                long waitMillis = next == Long.MAX_VALUE ? 0
                        : Math.max(1, TimeUnit.NANOSECONDS.toMillis(next - now + 999_999));
                selector.select(waitMillis);
                now = System.nanoTime();
                for (ClientConnection c; (c = dirty.poll()) != null; ) {
                    c.flagged.set(false);
                    c.service(now);
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey k = keys.next();
                    keys.remove();
                    if (!k.isValid()) continue;
                    if (k.attachment() instanceof ClientConnection c) {
                        if (k.isReadable()) c.readable(scratch);
                        c.service(now);
                    } else if (k.isAcceptable()) {
                        acceptAll(now);
                    }
                }
                unpark(now);
            }
        } catch (IOException | RuntimeException e) {
            // Not expected (the selector itself failed); the clients still get closed, and the log says why.
            log.accept("control: the control socket stopped serving: " + e);
        } finally {
            for (ClientConnection c : new ArrayList<>(connections.values())) {
                c.abort();
                forget(c);
            }
            quietly(server);
            quietly(selector);
        }
    }

    /** Closes what ran out of time; when to look again. */
    private long sweep(long now) {
        long next = Long.MAX_VALUE;
        if (acceptAgainAt != 0) {
            if (now - acceptAgainAt >= 0) {
                acceptAgainAt = 0;
                if (server.isOpen()) server.keyFor(selector).interestOps(SelectionKey.OP_ACCEPT);
            } else {
                next = acceptAgainAt;
            }
        }
        for (ClientConnection c : connections.values()) next = Math.min(next, c.expire(now));
        return next;
    }

    private void beginClosing() {
        quietly(server);
        for (ClientConnection c : connections.values()) c.shutdown("the supervisor is shutting down");
    }

    private void acceptAll(long now) {
        for (int i = 0; i < limits.idleConnections(); i++) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                // E.g. out of file descriptors: a passing shortage must not end the control socket for good,
                // nor spin the thread; said once until accepting works again.
                if (acceptAgainAt == 0) log.accept("control: accept failed: " + e.getMessage());
                acceptAgainAt = now + TimeUnit.MILLISECONDS.toNanos(100);
                server.keyFor(selector).interestOps(0);
                return;
            }
            if (ch == null) return;
            try {
                admitOrRefuse(ch, now);
            } catch (IOException | RuntimeException e) {
                log.accept("control: dropped a connection: " + e);
                quietly(ch);
            }
        }
    }

    private void admitOrRefuse(SocketChannel ch, long now) throws IOException {
        ch.configureBlocking(false);
        UserPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED).user();
        String refusal;
        if (!admit.test(peer)) {
            refusal = "permission denied: user " + peer.getName() + " is neither root nor the supervisor's user";
            log.accept("control: refused user " + peer.getName());
        } else {
            refusal = refusal(Slot.DRAINING, null);
            if (refusal == null) refusal = refusal(Slot.IDLE, null);
            if (refusal != null) log.accept("control: refused a connection of user " + peer.getName() + ": " + refusal);
        }
        if (refusal != null) {
            // A fresh socket's send buffer takes one short line at once.
            ch.write(ByteBuffer.wrap(Protocol.encode(ControlReply.error(null, refusal))));
            ch.close();
            return;
        }
        ClientConnection c = new ClientConnection(++connectionIds, ch, peer, this, now);
        connections.put(c.id, c);
        c.key = ch.register(selector, SelectionKey.OP_READ, c);
    }

    /**
     * Stops listening, answers every request still open with an error, lets each client read what was
     * queued for it (up to a second), closes every connection and removes the socket file.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        selector.wakeup();
        try {
            io.join(3000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
