package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.ServiceSockets;
import dev.ordo.planner.model.SocketPort;
import dev.ordo.planner.model.SocketSetup;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The socket side of a unit, read as systemd 252's load-fragment.c and socket.c read it: a socket unit's
 * {@code Listen…=} lines and the [Socket] keys ordo run applies when it opens them (systemd.socket(5)), then
 * socket_verify()'s refusals; and what a service takes from socket units ({@code Sockets=},
 * {@code StandardInput=socket}, and standard output and error following it).
 */
final class SocketDirectives {

    private static final Map<String, SocketPort.ListenKind> LISTEN = Map.of(
            "ListenStream", SocketPort.ListenKind.STREAM, "ListenDatagram", SocketPort.ListenKind.DATAGRAM,
            "ListenSequentialPacket", SocketPort.ListenKind.SEQUENTIAL_PACKET, "ListenFIFO", SocketPort.ListenKind.FIFO);
    /** Listen…= kinds ordo run does not open: kept as written (ORD025), but ports all the same for systemd. */
    private static final List<String> OTHER_LISTEN = List.of("ListenNetlink", "ListenSpecial", "ListenMessageQueue",
            "ListenUSBFunction");
    /** fdname_is_valid: printable ASCII without ':', at most 255 characters. */
    private static final Pattern FD_NAME = Pattern.compile("[\\x20-\\x39\\x3b-\\x7e]{1,255}");

    private final String name;
    private final AssignmentValues values;
    private final Consumer<Diagnostic> report;

    private final List<SocketPort> ports = new ArrayList<>();
    /** Listen…= lines of kinds ordo run does not open, in force. */
    private final List<Source> otherPorts = new ArrayList<>();
    private boolean accept;
    private Source acceptSource;
    private String user;
    private String group;
    private int socketMode = 0666;
    private int directoryMode = 0755;
    private int backlog = Integer.MAX_VALUE;
    private boolean reusePort;
    private boolean freeBind;
    private Boolean ipv6Only;
    private boolean removeOnStop;
    private final List<String> symlinks = new ArrayList<>();
    private Source symlinksSource;
    private String fdName;
    private int maxConnections = 64;
    private Source maxConnectionsSource;
    private Duration triggerInterval;
    private Integer triggerBurst;

    private final List<String> serviceSockets = new ArrayList<>();
    private String stdin;
    private String stdout;
    private String stderr;

    SocketDirectives(String name, AssignmentValues values, Consumer<Diagnostic> report) {
        this.name = name;
        this.values = values;
        this.report = report;
    }

