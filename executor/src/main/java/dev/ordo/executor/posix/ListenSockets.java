package dev.ordo.executor.posix;

import dev.ordo.planner.model.SocketPort;
import dev.ordo.planner.model.SocketSetup;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jnr.ffi.Pointer;

/**
 * The listening sockets and FIFOs of socket units, made as systemd 252's socket_address_listen() and
 * fifo_address_create() make them: non-blocking and close-on-exec in the supervisor (a spawn gives them to a
 * service at fd 3, ...), SO_REUSEADDR, an AF_UNIX path bound with SocketMode= (a stale node in the way is
 * unlinked and the bind tried again), listen(2) with Backlog= for stream and sequential packet sockets. They
 * stay open until {@link #close}; {@link SocketWatch} watches them. Thread-safe: the supervisor's loop opens
 * and closes, the watch thread accepts, both under one lock, so that no descriptor is closed under a watch
 * that would then report it for another unit.
 */
public final class ListenSockets implements AutoCloseable {

    /** What the watch reports, on its own thread (hand it on, e.g. to a queue). */
    public interface Events {
        /** Traffic on a watched unit without Accept= (it is not watched any more). */
        void traffic(String key);

        /** A connection accepted on a unit with Accept=yes; {@link #connectionFd} has it until closed. */
        void connection(String key, long id, String name, List<String> env);

        /** Something for the supervisor's log. */
        void note(String text);
    }

    private static final int SOCK_STREAM = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int SOL_SOCKET = 1;
    private static final int SO_REUSEADDR = 2;
    private static final int SO_REUSEPORT = 15;
    private static final int IPPROTO_IP = 0;
    private static final int IP_FREEBIND = 15;
    private static final int IPPROTO_IPV6 = 41;
    private static final int IPV6_V6ONLY = 26;
    private static final int IPV6_FREEBIND = 78;
    private static final int EADDRINUSE = 98;
    private static final int EEXIST = 17;
    private static final int O_RDWR = 2;
    private static final int O_NOCTTY = 0400;
    private static final int O_NOFOLLOW = 0400000;

    /** One unit's open descriptors, in the order of its ports. */
    static final class OpenUnit {
        final String key;
        final SocketSetup setup;
        final List<Integer> fds;
        boolean watched;
        boolean closed;
        /** Connections accepted so far: the first number of their instance names. */
        long accepted;

        OpenUnit(String key, SocketSetup setup, List<Integer> fds) {
            this.key = key;
            this.setup = setup;
            this.fds = List.copyOf(fds);
        }
    }

    final Object lock = new Object();
    final Map<String, OpenUnit> units = new HashMap<>();
    final Map<Long, Integer> connections = new HashMap<>();
    long nextConnection;
    final Events events;
    private final SocketWatch watch;

    public ListenSockets(Events events) throws IOException {
        this.events = events;
        this.watch = new SocketWatch(this);
    }

