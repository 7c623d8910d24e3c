package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Setting;
import dev.ordo.planner.model.SocketSetup;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Timespan;
import dev.ordo.planner.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the assignments of one unit (its fragment, then its drop-ins in order) into a job. Keys ordo
 * interprets go into the model; every other key is kept as written in {@link Unit#settings()}, and those
 * that ordo run does not apply are reported ({@link DirectiveSupport}).
 */
final class UnitJobBuilder {

    static final List<String> SERVICE_TYPES = List.of(
            "simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle");

    /** systemd's defaults (systemd-system.conf(5)): DefaultTimeoutStopSec, DefaultStartLimitBurst/IntervalSec. */
    static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(90);
    static final int DEFAULT_START_LIMIT_BURST = 5;
    static final Duration DEFAULT_START_LIMIT_INTERVAL = Duration.ofSeconds(10);

    private static final Map<String, RelationKind> DEPENDENCIES = Map.ofEntries(
            Map.entry("Requires", RelationKind.REQUIRES), Map.entry("Wants", RelationKind.WANTS),
            Map.entry("Requisite", RelationKind.REQUISITE), Map.entry("BindsTo", RelationKind.BINDS_TO),
            Map.entry("BindTo", RelationKind.BINDS_TO), Map.entry("PartOf", RelationKind.PART_OF),
            Map.entry("Conflicts", RelationKind.CONFLICTS), Map.entry("After", RelationKind.AFTER),
            Map.entry("Before", RelationKind.BEFORE), Map.entry("OnFailure", RelationKind.ON_FAILURE),
            Map.entry("OnSuccess", RelationKind.ON_SUCCESS));

    final String name;
    /** The job's name: the unit's, or for a per-connection template its template name ({@code ssh@.service}). */
    String jobName;
    final String type;
    final Source source;
    final boolean masked;
    final String template;
    final String instance;
    private final AssignmentValues values;
    final UnitExecContext context;
    private final ServiceRestart restarts;
    private final Consumer<Diagnostic> report;
    /** What this unit gives that ordo run does not apply: reported (ORD025) once the unit is read. */
    private final UnappliedDirectives unapplied = new UnappliedDirectives();
    private final UnitConditions conditions;

    String description;
    boolean defaultDependencies = true;
    boolean remainAfterExit;
    private String serviceType;
    private final List<Relation> declared = new ArrayList<>();
    final List<Relation> links = new ArrayList<>();
    private final List<Relation> install = new ArrayList<>();
    final List<Named> aliases = new ArrayList<>();
    final List<Named> declaredAliases = new ArrayList<>();
    final List<String> dropIns = new ArrayList<>();
    private final List<Setting> settings = new ArrayList<>();
    /** TimeoutStartSec= (or TimeoutSec=) of a service, or null. */
    private Duration startTimeout;
    private String busName;
    private String pidFile;
    private String triggerOverride;
    Source triggerOverrideSource;
    final List<Relation> sockets = new ArrayList<>();
    boolean onCalendar;
    /** Listen…= and the socket keys of a socket unit; Sockets= and StandardInput=socket of a service. */
    private final SocketDirectives socketSide;
    String what;
    String where;
    String fsType;
    String options;

    UnitJobBuilder(String name, Source source, boolean masked, Consumer<Diagnostic> report) {
        this.name = name;
        this.jobName = name;
        this.type = UnitName.type(name);
        this.source = source;
        this.masked = masked;
        this.template = UnitName.isInstance(name) || UnitName.isTemplate(name) ? UnitName.template(name) : null;
        this.instance = UnitName.isInstance(name) ? UnitName.instance(name) : null;
        this.values = new AssignmentValues(name, report);
        this.context = new UnitExecContext(name, type, values, settings);
        this.restarts = new ServiceRestart(values);
        this.report = report;
        this.conditions = new UnitConditions(values);
        this.socketSide = new SocketDirectives(name, values, report);
    }

    void apply(UnitFile.Assignment a) {
        String v = a.value;
        String key = a.key;
        unapplied.note(a);
        boolean used = switch (a.section) {
            case "Unit" -> unit(a, key, v);
            case "Install" -> install(a, key, v);
            case "Service" -> service(a, key, v);
            case "Socket" -> socket(a, key, v);
            case "Timer" -> timer(a, key, v);
            case "Path" -> key.equals("Unit") && trigger(a, v);
            case "Mount" -> mount(a, key, v);
            case "Swap" -> swap(a, key, v);
            default -> false;
        };
        if (!used && (a.section.equals("Service") || a.section.equals("Socket") || a.section.equals("Mount")
                || a.section.equals("Swap") || a.section.equals("Scope"))) {
            used = context.apply(a, key, v);
        }
        if (!used) settings.add(new Setting(a.section, key, v, a.keySource));
    }

    private boolean unit(UnitFile.Assignment a, String key, String v) {
        RelationKind kind = DEPENDENCIES.get(key);
        if (kind != null) {
            dependencies(a, kind, declared, Relation.Origin.DECLARED);
            return true;
        }
        if (conditions.apply(a)) return true;
        switch (key) {
            case "Description" -> {
                String d = values.expand(a, v);
                if (d != null) description = d.isEmpty() ? null : d;
                return true;
            }
            case "DefaultDependencies" -> {
                Boolean b = values.bool(a);
                if (b != null) defaultDependencies = b;
                return true;
            }
            case "StartLimitBurst" -> {
                restarts.startLimitBurst(a, v);
                return true;
            }
            case "StartLimitIntervalSec", "StartLimitInterval" -> {
                restarts.startLimitInterval(a, v);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Reads a list of unit names. An empty value is ignored: systemd.unit(5) says dependencies cannot be reset. */
    private void dependencies(UnitFile.Assignment a, RelationKind kind, List<Relation> into, Relation.Origin origin) {
        for (UnitValues.Word w : UnitValues.words(a.value, false)) {
            Source at = a.at(w.offset());
            String target;
            try {
                target = UnitSpecifiers.expand(w.text(), name);
            } catch (IllegalArgumentException e) {
                values.invalid(at, e.getMessage() + "; systemd ignores this name", null);
                continue;
            }
            if (!values.unitName(a, target, at)) continue;
            into.add(new Relation(kind, target, at, origin));
        }
    }

    private boolean install(UnitFile.Assignment a, String key, String v) {
        switch (key) {
            case "WantedBy", "RequiredBy" -> {
                RelationKind kind = key.equals("WantedBy") ? RelationKind.WANTS : RelationKind.REQUIRES;
                if (v.isEmpty()) {
                    install.removeIf(r -> r.kind() == kind);
                    return true;
                }
                dependencies(a, kind, install, Relation.Origin.INSTALL);
                return true;
            }
            case "Alias" -> {
                if (v.isEmpty()) {
                    declaredAliases.clear();
                    return true;
                }
                for (UnitValues.Word w : UnitValues.words(v, false)) {
                    Source at = a.at(w.offset());
                    String alias;
                    try {
                        alias = UnitSpecifiers.expand(w.text(), name);
                    } catch (IllegalArgumentException e) {
                        values.invalid(at, e.getMessage() + "; systemd ignores this alias", null);
                        continue;
                    }
                    if (!UnitName.isValid(alias) || !type.equals(UnitName.type(alias))) {
                        values.invalid(at, "Alias= `" + alias + "` is not a ." + type + " unit name; systemd ignores it",
                                "an alias has the type of its unit, such as other-name." + type);
                        continue;
                    }
                    declaredAliases.add(new Named(alias, at));
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean service(UnitFile.Assignment a, String key, String v) {
        socketSide.service(a, null);
        switch (key) {
            case "Type" -> {
                if (v.isEmpty()) serviceType = null;
                else if (SERVICE_TYPES.contains(v)) serviceType = v;
                else values.invalid(a.valueSource(), "invalid Type= `" + v + "`; systemd ignores it",
                            AssignmentValues.oneOf(v, SERVICE_TYPES));
                return true;
            }
            case "RemainAfterExit" -> {
                Boolean b = values.bool(a);
                if (b != null) remainAfterExit = b;
                return true;
            }
            case "Restart" -> {
                restarts.restart(a, v);
                return true;
            }
            case "RestartSec" -> {
                restarts.restartDelay(a, v);
                return true;
            }
            case "StartLimitBurst", "StartLimitInterval" -> {
                return unit(a, key, v);
            }
            case "SuccessExitStatus", "RestartPreventExitStatus" -> {
                restarts.exitStatuses(a, key, v);
                return true;
            }
            case "TimeoutStopSec", "TimeoutSec" -> {
                Duration stop = context.stopTimeout(a);
                if (key.equals("TimeoutSec")) startTimeout = stop;
                return true;
            }
            case "TimeoutStartSec" -> {
                // Kept for Type=notify: how long READY=1 may take (the other types have no start timeout in ordo).
                startTimeout = v.isEmpty() ? null : values.duration(a);
                if (startTimeout != null && startTimeout.isZero()) startTimeout = Timespan.parse("infinity");
                return false;
            }
            case "PIDFile" -> {
                String f = values.expand(a, v);
                if (f == null) return true;
                // "If this path is relative, it is hence prefixed with /run/" (systemd.service(5)).
                pidFile = f.isEmpty() ? null : f.startsWith("/") ? f : "/run/" + f;
                return true;
            }
            case "BusName" -> {
                if (!v.isEmpty() && !v.matches("[A-Za-z_-][A-Za-z0-9_-]*(\\.[A-Za-z_-][A-Za-z0-9_-]*)+")) {
                    values.invalid(a.valueSource(), "BusName= `" + v + "` is not a D-Bus name; systemd ignores it",
                            "a well-known name has two or more dot-separated parts, such as org.freedesktop.PolicyKit1");
                    return true;
                }
                busName = v.isEmpty() ? null : v;
                return true;
            }
            case "Sockets" -> {
                for (UnitValues.Word w : UnitValues.words(v, false)) {
                    Source at = a.at(w.offset());
                    String s;
                    try {
                        s = UnitSpecifiers.expand(w.text(), name);
                    } catch (IllegalArgumentException e) {
                        values.invalid(at, e.getMessage() + "; systemd ignores this name", null);
                        continue;
                    }
                    if (!values.unitName(a, s, at)) continue;
                    if (!"socket".equals(UnitName.type(s))) {
                        values.invalid(at, "Sockets= names `" + s + "`, which is not a .socket unit; systemd ignores it", null);
                        continue;
                    }
                    socketSide.service(a, s);
                    sockets.add(new Relation(RelationKind.WANTS, s, at, Relation.Origin.IMPLICIT));
                    sockets.add(new Relation(RelationKind.AFTER, s, at, Relation.Origin.IMPLICIT));
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean socket(UnitFile.Assignment a, String key, String v) {
        if (socketSide.socket(a)) return true;
        switch (key) {
            case "Service" -> {
                if (!v.isEmpty() && !v.endsWith(".service")) {
                    values.invalid(a.valueSource(), "Service= `" + v + "` is not a .service unit; systemd ignores it", null);
                    return true;
                }
                return trigger(a, v);
            }
            case "ExecStartPre", "ExecStartPost", "ExecStopPre", "ExecStopPost" -> {
                return context.apply(a, key, v);
            }
            default -> {
                return false;
            }
        }
    }

    private boolean timer(UnitFile.Assignment a, String key, String v) {
        if (key.equals("Unit")) return trigger(a, v);
        if (key.equals("OnCalendar")) onCalendar = !v.isEmpty();
        return false;
    }

    private boolean trigger(UnitFile.Assignment a, String v) {
        String t = values.expand(a, v);
        if (t == null) return true;
        if (t.isEmpty()) {
            triggerOverride = null;
            return true;
        }
        if (values.unitName(a, t, a.valueSource())) {
            triggerOverride = t;
            triggerOverrideSource = a.valueSource();
        }
        return true;
    }

    private boolean mount(UnitFile.Assignment a, String key, String v) {
        switch (key) {
            case "What" -> what = v;
            case "Where" -> where = v;
            case "Type" -> fsType = v;
            case "Options" -> options = v;
            default -> {
                return false;
            }
        }
        settings.add(new Setting(a.section, key, v, a.keySource));
        return true;
    }

    private boolean swap(UnitFile.Assignment a, String key, String v) {
        if (!key.equals("What")) return false;
        what = v;
        settings.add(new Setting(a.section, key, v, a.keySource));
        return true;
    }

    /** {@code Type=} with systemd's default: dbus with BusName=, simple with ExecStart=, oneshot otherwise. */
    String serviceType() {
        if (!"service".equals(type) || masked) return null;
        if (serviceType != null) return serviceType;
        if (busName != null) return "dbus";
        return context.hasMain() ? "simple" : "oneshot";
    }

    /** The unit this one activates: a socket, timer or path its service, an automount its mount. */
    String triggers() {
        if (masked) return null;
        switch (type) {
            case "socket":
                if (socketSide.accept()) return null; // one instance of a template per connection, made at run time
                return triggerOverride != null ? triggerOverride : UnitName.withType(name, "service");
            case "timer":
            case "path":
                return triggerOverride != null ? triggerOverride : UnitName.withType(name, "service");
            case "automount":
                return UnitName.withType(name, "mount");
            default:
                return null;
        }
    }

    /** Checks made once every line is read. */
    void finish() {
        unapplied.report(report);
        if ("service".equals(type) && !masked && context.secondExecStart() != null && !"oneshot".equals(serviceType())) {
            values.invalid(context.secondExecStart(), "more than one ExecStart= line; systemd refuses a " + serviceType()
                    + " service with several", "use Type=oneshot, or put the commands in ExecStartPre=");
        }
    }

    /** The implicit and default dependencies of this unit (see {@link ImplicitDependencies}). */
    List<Relation> implicitRelations() {
        return ImplicitDependencies.of(this);
    }

    /** Relations written in [Unit]. */
    List<Relation> declared() {
        return declared;
    }

    /** Builds the job with its final relations. */
    Job build(List<Relation> relations, List<Relation> installRelations) {
        String st = serviceType();
        Job.Builder b = Job.builder(jobName, Format.SYSTEMD, source)
                .description(description)
                .manual(true)
                .relations(relations);
        if (!masked) {
            context.processes(b);
        }
        b.task("oneshot".equals(st) && !remainAfterExit);
        if ("forking".equals(st)) b.ready(new Readiness.Forking(pidFile));
        else if ("oneshot".equals(st) && remainAfterExit) b.ready(new Readiness.UpOnExit());
        else if ("dbus".equals(st) && busName != null) b.ready(new Readiness.Exec(busNameProbe(busName), startTimeout));
        else if ("notify".equals(st) || "notify-reload".equals(st)) b.ready(new Readiness.Notify(startTimeout));
        restarts.addTo(b);
        boolean runs = List.of("service", "socket", "mount", "swap").contains(type) && !masked;
        if (runs || context.killSignal() != null || context.stopTimeout() != null) b.kill(context.kill(DEFAULT_STOP_TIMEOUT));
        for (EnvVar e : context.env()) b.env(e);
        b.resources(context.resources());
        SocketSetup socket = !"socket".equals(type) || masked ? null
                : socketSide.build(source, acceptTemplate() != null ? acceptTemplate() : triggers(), triggerOverride != null);
        b.unit(new Unit(type, st, defaultDependencies, remainAfterExit, masked, template, instance, installRelations,
                aliases, dropIns, settings, masked ? List.of() : conditions.all(), socket,
                "service".equals(type) && !masked ? socketSide.serviceSockets() : null));
        return b.build();
    }

    /**
     * Type=dbus: "the service manager will consider the unit up when the specified bus name has been acquired"
     * (systemd.service(5)). ordo asks the bus who owns the name until someone does: GetNameOwner fails
     * while nobody does, so dbus-send exits 0 exactly when the name is taken.
     */
    static String busNameProbe(String name) {
        return "dbus-send --system --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus "
                + "org.freedesktop.DBus.GetNameOwner string:" + name;
    }

    List<Relation> install() {
        return install;
    }

    /**
     * Whether {@code other}, the same unit read for another instance name, runs the same way: the same
     * processes, environment, resources and relations (so the unit does not use its instance name there).
     */
    boolean sameRun(UnitJobBuilder other) {
        Job a = build(List.of(), List.of());
        Job b = other.build(List.of(), List.of());
        return a.processes().equals(b.processes()) && a.env().equals(b.env()) && a.resources().equals(b.resources())
                && declared.equals(other.declared) && links.equals(other.links);
    }

    /** With Accept=yes, the template whose instances serve the connections ({@code ssh@.service}); else null. */
    String acceptTemplate() {
        return "socket".equals(type) && !masked && socketSide.accept() ? UnitName.prefix(name) + "@.service" : null;
    }
}
