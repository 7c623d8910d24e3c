package dev.ordo.planner.check;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Events that Upstart systems get from outside any job file: from init itself, from tools such as
 * telinit and ifup, or from bridges (upstart-events(7), U§6). ordo emits only {@code startup} by
 * itself, so these are "external": the check names where they usually come from.
 *
 * @param variables the variables the event carries, in order, or null when they vary
 */
public record WellKnownEvent(String name, String emitter, List<String> variables) {

    private static final Map<String, WellKnownEvent> TABLE = new TreeMap<>();

    static {
        add("startup", "the supervisor, once at boot", List.of());
        add("runlevel", "telinit(8) and shutdown(8)", List.of("RUNLEVEL", "PREVLEVEL"));
        for (String e : List.of("virtual-filesystems", "local-filesystems", "remote-filesystems", "all-swaps",
                "filesystem", "device-not-ready")) {
            add(e, "mountall(8)", null);
        }
        add("mounting", "mountall(8)", List.of("DEVICE", "MOUNTPOINT", "TYPE", "OPTIONS"));
        add("mounted", "mountall(8)", List.of("DEVICE", "MOUNTPOINT", "TYPE", "OPTIONS"));
        for (String e : List.of("net-device-added", "net-device-removed", "net-device-changed")) {
            add(e, "upstart-udev-bridge(8)", null);
        }
        add("net-device-up", "ifup(8)", null);
        add("net-device-down", "ifdown(8)", null);
        add("static-network-up", "ifupdown's if-up.d scripts", null);
        add("deconfiguring-networking", "ifupdown at shutdown", null);
        add("unmounted-remote-filesystems", "the SysV umountnfs script at shutdown", null);
        add("container", "the container-detect job", null);
        add("not-container", "the container-detect job", null);
        add("failsafe-boot", "the failsafe job", null);
        add("recovery", "the recovery boot mode", null);
        add("control-alt-delete", "Upstart's init on Ctrl-Alt-Del", List.of());
        add("keyboard-request", "Upstart's init on Alt-Up", List.of());
        add("power-status-changed", "Upstart's init on SIGPWR", List.of());
        add("session-end", "Upstart's session init", List.of());
        add("desktop-session-start", "the display manager", null);
        add("login-session-start", "the display manager", null);
        add("desktop-shutdown", "the display manager", null);
        add("file", "upstart-file-bridge(8)", null);
        add("socket", "upstart-socket-bridge(8)", null);
        add("dbus", "upstart-dbus-bridge(8)", null);
    }

    private static void add(String name, String emitter, List<String> variables) {
        TABLE.put(name, new WellKnownEvent(name, emitter, variables));
    }

    /** The entry for {@code name}, or null. */
    public static WellKnownEvent of(String name) {
        return TABLE.get(name);
    }
}
