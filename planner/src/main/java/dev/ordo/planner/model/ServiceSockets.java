package dev.ordo.planner.model;

import java.util.List;

/**
 * What a service takes from socket units besides the sockets of those that activate it (systemd.service(5)
 * {@code Sockets=}, systemd.exec(5) {@code StandardInput=socket}).
 *
 * @param sockets the socket units named in {@code Sockets=}: their listening sockets are passed too
 * @param input {@code StandardInput=socket}: a per-connection instance's standard input is its connection
 * @param output standard output is the connection ({@code StandardOutput=socket}, or its default with
 *     {@code StandardInput=socket})
 * @param error standard error is the connection (likewise, following standard output by default)
 */
public record ServiceSockets(List<String> sockets, boolean input, boolean output, boolean error) {

    public static final ServiceSockets NONE = new ServiceSockets(List.of(), false, false, false);

    public ServiceSockets {
        sockets = List.copyOf(sockets);
    }
}