    /** A [Socket] key of a socket unit; false when it is not one read here. */
    boolean socket(UnitFile.Assignment a) {
        String v = a.value;
        SocketPort.ListenKind kind = LISTEN.get(a.key);
        if (kind != null || OTHER_LISTEN.contains(a.key)) {
            // "If the empty string is assigned to any of these options, the list of addresses to listen on is reset."
            if (v.isEmpty()) {
                ports.clear();
                otherPorts.clear();
                return true;
            }
            if (kind == null) {
                otherPorts.add(a.keySource);
                return false; // kept as written: not applied (ORD025)
            }
            listen(a, kind);
            return true;
        }
        switch (a.key) {
            case "Accept" -> {
                Boolean b = values.bool(a);
                if (b != null) accept = b;
                acceptSource = a.keySource;
            }
            case "SocketUser" -> user = nonEmpty(values.expand(a, v), user);
            case "SocketGroup" -> group = nonEmpty(values.expand(a, v), group);
            case "SocketMode" -> socketMode = mode(a, socketMode, 0666);
            case "DirectoryMode" -> directoryMode = mode(a, directoryMode, 0755);
            case "Backlog" -> {
                Long b = v.isEmpty() ? Long.valueOf(Integer.MAX_VALUE) : unsigned(a);
                // listen(2) takes an int, and the kernel caps it at net.core.somaxconn anyway.
                if (b != null) backlog = (int) Math.min(b, Integer.MAX_VALUE);
            }
            case "ReusePort" -> reusePort = bool(a, reusePort);
            case "FreeBind" -> freeBind = bool(a, freeBind);
            case "RemoveOnStop" -> removeOnStop = bool(a, removeOnStop);
            case "BindIPv6Only" -> bindIpv6Only(a);
            case "Symlinks" -> symlinks(a);
            case "FileDescriptorName" -> {
                String n = values.expand(a, v);
                if (n == null) return true;
                if (n.isEmpty()) fdName = null;
                else if (FD_NAME.matcher(n).matches()) fdName = n;
                else values.invalid(a.valueSource(), "FileDescriptorName= `" + n + "` is not a descriptor name; systemd ignores it",
                            "at most 255 printable ASCII characters, without `:`");
            }
            case "MaxConnections" -> {
                Long m = v.isEmpty() ? Long.valueOf(64) : unsigned(a);
                if (m != null) maxConnections = (int) Math.min(m, Integer.MAX_VALUE);
                maxConnectionsSource = a.keySource;
            }
            case "TriggerLimitIntervalSec" -> triggerInterval = v.isEmpty() ? null : values.duration(a);
            case "TriggerLimitBurst" -> {
                Long b = v.isEmpty() ? null : unsigned(a);
                triggerBurst = b == null ? null : (int) Math.min(b, Integer.MAX_VALUE);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void listen(UnitFile.Assignment a, SocketPort.ListenKind kind) {
        String v = values.expand(a, a.value);
        if (v == null) return;
        try {
            ports.add(ListenAddresses.parse(kind, v, a.keySource));
        } catch (ListenAddresses.Invalid e) {
            values.invalid(a.valueSource(), e.getMessage(), e.hint);
        } catch (ListenAddresses.NotOpened e) {
            report.accept(Diagnostic.of(Code.UNIT_DIRECTIVE_NOT_APPLIED, a.valueSource(), e.getMessage(), null));
            otherPorts.add(a.keySource);
        }
    }

    private static String nonEmpty(String v, String old) {
        if (v == null) return old;
        return v.isEmpty() ? null : v;
    }

    private int mode(UnitFile.Assignment a, int old, int unset) {
        if (a.value.isEmpty()) return unset;
        try {
            return UnitValues.umask(a.value);
        } catch (IllegalArgumentException e) {
            values.invalid(a.valueSource(), a.key + "= `" + a.value + "` is not an octal mode such as 0660; systemd ignores it", null);
            return old;
        }
    }

    private boolean bool(UnitFile.Assignment a, boolean old) {
        Boolean b = values.bool(a);
        return b == null ? (a.value.isEmpty() ? false : old) : b;
    }

    /** config_parse_unsigned: 0 to 4294967295. */
    private Long unsigned(UnitFile.Assignment a) {
        try {
            long n = Long.parseLong(a.value.trim());
            if (n < 0 || n > 0xFFFF_FFFFL) throw new NumberFormatException();
            return n;
        } catch (NumberFormatException e) {
            values.invalid(a.valueSource(), a.key + "= `" + a.value + "` is not a whole number from 0 to 4294967295; systemd ignores it", null);
            return null;
        }
    }

    private void bindIpv6Only(UnitFile.Assignment a) {
        switch (a.value) {
            case "", "default" -> ipv6Only = null;
            case "both" -> ipv6Only = false;
            case "ipv6-only" -> ipv6Only = true;
            default -> {
                // socket_address_bind_ipv6_only_or_bool_from_string: a boolean means ipv6-only or both.
                Boolean b = values.bool(a);
                if (b != null) ipv6Only = b;
            }
        }
    }

    private void symlinks(UnitFile.Assignment a) {
        if (a.value.isEmpty()) {
            symlinks.clear();
            return;
        }
        symlinksSource = a.keySource;
        for (UnitValues.Word w : UnitValues.words(a.value, true)) {
            String p;
            try {
                p = UnitSpecifiers.expand(w.text(), name);
                symlinks.add(ListenAddresses.absolutePath("Symlinks=", p));
            } catch (IllegalArgumentException e) {
                values.invalid(a.at(w.offset()), e.getMessage() + "; systemd ignores Symlinks=", null);
            } catch (ListenAddresses.Invalid e) {
                values.invalid(a.at(w.offset()), e.getMessage(), null);
            }
        }
    }

    /** A [Service] key that tells what the service takes from sockets; false to let the key be read on as before. */
    boolean service(UnitFile.Assignment a, String socketUnit) {
        if (socketUnit != null) {
            serviceSockets.add(socketUnit);
            return false;
        }
        switch (a.key) {
            case "StandardInput" -> stdin = a.value.isEmpty() ? null : a.value;
            case "StandardOutput" -> stdout = a.value.isEmpty() ? null : a.value;
            case "StandardError" -> stderr = a.value.isEmpty() ? null : a.value;
            default -> {
                // nothing of the socket side
            }
        }
        return false;
    }

    /**
     * What the service takes from sockets: standard output defaults to inherit (the connection) when standard
     * input is the socket, and standard error to standard output (systemd.exec(5)).
     */
    ServiceSockets serviceSockets() {
        boolean in = "socket".equals(stdin);
        boolean out = "socket".equals(stdout) || (in && (stdout == null || stdout.equals("inherit")));
        boolean err = "socket".equals(stderr) || (out && (stderr == null || stderr.equals("inherit")));
        if (serviceSockets.isEmpty() && !in && !out && !err) return ServiceSockets.NONE;
        return new ServiceSockets(serviceSockets, in, out, err);
    }

    boolean accept() {
        return accept;
    }

    /**
     * The socket unit's setup, after socket_verify(): null (reported) for a unit systemd refuses to load, whose
     * sockets ordo run does not open either.
     *
     * @param service what traffic starts: the Service= unit or the same-named service; with Accept=yes the
     *     per-connection template
     * @param serviceSet Service= was given
     */
    SocketSetup build(Source unit, String service, boolean serviceSet) {
        String refusal = null;
        Source at = new Source(unit.file(), 1, 1); // the unit as a whole
        int nodes = 0;
        for (SocketPort p : ports) if (p.family() == SocketPort.Family.PATH) nodes++;
        if (ports.isEmpty() && otherPorts.isEmpty()) {
            refusal = "the socket has no Listen…= line (ListenStream=, ListenDatagram=, ListenFIFO=, ...)";
        } else if (accept && (!otherPorts.isEmpty() || ports.stream().anyMatch(p -> !p.kind().connections()))) {
            refusal = "Accept=yes, but not every socket takes connections (datagram sockets and FIFOs do not)";
            at = acceptSource;
        } else if (accept && maxConnections <= 0) {
            refusal = "MaxConnections=0 with Accept=yes";
            at = maxConnectionsSource;
        } else if (accept && serviceSet) {
            refusal = "Service= with Accept=yes (the service of each connection is an instance of " + service + ")";
            at = acceptSource;
        } else if (!symlinks.isEmpty() && nodes != 1) {
            refusal = "Symlinks= needs exactly one socket or FIFO in the file system, and it has " + nodes;
            at = symlinksSource;
        }
        if (refusal != null) {
            values.invalid(at, refusal + "; systemd refuses to load the unit", null);
            return null;
        }
        Duration interval = triggerInterval != null ? triggerInterval : Duration.ofSeconds(2);
        int burst = triggerBurst != null ? triggerBurst : accept ? 200 : 20;
        return new SocketSetup(ports, accept, service, user, group, socketMode, directoryMode, backlog, reusePort, freeBind,
                ipv6Only, removeOnStop, symlinks, fdName, maxConnections, interval, burst);
    }
}
