package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.SocketPort;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The value of a {@code Listen…=} line as systemd 252 reads it (load-fragment.c config_parse_socket_listen,
 * socket-netlink.c socket_address_parse, socket-util.c sockaddr_un_set_path): a path or {@code @name} for
 * AF_UNIX, a port alone, {@code a.b.c.d:port}, {@code [v6]:port} (with {@code %dev}); for ListenFIFO= an
 * absolute, normalized path. A value systemd rejects throws {@link Invalid} with its reason; one systemd
 * accepts but ordo run does not open (vsock) throws {@link NotOpened}. Pure: no name is looked up.
 */
final class ListenAddresses {

    /** sizeof(sockaddr_un.sun_path): a path needs its NUL as well, an abstract name does not. */
    static final int SUN_PATH = 108;
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
            + "(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9a-fA-F:][0-9a-fA-F:.]*");
    /** ifname_valid_full with alternative and numeric names: no blanks, slashes, colons or percent signs. */
    private static final Pattern IFNAME = Pattern.compile("[^\\s/:%]{1,127}");

    /** A value systemd rejects: the line is ignored. */
    static final class Invalid extends Exception {
        final String hint;

        Invalid(String message, String hint) {
            super(message);
            this.hint = hint;
        }
    }

    /** A value systemd accepts that ordo run does not open. */
    static final class NotOpened extends Exception {
        NotOpened(String message) {
            super(message);
        }
    }

    static final String FORMS = "write a path (/run/foo.sock), @name, a port (80), 1.2.3.4:80 or [::1]:80";

    private ListenAddresses() {
    }

    /** {@code value} has its specifiers expanded already. */
    static SocketPort parse(SocketPort.ListenKind kind, String value, Source at) throws Invalid, NotOpened {
        String key = kind.key() + "=";
        if (kind == SocketPort.ListenKind.FIFO) return new SocketPort(kind, SocketPort.Family.PATH, fifoPath(key, value), null, 0, null, at);
        // "Only for AF_UNIX file system sockets" the legacy /var/run/ becomes /run/ (patch_var_run).
        String v = value.startsWith("/var/run/") ? "/run/" + value.substring("/var/run/".length()) : value;
        if (v.startsWith("/") || v.startsWith("@")) {
            boolean path = v.startsWith("/");
            // sockaddr_un_set_path: at least two characters, and room for a path's NUL in sun_path.
            if (v.length() < 2 || v.length() > SUN_PATH - (path ? 1 : 0)) {
                throw new Invalid(key + " `" + v + "` is not an AF_UNIX address: " + (v.length() < 2 ? "nothing follows `"
                        + v + "`" : "longer than " + (SUN_PATH - (path ? 1 : 0)) + " bytes") + "; systemd ignores the line", null);
            }
            return new SocketPort(kind, path ? SocketPort.Family.PATH : SocketPort.Family.ABSTRACT, path ? v : v.substring(1),
                    null, 0, null, at);
        }
        if (v.startsWith("vsock:")) throw new NotOpened(key + " `" + v + "` (AF_VSOCK) is not applied by ordo run: no socket is opened for it");
        SocketPort ip = ip(kind, key, v, at);
        if (kind == SocketPort.ListenKind.SEQUENTIAL_PACKET) {
            throw new Invalid(key + " `" + v + "`: sequential packet sockets are AF_UNIX only; systemd ignores the line",
                    "write a path or @name");
        }
        return ip;
    }

    private static SocketPort ip(SocketPort.ListenKind kind, String key, String v, Source at) throws Invalid {
        if (DIGITS.matcher(v).matches()) return new SocketPort(kind, SocketPort.Family.ANY, null, null, port(key, v, v), null, at);
        String s = v;
        if (s.indexOf('#') >= 0) throw invalid(key, v);
        String scope = null;
        int pct = s.indexOf('%');
        if (pct >= 0) {
            scope = s.substring(pct + 1);
            if (!IFNAME.matcher(scope).matches()) throw invalid(key, v);
            s = s.substring(0, pct);
        }
        int colon = s.lastIndexOf(':');
        if (colon < 0) throw invalid(key, v); // an address without its port: "No port, no go"
        if (s.startsWith("[")) {
            if (colon < 2 || s.charAt(colon - 1) != ']') throw invalid(key, v);
            String host = s.substring(1, colon - 1);
            int port = port(key, v, s.substring(colon + 1));
            if (!ipv6(host)) throw invalid(key, v);
            return new SocketPort(kind, SocketPort.Family.IPV6, null, host, port, scope, at);
        }
        // Without brackets, a whole IPv6 address has no port; otherwise it is a.b.c.d:port.
        if (ipv6(s)) throw invalid(key, v);
        String host = s.substring(0, colon);
        if (!IPV4.matcher(host).matches() || scope != null) throw invalid(key, v);
        return new SocketPort(kind, SocketPort.Family.IPV4, null, host, port(key, v, s.substring(colon + 1)), null, at);
    }

    /** parse_ip_port: decimal, 1 to 65535. */
    private static int port(String key, String v, String p) throws Invalid {
        if (!DIGITS.matcher(p).matches()) throw invalid(key, v);
        long n = p.length() > 6 ? Long.MAX_VALUE : Long.parseLong(p);
        if (n < 1 || n > 65535) {
            throw new Invalid(key + " `" + v + "`: port " + p + " is out of range (1 to 65535); systemd ignores the line", null);
        }
        return (int) n;
    }

    /**
     * inet_pton(AF_INET6). InetAddress parses a literal without a resolver only when it starts with a hex digit
     * or a colon, so nothing else is handed to it.
     */
    private static boolean ipv6(String host) {
        if (!IPV6_CHARS.matcher(host).matches() || host.indexOf(':') < 0) return false;
        try {
            InetAddress a = InetAddress.getByName(host);
            // Java reads ::ffff:1.2.3.4 as an IPv4 address; inet_pton takes it as IPv6 all the same.
            return a instanceof Inet6Address || a instanceof Inet4Address;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static Invalid invalid(String key, String v) {
        return new Invalid(key + " `" + v + "` is not an address systemd can listen on; systemd ignores the line", FORMS);
    }

    /** path_simplify_and_warn with PATH_CHECK_ABSOLUTE, then /var/run/ as /run/ (patch_var_run). */
    static String fifoPath(String key, String value) throws Invalid {
        String p = absolutePath(key, value);
        return p.startsWith("/var/run/") ? "/run/" + p.substring("/var/run/".length()) : p;
    }

    /** An absolute path, simplified ({@code //} and {@code /./} folded, no trailing slash), without {@code ..}. */
    static String absolutePath(String key, String value) throws Invalid {
        if (!value.startsWith("/")) {
            throw new Invalid(key + " `" + value + "` is not an absolute path; systemd ignores the line", null);
        }
        StringBuilder b = new StringBuilder();
        for (String part : value.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) throw new Invalid(key + " `" + value + "` is not normalized (it has ..); systemd ignores the line", null);
            b.append('/').append(part);
        }
        return b.length() == 0 ? "/" : b.toString();
    }
}
