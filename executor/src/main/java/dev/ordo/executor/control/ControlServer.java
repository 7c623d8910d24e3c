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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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
    public record Options(int maxRequestBytes, int maxConnections, int maxQueuedReplies, int maxPending) {

        public static Options defaults() {
            return new Options(Protocol.MAX_REQUEST_BYTES, 32, 4096, 64);
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
    private final Options options;
    private final Predicate<UserPrincipal> admit;
    private final Consumer<String> log;
    private final Map<Long, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicLong connectionIds = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread acceptor;

    private ControlServer(Path socket, ServerSocketChannel server, RequestHandler handler, Options options,
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
    public static ControlServer start(Path socket, RequestHandler handler, Options options, Consumer<String> log)
            throws IOException {
        return start(socket, handler, options, log, null);
    }

    /** {@link #start(Path, RequestHandler, Options, Consumer)} with another rule for who may connect. */
    public static ControlServer start(Path socket, RequestHandler handler, Options options, Consumer<String> log,
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
            ch.write(ByteBuffer.wrap(Protocol.encode(Reply.error(null, refusal))));
            ch.close();
            return;
        }
        long id = connectionIds.incrementAndGet();
        Connection c = new Connection(id, ch, peer);
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
        List<Connection> open = new ArrayList<>(connections.values());
        for (Connection c : open) c.shutdown("the supervisor is shutting down");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (Connection c : open) {
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

    private static void quietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // Closing is the end of the road; there is nobody left to tell.
        }
    }

    private static final byte[] END = new byte[0];

    /** One client. */
    private final class Connection {
        final long id;
        final SocketChannel ch;
        final UserPrincipal peer;
        final BlockingQueue<byte[]> out;
        final Thread reader;
        final Thread writer;
        final AtomicBoolean gone = new AtomicBoolean();
        final AtomicBoolean ending = new AtomicBoolean();
        final Map<Long, Answer> pending = new HashMap<>();
        boolean inputDone;

        Connection(long id, SocketChannel ch, UserPrincipal peer) {
            this.id = id;
            this.ch = ch;
            this.peer = peer;
            this.out = new ArrayBlockingQueue<>(options.maxQueuedReplies() + 1);
            this.reader = new Thread(this::read, "ordo-control-" + id + "-read");
            this.writer = new Thread(this::write, "ordo-control-" + id + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
        }

        void start() {
            writer.start();
            reader.start();
        }

        void read() {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            byte[] line = new byte[1024];
            int len = 0;
            boolean overlong = false;
            try {
                while (!gone.get() && !ending.get()) {
                    buf.clear();
                    if (ch.read(buf) < 0) break;
                    buf.flip();
                    while (buf.hasRemaining()) {
                        byte b = buf.get();
                        if (b == '\n') {
                            if (overlong) {
                                overlong = false;
                            } else {
                                request(line, len);
                            }
                            len = 0;
                            if (ending.get()) return;
                            continue;
                        }
                        if (overlong) continue;
                        if (len == options.maxRequestBytes()) {
                            send(Reply.error(null, "request is longer than " + options.maxRequestBytes()
                                    + " bytes; closing the connection"));
                            log.accept("control: closed a connection that sent an oversize request");
                            end();
                            return;
                        }
                        if (len == line.length) line = java.util.Arrays.copyOf(line, Math.min(line.length * 2,
                                options.maxRequestBytes()));
                        line[len++] = b;
                    }
                }
                if (len > 0 && !gone.get() && !ending.get()) request(line, len);
                inputEnded();
            } catch (IOException e) {
                abort();
            }
        }

        private void request(byte[] line, int len) {
            if (len > 0 && line[len - 1] == '\r') len--;
            if (isBlank(line, len)) return;
            Protocol.Parsed p = Protocol.parseRequest(line, len);
            if (p.request() == null) {
                send(Reply.error(p.id(), p.error()));
                return;
            }
            Request r = p.request();
            Answer a = new Answer(r);
            synchronized (this) {
                if (pending.containsKey(r.id())) {
                    send(Reply.error(r.id(), "request " + r.id() + " is still being answered on this connection"));
                    return;
                }
                if (pending.size() >= options.maxPending()) {
                    send(Reply.error(r.id(), "too many requests in flight (" + options.maxPending() + ")"));
                    return;
                }
                pending.put(r.id(), a);
            }
            try {
                handler.handle(r, a);
            } catch (RuntimeException e) {
                log.accept("control: the handler failed on `" + r.cmd().word() + "`: " + e);
                a.error("internal error in ordo: " + e.getClass().getSimpleName());
            }
        }

        private static boolean isBlank(byte[] b, int len) {
            for (int i = 0; i < len; i++) if (b[i] != ' ' && b[i] != '\t') return false;
            return true;
        }

        /** The client will send no more: streams end; the rest are still answered, then it is closed. */
        private void inputEnded() {
            List<Answer> streams = new ArrayList<>();
            synchronized (this) {
                inputDone = true;
                for (Answer a : pending.values()) if (a.request.follow()) streams.add(a);
            }
            for (Answer a : streams) a.ok("");
            synchronized (this) {
                if (pending.isEmpty()) end();
            }
        }

        void write() {
            try {
                while (true) {
                    byte[] b = out.take();
                    if (b == END) break;
                    ByteBuffer bb = ByteBuffer.wrap(b);
                    while (bb.hasRemaining()) ch.write(bb);
                }
            } catch (IOException e) {
                // The client went away: nothing more to send.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            abort();
        }

        void send(Reply r) {
            if (gone.get()) return;
            if (!out.offer(Protocol.encode(r))) {
                log.accept("control: cut off user " + peer.getName() + ": " + options.maxQueuedReplies()
                        + " replies unread");
                abort();
            }
        }

        /** Closes after what is queued has been written. */
        void end() {
            if (ending.compareAndSet(false, true)) {
                // The queue has one place more than replies may use, kept for this.
                if (!out.offer(END)) abort();
            }
        }

        void shutdown(String why) {
            List<Answer> open;
            synchronized (this) {
                open = new ArrayList<>(pending.values());
            }
            for (Answer a : open) a.error(why);
            end();
        }

        void abort() {
            if (!gone.compareAndSet(false, true)) return;
            quietly(ch);
            out.clear();
            out.offer(END);
            connections.remove(id);
            List<Answer> open;
            synchronized (this) {
                open = new ArrayList<>(pending.values());
                pending.clear();
            }
            for (Answer a : open) a.closed();
        }

        void done(Answer a) {
            synchronized (this) {
                pending.remove(a.request.id());
                if (inputDone && pending.isEmpty()) end();
            }
        }

        /** The responder of one request. */
        private final class Answer implements Responder {
            final Request request;
            final AtomicBoolean answered = new AtomicBoolean();
            final List<Runnable> onClose = new ArrayList<>();
            boolean closeRan;

            Answer(Request request) {
                this.request = request;
            }

            @Override
            public long id() {
                return request.id();
            }

            @Override
            public UserPrincipal peer() {
                return peer;
            }

            @Override
            public void line(String text) {
                if (!answered.get()) send(Reply.line(request.id(), text == null ? "" : text));
            }

            @Override
            public void ok(String text) {
                finish(Reply.ok(request.id(), text == null ? "" : text));
            }

            @Override
            public void error(String message) {
                finish(Reply.error(request.id(), message == null ? "failed" : message));
            }

            private void finish(Reply r) {
                if (!answered.compareAndSet(false, true)) return;
                send(r);
                done(this);
                closed();
            }

            @Override
            public boolean open() {
                return !answered.get() && !gone.get();
            }

            @Override
            public void onClose(Runnable action) {
                boolean now;
                synchronized (this) {
                    now = closeRan;
                    if (!now) onClose.add(action);
                }
                if (now) action.run();
            }

            void closed() {
                List<Runnable> run;
                synchronized (this) {
                    if (closeRan) return;
                    closeRan = true;
                    run = new ArrayList<>(onClose);
                    onClose.clear();
                }
                answered.set(true);
                for (Runnable r : run) {
                    try {
                        r.run();
                    } catch (RuntimeException e) {
                        log.accept("control: a close action failed: " + e);
                    }
                }
            }
        }
    }
}
