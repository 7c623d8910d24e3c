package dev.ordo.planner.model;

import java.time.Duration;
import java.util.List;

/**
 * What a socket unit's {@code [Socket]} section asks (systemd.socket(5)) of what ordo run does: the sockets
 * and FIFOs it opens when it starts, how their file system nodes are made, and what it activates.
 *
 * @param ports the {@code Listen…=} lines in force, in order
 * @param accept {@code Accept=yes}: a service instance per connection, given only that connection
 * @param service the unit traffic starts ({@code Service=}, or the socket's own name as a service); with
 *     {@code accept}, the job of the per-connection template ({@code foo@.service}); null when there is none
 * @param user {@code SocketUser=}, or null for root
 * @param group {@code SocketGroup=}, or null (the user's group, else root)
 * @param socketMode {@code SocketMode=}: the mode of the socket or FIFO node (0666)
 * @param directoryMode {@code DirectoryMode=}: the mode of the parent directories made for it (0755)
 * @param backlog {@code Backlog=}; {@link Integer#MAX_VALUE} lets net.core.somaxconn decide, as systemd's default
 * @param reusePort {@code ReusePort=}: SO_REUSEPORT on IP sockets
 * @param freeBind {@code FreeBind=}: IP_FREEBIND/IPV6_FREEBIND on IP sockets
 * @param ipv6Only {@code BindIPv6Only=}: true for ipv6-only, false for both, null for the kernel's default
 * @param removeOnStop {@code RemoveOnStop=}: the nodes and symlinks are removed when the socket stops
 * @param symlinks {@code Symlinks=}: links made to the one node in the file system
 * @param fdName {@code FileDescriptorName=}, or null for the unit's name (in {@code $LISTEN_FDNAMES})
 * @param maxConnections {@code MaxConnections=}: per-connection instances at once (64)
 * @param triggerInterval {@code TriggerLimitIntervalSec=} (2 s); zero turns the limit off
 * @param triggerBurst {@code TriggerLimitBurst=}: activations per interval (20, 200 with accept); 0 turns it off
 */
public record SocketSetup(List<SocketPort> ports, boolean accept, String service, String user, String group,
                          int socketMode, int directoryMode, int backlog, boolean reusePort, boolean freeBind,
                          Boolean ipv6Only, boolean removeOnStop, List<String> symlinks, String fdName,
                          int maxConnections, Duration triggerInterval, int triggerBurst) {

    public SocketSetup {
        ports = List.copyOf(ports);
        symlinks = List.copyOf(symlinks);
    }

    /** The name its descriptors have in {@code $LISTEN_FDNAMES}: FileDescriptorName=, or the unit's own name. */
    public String fdName(String unit) {
        return fdName != null ? fdName : unit;
    }
}
