package dev.ordo.executor.posix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import jnr.ffi.Pointer;

/**
 * The one thread that watches the watched units of {@link ListenSockets} with poll(2) (systemd's io event
 * sources of socket.c): a unit without Accept= is reported once at its first traffic and then left alone until
 * it is watched again (its service takes the traffic off the sockets); a unit with Accept=yes has each
 * connection accepted here (socket_dispatch_io, one per readiness) and reported with the instance name systemd
 * would give it. What it finds is checked under the lock against units closed meanwhile, so a descriptor
 * number reused by another unit is never taken for the old one.
 */
final class SocketWatch implements AutoCloseable {


    private record Watched(ListenSockets.OpenUnit unit, int fd) {
    }

    private final ListenSockets sockets;
    private final WakePipe wake;
    private final Thread thread;
    private volatile boolean closed;

    SocketWatch(ListenSockets sockets) throws IOException {
        this.sockets = sockets;
        this.wake = new WakePipe();
        this.thread = new Thread(this::run, "ordo-sockets");
        thread.setDaemon(true);
        thread.start();
    }

    void wake() {
        wake.wake();
    }

    private void run() {
        while (!closed) {
            List<Watched> watched = new ArrayList<>();
            synchronized (sockets.lock) {
                for (ListenSockets.OpenUnit u : sockets.units.values()) {
                    if (u.watched) for (int fd : u.fds) watched.add(new Watched(u, fd));
                }
            }
            int n = watched.size() + 1;
            Pointer fds = Sys.allocate(8 * n);
            fds.putInt(0, wake.fd());
            fds.putShort(4, Sys.POLLIN);
            for (int i = 0; i < watched.size(); i++) {
                fds.putInt(8L * (i + 1), watched.get(i).fd());
                fds.putShort(8L * (i + 1) + 4, Sys.POLLIN);
            }
            if (Sys.C.poll(fds, n, -1) < 0) continue; // Sys.EINTR
            if (fds.getShort(6) != 0) wake.drain();
            synchronized (sockets.lock) {
                for (int i = 0; i < watched.size(); i++) {
                    if (fds.getShort(8L * (i + 1) + 6) == 0) continue;
                    ListenSockets.OpenUnit u = watched.get(i).unit();
                    if (u.closed || !u.watched) continue;
                    if (u.setup.accept()) accept(u, watched.get(i).fd());
                    else {
                        u.watched = false;
                        sockets.events.traffic(u.key);
                    }
                }
            }
        }
        wake.close();
    }

    /** One connection off the socket, as a blocking descriptor: inetd-style services read it as they would a pipe. */
    private void accept(ListenSockets.OpenUnit u, int fd) {
        int c = Sys.C.accept4(fd, null, null, Sys.O_CLOEXEC);
        if (c < 0) {
            int e = Sys.errno();
            if (e == Sys.EAGAIN || e == Sys.EINTR || e == Sys.ECONNABORTED || e == Sys.EPROTO) return;
            // EMFILE and the like would come back at every poll: stop accepting on it rather than spin.
            u.watched = false;
            sockets.events.note(u.key + ": accept: " + Sys.describe(e) + "; no more connections are taken");
            return;
        }
        long id = ++sockets.nextConnection;
        sockets.connections.put(id, c);
        String name = Sockaddr.instanceName(c, u.accepted++);
        List<String> env = new ArrayList<>();
        Sockaddr.End peer = Sockaddr.peer(c);
        if (peer != null && peer.host() != null) {
            // $REMOTE_ADDR and $REMOTE_PORT, as service_spawn sets them (sockaddr_pretty unmaps IPv4).
            env.add("REMOTE_ADDR=" + Sockaddr.unmapped(peer.host()));
            env.add("REMOTE_PORT=" + peer.port());
        }
        sockets.events.connection(u.key, id, name, env);
    }

    @Override
    public void close() {
        closed = true;
        wake.wake();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
