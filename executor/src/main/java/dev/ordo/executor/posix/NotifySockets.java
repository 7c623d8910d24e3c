package dev.ordo.executor.posix;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileSystems;
import java.nio.file.LinkOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.Set;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import jnr.ffi.Pointer;
import jnr.posix.CmsgHdr;
import jnr.posix.MsgHdr;
import jnr.unixsocket.UnixDatagramChannel;
import jnr.unixsocket.UnixSocketAddress;

/**
 * sd_notify receivers (docs/notes/jvm-posix.md §6): one datagram socket per key, because the sender is often
 * a short-lived helper ({@code systemd-notify}) whose pid says nothing; one thread receives on all of
 * them, since a sender may block until its datagram's fds are closed (systemd-notify's BARRIER=1).
 */
final class NotifySockets implements AutoCloseable {

    private static final int SOL_SOCKET = 1;
    private static final int SO_PASSCRED = 16;
    private static final int SCM_RIGHTS = 1;
    private static final int SCM_CREDENTIALS = 2;
    private static final int MSG_DONTWAIT = 0x40;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;

    private record Socket(String key, Path path, UnixDatagramChannel channel, int fd) {
    }

    /** A root supervisor: its jobs' processes may change user, and need a socket they can still reach. */
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dir;
    /** Receives (key, datagram text, sender pid); called on the receiver thread. */
    private final BiConsumer<String, Message> sink;
    private final Object lock = new Object();
    private final Map<String, Socket> byKey = new HashMap<>();
    /** Sockets whose key was released: closed by the receiver thread, so no fd is reused under its poll. */
    private final List<Socket> released = new ArrayList<>();
    private final WakePipe wake;
    private final Thread thread;
    private volatile boolean closed;
    private int serial;

    /** One datagram: its text and the sender's pid from SCM_CREDENTIALS (0 if none came). */
    record Message(String text, int sender) {
    }