    /**
     * Opens every port of {@code setup} for {@code key}: all or none. Returns the warnings that did not stop it
     * (a symlink that could not be made).
     *
     * @throws IOException naming the port and the reason (one line), with nothing left open
     */
    public List<String> open(String key, SocketSetup setup) throws IOException {
        List<Integer> fds = new ArrayList<>();
        try {
            for (SocketPort p : setup.ports()) {
                try {
                    fds.add(p.kind() == SocketPort.ListenKind.FIFO ? fifo(p, setup) : socket(p, setup));
                } catch (IOException e) {
                    throw new IOException(p.line() + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException | RuntimeException e) {
            for (int fd : fds) Sys.C.close(fd);
            throw e;
        }
        List<String> warnings = SocketNodes.symlinks(setup);
        synchronized (lock) {
            OpenUnit old = units.put(key, new OpenUnit(key, setup, fds));
            if (old != null) closeUnit(old);
        }
        return warnings;
    }

    private static int socket(SocketPort p, SocketSetup s) throws IOException {
        Sockaddr.Bound a = Sockaddr.of(p);
        int type = switch (p.kind()) {
            case STREAM -> SOCK_STREAM;
            case DATAGRAM -> SOCK_DGRAM;
            case SEQUENTIAL_PACKET -> SOCK_SEQPACKET;
            case FIFO -> throw new IllegalArgumentException("a FIFO is no socket");
        };
        int fd = Sys.C.socket(a.family(), type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0) throw new IOException("socket: " + Sys.describe(Sys.errno()));
        try {
            boolean ip = a.family() != Sockaddr.AF_UNIX;
            if (a.family() == Sockaddr.AF_INET6 && s.ipv6Only() != null) option(fd, IPPROTO_IPV6, IPV6_V6ONLY, s.ipv6Only(), true);
            if (ip && s.reusePort()) option(fd, SOL_SOCKET, SO_REUSEPORT, true, false);
            if (ip && s.freeBind()) {
                boolean v6 = a.family() == Sockaddr.AF_INET6;
                option(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_FREEBIND : IP_FREEBIND, true, false);
            }
            option(fd, SOL_SOCKET, SO_REUSEADDR, true, true);
            if (p.family() == SocketPort.Family.PATH) {
                Path node = Path.of(p.path());
                SocketNodes.parents(node, s.directoryMode());
                // The node is made with the socket inode's mode less the umask: restricted from the start, then
                // given exactly SocketMode= (systemd binds under umask ~SocketMode=, which is process-wide here).
                Sys.C.fchmod(fd, s.socketMode());
                if (Sys.C.bind(fd, a.address(), a.length()) != 0) {
                    int e = Sys.errno();
                    // "Unlink and try again" (socket_address_listen): a node left by an earlier run.
                    if (e != EADDRINUSE || Files.isDirectory(node, LinkOption.NOFOLLOW_LINKS) || !Files.deleteIfExists(node)) {
                        throw new IOException(Sys.describe(e));
                    }
                    if (Sys.C.bind(fd, a.address(), a.length()) != 0) throw new IOException(Sys.describe(Sys.errno()));
                }
                SocketNodes.chmod(node, s.socketMode());
                SocketNodes.chown(node, s);
            } else if (Sys.C.bind(fd, a.address(), a.length()) != 0) {
                throw new IOException(Sys.describe(Sys.errno()));
            }
            if (p.kind().connections() && Sys.C.listen(fd, s.backlog()) != 0) throw new IOException("listen: " + Sys.describe(Sys.errno()));
            return fd;
        } catch (IOException | RuntimeException e) {
            Sys.C.close(fd);
            throw e;
        }
    }

    /** setsockopt to 1 or 0; a failure is fatal only for what systemd fails on (SO_REUSEADDR, IPV6_V6ONLY). */
    private static void option(int fd, int level, int name, boolean on, boolean fatal) throws IOException {
        Pointer v = Sys.allocate(4);
        v.putInt(0, on ? 1 : 0);
        if (Sys.C.setsockopt(fd, level, name, v, 4) != 0 && fatal) {
            throw new IOException("setsockopt " + name + ": " + Sys.describe(Sys.errno()));
        }
    }

    /** fifo_address_create: mkfifo (an existing FIFO is taken), opened read-write and non-blocking. */
    private static int fifo(SocketPort p, SocketSetup s) throws IOException {
        Path node = Path.of(p.path());
        SocketNodes.parents(node, s.directoryMode());
        if (Sys.C.mkfifo(p.path(), s.socketMode()) != 0 && Sys.errno() != EEXIST) throw new IOException("mkfifo: " + Sys.describe(Sys.errno()));
        int fd = Sys.C.open(p.path(), O_RDWR | Sys.O_CLOEXEC | O_NOCTTY | Sys.O_NONBLOCK | O_NOFOLLOW, 0);
        if (fd < 0) throw new IOException(Sys.describe(Sys.errno()));
        try {
            int mode = (Integer) Files.getAttribute(node, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if ((mode & 0170000) != 0010000) throw new IOException("exists and is not a FIFO");
            SocketNodes.chmod(node, s.socketMode());
            SocketNodes.chown(node, s);
            return fd;
        } catch (IOException | RuntimeException e) {
            Sys.C.close(fd);
            throw e;
        }
    }

    /** The unit's open descriptors, in the order of its ports; empty when it has none open. */
    public List<Integer> fds(String key) {
        synchronized (lock) {
            OpenUnit u = units.get(key);
            return u == null ? List.of() : u.fds;
        }
    }

    /** Watch the unit: report its next traffic, or accept its connections (Accept=yes) until it closes. */
    public void watch(String key) {
        synchronized (lock) {
            OpenUnit u = units.get(key);
            if (u == null || u.watched) return;
            u.watched = true;
        }
        watch.wake();
    }

    /** Closes the unit's descriptors (no longer watched), and with RemoveOnStop= its nodes. */
    public void close(String key) {
        synchronized (lock) {
            OpenUnit u = units.remove(key);
            if (u != null) closeUnit(u);
        }
        watch.wake();
    }

    private static void closeUnit(OpenUnit u) {
        u.closed = true;
        u.watched = false;
        for (int fd : u.fds) Sys.C.close(fd);
        SocketNodes.remove(u.setup);
    }

    /** An accepted connection's descriptor, or -1 once closed. */
    public int connectionFd(long id) {
        synchronized (lock) {
            return connections.getOrDefault(id, -1);
        }
    }

    public void closeConnection(long id) {
        synchronized (lock) {
            Integer fd = connections.remove(id);
            if (fd != null) Sys.C.close(fd);
        }
    }

    /** Closes everything, without removing any node (the supervisor ends; what it ran may go on using them). */
    @Override
    public void close() {
        watch.close();
        synchronized (lock) {
            for (OpenUnit u : units.values()) {
                u.closed = true;
                for (int fd : u.fds) Sys.C.close(fd);
            }
            units.clear();
            for (int fd : connections.values()) Sys.C.close(fd);
            connections.clear();
        }
    }
}
