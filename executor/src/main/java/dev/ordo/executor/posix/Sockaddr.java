package dev.ordo.executor.posix;

import dev.ordo.planner.model.SocketPort;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * Socket addresses in the kernel's layout (x86_64 and aarch64 agree): a {@link SocketPort} as the struct
 * bind(2) takes, and an accepted connection's two ends as systemd names them (socket.c instance_from_socket,
 * sockaddr_pretty).
 */
final class Sockaddr {

    static final int AF_UNIX = 1;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** sockaddr_storage. */
    static final int STORAGE = 128;

    /** What bind(2) is given: the family, the struct and its length. */
    record Bound(int family, Pointer address, int length) {
    }

    private Sockaddr() {
    }

    /** socket_ipv6_is_supported(): the kernel has IPv6 when /proc/net/if_inet6 is there. */
    static boolean ipv6() {
        return Files.exists(Path.of("/proc/net/if_inet6"));
    }

    static Bound of(SocketPort p) throws IOException {
        Pointer a = Sys.allocate(STORAGE);
        switch (p.family()) {
            case PATH, ABSTRACT -> {
                byte[] name = p.path().getBytes(StandardCharsets.UTF_8);
                a.putShort(0, (short) AF_UNIX);
                int at = 2;
                // An abstract name starts with a NUL byte and is not NUL-terminated; its length is all it has.
                if (p.family() == SocketPort.Family.ABSTRACT) a.putByte(at++, (byte) 0);
                a.put(at, name, 0, name.length);
                return new Bound(AF_UNIX, a, at + name.length + (p.family() == SocketPort.Family.PATH ? 1 : 0));
            }
            case IPV4 -> {
                return inet4(a, InetAddress.getByName(p.host()).getAddress(), p.port());
            }
            case IPV6 -> {
                return inet6(a, bytes16(InetAddress.getByName(p.host()).getAddress()), p.port(), scope(p.scope()));
            }
            case ANY -> {
                return ipv6() ? inet6(a, new byte[16], p.port(), 0) : inet4(a, new byte[4], p.port());
            }
            default -> throw new IllegalArgumentException(p.family().name());
        }
    }

    private static Bound inet4(Pointer a, byte[] host, int port) {
        a.putShort(0, (short) AF_INET);
        a.putByte(2, (byte) (port >> 8));
        a.putByte(3, (byte) port);
        a.put(4, host, 0, 4);
        return new Bound(AF_INET, a, 16);
    }

    private static Bound inet6(Pointer a, byte[] host, int port, int scope) {
        a.putShort(0, (short) AF_INET6);
        a.putByte(2, (byte) (port >> 8));
        a.putByte(3, (byte) port);
        a.putInt(4, 0); // flow info
        a.put(8, host, 0, 16);
        a.putInt(24, scope);
        return new Bound(AF_INET6, a, 28);
    }

    /** Java reads {@code ::ffff:a.b.c.d} as IPv4; bind(2) of an AF_INET6 socket wants it mapped. */
    private static byte[] bytes16(byte[] b) {
        if (b.length == 16) return b;
        byte[] m = new byte[16];
        m[10] = (byte) 0xff;
        m[11] = (byte) 0xff;
        System.arraycopy(b, 0, m, 12, 4);
        return m;
    }

    /** An interface by name or number (rtnl_resolve_interface); unknown: ENODEV, as systemd fails. */
    private static int scope(String name) throws IOException {
        if (name == null) return 0;
        if (name.chars().allMatch(Character::isDigit)) return Integer.parseInt(name);
        int i = Sys.C.if_nametoindex(name);
        if (i == 0) throw new IOException("no network interface " + name + " (" + Sys.describe(19) + ")");
        return i;
    }

    /** One end of a connection. */
    record End(int family, String host, int port) {
    }

    static End local(int fd) {
        return end(fd, true);
    }

    static End peer(int fd) {
        return end(fd, false);
    }

    private static End end(int fd, boolean local) {
        Pointer a = Sys.allocate(STORAGE);
        IntByReference len = new IntByReference(STORAGE);
        int rc = local ? Sys.C.getsockname(fd, a, len) : Sys.C.getpeername(fd, a, len);
        if (rc != 0) return null;
        int family = a.getShort(0) & 0xffff;
        int port = ((a.getByte(2) & 0xff) << 8) | (a.getByte(3) & 0xff);
        if (family == AF_INET) return new End(family, ntop(AF_INET, a.slice(4)), port);
        if (family == AF_INET6) return new End(family, ntop(AF_INET6, a.slice(8)), port);
        return new End(family, null, 0);
    }

    private static String ntop(int family, Pointer address) {
        Pointer buf = Sys.allocate(64);
        String s = Sys.C.inet_ntop(family, address, buf, 64);
        return s == null ? "?" : s;
    }

    /** An IPv4 address mapped into IPv6, as the IPv4 address (systemd shows it so). */
    static String unmapped(String host) {
        return host.startsWith("::ffff:") && host.indexOf('.') > 0 ? host.substring("::ffff:".length()) : host;
    }

    /**
     * The instance name systemd gives a connection's service (instance_from_socket): {@code NR-LOCAL-REMOTE}
     * for IP, {@code NR-PID-UID} of the peer for AF_UNIX, {@code NR-unknown} when the peer cannot be told.
     */
    static String instanceName(int fd, long nr) {
        End l = local(fd);
        End r = peer(fd);
        if (l == null || r == null) return nr + "-unknown";
        if (l.family() == AF_INET || l.family() == AF_INET6) {
            boolean mapped = l.host().startsWith("::ffff:") && l.host().indexOf('.') > 0
                    && r.host().startsWith("::ffff:") && r.host().indexOf('.') > 0;
            String lh = mapped ? unmapped(l.host()) : l.host();
            String rh = mapped ? unmapped(r.host()) : r.host();
            return nr + "-" + lh + ":" + l.port() + "-" + rh + ":" + r.port();
        }
        // SO_PEERCRED: struct ucred { pid, uid, gid }.
        Pointer cred = Sys.allocate(12);
        IntByReference len = new IntByReference(12);
        if (Sys.C.getsockopt(fd, 1 /* SOL_SOCKET */, 17 /* SO_PEERCRED */, cred, len) != 0) return nr + "-unknown";
        return nr + "-" + cred.getInt(0) + "-" + (cred.getInt(4) & 0xffffffffL);
    }
}