    NotifySockets(Path dir, BiConsumer<String, Message> sink) throws IOException {
        this.dir = dir;
        this.sink = sink;
        // Created 0700 up front rather than chmod after bind: the socket files follow the umask.
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        wake = new WakePipe();
        thread = new Thread(this::run, "ordo-notify");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * The socket path for {@code key}, creating and binding it on first use. A job that runs as another
     * user ({@code User=}: redis, postgres) could not reach a socket in ordo's own 0700 directories, so its
     * socket gets a directory of its own, made 0700 before the bind and then given with the socket to that
     * user (mode 0600: only it and root may send), and the directories above it become traversable
     * (0711: nobody else may list or change them), as /run/systemd is.
     */
    String socketFor(String key, String owner) throws IOException {
        synchronized (lock) {
            if (closed) throw new IOException("closed");
            Socket s = byKey.get(key);
            if (s != null) return s.path.toString();
            Path path;
            Path own = null;
            if (owner == null && !ROOT) {
                path = dir.resolve("n" + (++serial) + ".sock");
            } else {
                own = dir.resolve("u" + (++serial));
                DirectoryTrees.delete(own);
                Files.createDirectory(own, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                path = own.resolve("notify");
            }
            Files.deleteIfExists(path);
            UnixDatagramChannel ch = UnixDatagramChannel.open();
            try {
                ch.bind(new UnixSocketAddress(new File(path.toString())));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            int fd = ch.getFD();
            Pointer one = Sys.allocate(4);
            one.putInt(0, 1);
            // ch.setOption(SO_PASSCRED) throws "not supported" for datagram channels.
            Sys.C.setsockopt(fd, SOL_SOCKET, SO_PASSCRED, one, 4);
            if (own != null) {
                try {
                    giveTo(own, path, owner);
                } catch (IOException | RuntimeException e) {
                    ch.close();
                    DirectoryTrees.delete(own);
                    throw new IOException("cannot give the notify socket to " + owner + ": " + e.getMessage(), e);
                }
            }
            s = new Socket(key, path, ch, fd);
            byKey.put(key, s);
            wake.wake();
            return path.toString();
        }
    }

    /**
     * A root supervisor's job may run as another user from the start ({@code User=}: the socket is given to it,
     * 0600) or become one later (dbus-daemon drops to messagebus before READY=1: the socket is 0666 in a
     * directory nobody else may list, and the supervisor takes READY=1 only from the job's own processes).
     */
    private void giveTo(Path own, Path socket, String owner) throws IOException {
        if (owner != null) {
            UserPrincipalLookupService names = FileSystems.getDefault().getUserPrincipalLookupService();
            UserPrincipal user = names.lookupPrincipalByName(owner);
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
            Files.getFileAttributeView(socket, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(user);
            Files.getFileAttributeView(own, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(user);
        } else {
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
            Files.setPosixFilePermissions(own, PosixFilePermissions.fromString("rwx--x--x"));
        }
        Path state = dir.getParent().getParent(); // dir is STATE/run/notify
        for (Path up = dir; up != null; up = up.getParent()) {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(up);
            if (up.startsWith(state)) {
                if (p.add(PosixFilePermission.OTHERS_EXECUTE)) Files.setPosixFilePermissions(up, p);
            } else if (owner != null && !p.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                // Not ordo's to open up: say why the service will never be heard, rather than time out.
                // (A job that only may become another user is not refused: as root it reaches the socket anyway.)
                throw new IOException(up + " (mode " + PosixFilePermissions.toString(p) + ") cannot be passed by " + owner
                        + ", so it cannot reach its notify socket; give the state directory a parent others may traverse");
            }
        }
    }

    /** Forgets {@code key}'s socket (the job is gone); a later {@link #socketFor} makes a new one. */
    void release(String key) {
        synchronized (lock) {
            if (closed) return;
            Socket s = byKey.remove(key);
            if (s != null) {
                released.add(s);
                wake.wake();
            }
        }
    }

    private void run() {
        MsgHdr msg = Sys.POSIX.allocateMsgHdr();
        ByteBuffer data = ByteBuffer.allocateDirect(4096);
        while (true) {
            List<Socket> sockets;
            synchronized (lock) {
                for (Socket s : released) closeSocket(s);
                released.clear();
                if (closed) {
                    for (Socket s : byKey.values()) closeSocket(s);
                    byKey.clear();
                    break;
                }
                sockets = new ArrayList<>(byKey.values());
            }
            int n = sockets.size() + 1;
            Pointer fds = Sys.allocate(8 * n);
            fds.putInt(0, wake.fd());
            fds.putShort(4, Sys.POLLIN);
            for (int i = 0; i < sockets.size(); i++) {
                fds.putInt(8L * (i + 1), sockets.get(i).fd);
                fds.putShort(8L * (i + 1) + 4, Sys.POLLIN);
            }
            int rc = Sys.C.poll(fds, n, -1);
            if (rc < 0) continue; // EINTR
            if (fds.getShort(6) != 0) {
                wake.drain(); // the loop head picks up the change
            }
            for (int i = 0; i < sockets.size(); i++) {
                if (fds.getShort(8L * (i + 1) + 6) == 0) continue;
                Socket s = sockets.get(i);
                while (true) {
                    data.clear();
                    msg.setIov(new ByteBuffer[] {data});
                    msg.allocateControls(new int[] {12, 4 * 16});
                    int got = Sys.POSIX.recvmsg(s.fd, msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
                    if (got < 0) break;
                    int sender = 0;
                    for (CmsgHdr c : msg.getControls()) {
                        if (c.getLevel() != SOL_SOCKET) continue;
                        ByteBuffer d = c.getData().order(java.nio.ByteOrder.nativeOrder());
                        if (c.getType() == SCM_CREDENTIALS && d.remaining() >= 4) {
                            sender = d.getInt(d.position());
                        } else if (c.getType() == SCM_RIGHTS) {
                            // Never keep a sender's fds: systemd-notify waits until they are closed.
                            for (int p = d.position(); p + 4 <= d.limit(); p += 4) {
                                int fd = d.getInt(p);
                                if (fd > 2) Sys.C.close(fd);
                            }
                        }
                    }
                    byte[] bytes = new byte[Math.min(got, data.capacity())];
                    data.get(0, bytes);
                    sink.accept(s.key, new Message(new String(bytes, StandardCharsets.UTF_8), sender));
                }
            }
        }
        wake.close();
    }

    private static void closeSocket(Socket s) {
        try {
            s.channel.close();
        } catch (IOException ignored) {
            // the descriptor is gone either way
        }
        try {
            Files.deleteIfExists(s.path);
            // A socket given to another user has a directory of its own.
            if (s.path.getFileName().toString().equals("notify")) Files.deleteIfExists(s.path.getParent());
        } catch (IOException ignored) {
            // a stale socket file is replaced on next bind
        }
    }

    @Override
    public void close() {
        synchronized (lock) {
            if (closed) return;
            closed = true;
            wake.wake();
        }
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
