package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * One {@code Listen…=} line of a socket unit (systemd.socket(5)), read as systemd's socket_address_parse()
 * reads it: what the socket unit opens and binds when it starts, and passes to its service.
 *
 * @param kind the directive, which gives the socket type
 * @param family where it listens: a file system path, an abstract name, an IP address and port
 * @param path the file system path, or the abstract name without its {@code @}; null for IP
 * @param host the IP address as written (without brackets); null for a port alone and for paths
 * @param port 1 to 65535 for IP; 0 for paths
 * @param scope the interface after {@code %} of an IPv6 address, or null
 */
public record SocketPort(ListenKind kind, Family family, String path, String host, int port, String scope, Source source) {

    /** The directives of the socket types ordo run opens. */
    public enum ListenKind {
        STREAM("ListenStream"),
        DATAGRAM("ListenDatagram"),
        SEQUENTIAL_PACKET("ListenSequentialPacket"),
        FIFO("ListenFIFO");

        private final String key;

        ListenKind(String key) {
            this.key = key;
        }

        /** The unit file key. */
        public String key() {
            return key;
        }

        /** A socket that takes connections (listen(2), accept(2)): stream and sequential packet. */
        public boolean connections() {
            return this == STREAM || this == SEQUENTIAL_PACKET;
        }
    }

    /** Where a socket listens. */
    public enum Family {
        /** An AF_UNIX socket (or a FIFO) in the file system. */
        PATH,
        /** An AF_UNIX socket in the abstract namespace ({@code @name}). */
        ABSTRACT,
        IPV4,
        IPV6,
        /**
         * A port alone: the IPv6 any address, which takes IPv4 too unless BindIPv6Only= says otherwise, or the
         * IPv4 any address where the kernel has no IPv6 (systemd's socket_ipv6_is_supported()).
         */
        ANY
    }

    /** The address as systemd prints it: the path, {@code @name}, {@code 1.2.3.4:80}, {@code [::1]:22}, {@code 22}. */
    public String text() {
        return switch (family) {
            case PATH -> path;
            case ABSTRACT -> "@" + path;
            case IPV4 -> host + ":" + port;
            case IPV6 -> "[" + host + "]:" + port + (scope == null ? "" : "%" + scope);
            case ANY -> Integer.toString(port);
        };
    }

    /** {@code ListenStream=/run/foo.sock}. */
    public String line() {
        return kind.key() + "=" + text();
    }
}
