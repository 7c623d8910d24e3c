package dev.ordo.planner.model;

import java.util.List;

/**
 * What a systemd unit adds to a job beyond the common model.
 *
 * @param type the unit type: {@code service}, {@code target}, {@code socket}, {@code timer}, ...
 * @param serviceType {@code Type=} of a service ({@code simple}, {@code exec}, {@code forking},
 *     {@code oneshot}, {@code dbus}, {@code notify}, {@code idle}), or null for other unit types
 * @param template the template this unit was instantiated from ({@code getty@.service}), or null
 * @param instanceName the instance part ({@code tty1}), or null
 * @param install {@code WantedBy=}, {@code RequiredBy=} and {@code Also=} as relations from this unit
 * @param aliases other names of this unit, from {@code Alias=} and alias links
 * @param dropIns the drop-in files applied, in the order they were applied
 * @param settings the keys ordo does not interpret, as written
 * @param conditions its {@code Condition…=} and {@code Assert…=} lines in force, in the order written
 * @param socket a socket unit's sockets and what they activate; null for other units, and for a socket unit
 *     systemd would refuse to load
 * @param serviceSockets what a service takes from socket units besides its activating sockets' fds
 */
public record Unit(String type, String serviceType, boolean defaultDependencies, boolean remainAfterExit,
                   boolean masked, String template, String instanceName, List<Relation> install,
                   List<Named> aliases, List<String> dropIns, List<Setting> settings, List<UnitCondition> conditions,
                   SocketSetup socket, ServiceSockets serviceSockets) {

    public Unit {
        install = List.copyOf(install);
        aliases = List.copyOf(aliases);
        dropIns = List.copyOf(dropIns);
        settings = List.copyOf(settings);
        conditions = List.copyOf(conditions);
        serviceSockets = serviceSockets == null ? ServiceSockets.NONE : serviceSockets;
    }

    /** A unit that has nothing to do with sockets. */
    public Unit(String type, String serviceType, boolean defaultDependencies, boolean remainAfterExit,
                boolean masked, String template, String instanceName, List<Relation> install,
                List<Named> aliases, List<String> dropIns, List<Setting> settings, List<UnitCondition> conditions) {
        this(type, serviceType, defaultDependencies, remainAfterExit, masked, template, instanceName, install,
                aliases, dropIns, settings, conditions, null, null);
    }

    /** A unit without conditions or asserts. */
    public Unit(String type, String serviceType, boolean defaultDependencies, boolean remainAfterExit,
                boolean masked, String template, String instanceName, List<Relation> install,
                List<Named> aliases, List<String> dropIns, List<Setting> settings) {
        this(type, serviceType, defaultDependencies, remainAfterExit, masked, template, instanceName, install,
                aliases, dropIns, settings, List.of());
    }

    /**
     * systemd's name for instance {@code instance} of the unit template {@code template} ({@code inetd@.service} and
     * {@code 0-127.0.0.1:22-127.0.0.1:5555} make {@code inetd@0-127.0.0.1:22-127.0.0.1:5555.service}); null when
     * {@code template} is not a template's name.
     */
    public static String instanceName(String template, String instance) {
        int at = template.indexOf("@.");
        if (at < 0 || instance == null || instance.isEmpty()) return null;
        return template.substring(0, at + 1) + instance + template.substring(at + 1);
    }
}
