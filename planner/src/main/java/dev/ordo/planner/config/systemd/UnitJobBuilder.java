package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Suggest;

import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Setting;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Timespan;
import dev.ordo.planner.model.Unit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the assignments of one unit (its fragment, then its drop-ins in order) into a job. Keys ordo
 * interprets go into the model; every other key is kept as written in {@link Unit#settings()}.
 */
final class UnitJobBuilder {

    static final List<String> SERVICE_TYPES = List.of(
            "simple", "exec", "forking", "oneshot", "dbus", "notify", "notify-reload", "idle");
    static final List<String> RESTARTS = List.of(
            "no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always");

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

    private static final Map<String, Phase> EXEC = Map.of(
            "ExecStartPre", Phase.PRE_START, "ExecStart", Phase.MAIN, "ExecStartPost", Phase.POST_START,
            "ExecStop", Phase.PRE_STOP, "ExecStopPre", Phase.PRE_STOP, "ExecStopPost", Phase.POST_STOP);

    private static final Map<String, String> LIMITS = Map.ofEntries(
            Map.entry("LimitCPU", "cpu"), Map.entry("LimitFSIZE", "fsize"), Map.entry("LimitDATA", "data"),
            Map.entry("LimitSTACK", "stack"), Map.entry("LimitCORE", "core"), Map.entry("LimitRSS", "rss"),
            Map.entry("LimitNOFILE", "nofile"), Map.entry("LimitAS", "as"), Map.entry("LimitNPROC", "nproc"),
            Map.entry("LimitMEMLOCK", "memlock"), Map.entry("LimitLOCKS", "locks"),
            Map.entry("LimitSIGPENDING", "sigpending"), Map.entry("LimitMSGQUEUE", "msgqueue"),
            Map.entry("LimitNICE", "nice"), Map.entry("LimitRTPRIO", "rtprio"), Map.entry("LimitRTTIME", "rttime"));

    /** Network file systems (fstype_is_network() in systemd's mount-util.c). */
    private static final List<String> NETWORK_FS = List.of(
            "afs", "ceph", "cifs", "smb3", "smbfs", "sshfs", "ncpfs", "ncp", "nfs", "nfs4", "gfs", "gfs2",
            "glusterfs", "gluster", "pvfs2", "ocfs2", "lustre", "davfs");

    final String name;
    final String type;
    final Source source;
    final boolean masked;
    final String template;
    final String instance;
    private final AssignmentValues values;

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
    private final Map<Phase, List<String>> exec = new EnumMap<>(Phase.class);
    private final Map<Phase, Source> execSource = new EnumMap<>(Phase.class);
    private int execStartLines;
    private Source secondExecStart;
    private String restart;
    private Source restartSource;
    private Integer burst;
    private Duration interval;
    private final List<ExitStatus> success = new ArrayList<>();
    private final List<ExitStatus> prevent = new ArrayList<>();
    private Signal killSignal;
    private Duration stopTimeout;
    /** TimeoutStartSec= (or TimeoutSec=) of a service, or null. */
    private Duration startTimeout;
    private final List<EnvVar> env = new ArrayList<>();
    private Integer umask;
    private Integer nice;
    private Integer oom;
    private String chdir;
    private String chroot;
    private String user;
    private String group;
    private final Map<String, Limit> limits = new LinkedHashMap<>();
    private String busName;
    private String triggerOverride;
    private Source triggerOverrideSource;
    private final List<Relation> sockets = new ArrayList<>();
    private String slice;
    private Source sliceSource;
    private boolean onCalendar;
    private Source privateTmp;
    private Source journalOutput;
    private boolean accept;
    String what;
    String where;
    private String fsType;
    private String options;

    UnitJobBuilder(String name, Source source, boolean masked, Consumer<Diagnostic> report) {
        this.name = name;
        this.type = UnitName.type(name);
        this.source = source;
        this.masked = masked;
        this.template = UnitName.isInstance(name) || UnitName.isTemplate(name) ? UnitName.template(name) : null;
        this.instance = UnitName.isInstance(name) ? UnitName.instance(name) : null;
        this.values = new AssignmentValues(name, report);
    }

    void apply(UnitFile.Assignment a) {
        String v = a.value;
        String key = a.key;
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
            used = execContext(a, key, v);
        }
        if (!used) settings.add(new Setting(a.section, key, v, a.keySource));
    }

    private boolean unit(UnitFile.Assignment a, String key, String v) {
        RelationKind kind = DEPENDENCIES.get(key);
        if (kind != null) {
            dependencies(a, kind, declared, Relation.Origin.DECLARED);
            return true;
        }
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
                if (v.isEmpty()) burst = null;
                else burst = values.integer(a, 0, Integer.MAX_VALUE, "StartLimitBurst=");
                return true;
            }
            case "StartLimitIntervalSec", "StartLimitInterval" -> {
                if (v.isEmpty()) interval = null;
                else interval = values.duration(a);
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
                if (v.isEmpty()) restart = null;
                else if (RESTARTS.contains(v)) restart = v;
                else {
                    values.invalid(a.valueSource(), "invalid Restart= `" + v + "`; systemd ignores it", AssignmentValues.oneOf(v, RESTARTS));
                    return true;
                }
                restartSource = a.keySource;
                return true;
            }
            case "StartLimitBurst", "StartLimitInterval" -> {
                return unit(a, key, v);
            }
            case "SuccessExitStatus", "RestartPreventExitStatus" -> {
                List<ExitStatus> into = key.equals("SuccessExitStatus") ? success : prevent;
                if (v.isEmpty()) {
                    into.clear();
                    return true;
                }
                for (UnitValues.Word w : UnitValues.words(v, false)) {
                    try {
                        into.add(UnitValues.exitStatus(w.text()));
                    } catch (IllegalArgumentException e) {
                        values.invalid(a.at(w.offset()), key + "=: " + e.getMessage() + "; systemd ignores it", null);
                    }
                }
                return true;
            }
            case "TimeoutStopSec", "TimeoutSec" -> {
                stopTimeout = v.isEmpty() ? null : values.duration(a);
                if (stopTimeout != null && stopTimeout.isZero()) stopTimeout = Timespan.parse("infinity");
                if (key.equals("TimeoutSec")) startTimeout = stopTimeout;
                return true;
            }
            case "TimeoutStartSec" -> {
                // Kept for Type=notify: how long READY=1 may take (the other types have no start timeout in ordo).
                startTimeout = v.isEmpty() ? null : values.duration(a);
                if (startTimeout != null && startTimeout.isZero()) startTimeout = Timespan.parse("infinity");
                return false;
            }
            case "BusName" -> {
                busName = v.isEmpty() ? null : v;
                settings.add(new Setting(a.section, key, v, a.keySource));
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
        switch (key) {
            case "Service" -> {
                return trigger(a, v);
            }
            case "Accept" -> {
                Boolean b = values.bool(a);
                if (b != null) accept = b;
                settings.add(new Setting(a.section, key, v, a.keySource));
                return true;
            }
            case "ExecStartPre", "ExecStartPost", "ExecStopPre", "ExecStopPost" -> {
                return execContext(a, key, v);
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

    /** Keys of systemd.exec(5), systemd.kill(5) and systemd.resource-control(5) that ordo interprets. */
    private boolean execContext(UnitFile.Assignment a, String key, String v) {
        Phase phase = EXEC.get(key);
        if (phase != null) {
            if (v.isEmpty()) {
                exec.remove(phase);
                execSource.remove(phase);
                if (phase == Phase.MAIN) execStartLines = 0;
                return true;
            }
            String cmd = values.expand(a, v);
            if (cmd == null) return true;
            if (phase == Phase.MAIN && ++execStartLines == 2) secondExecStart = a.keySource;
            exec.computeIfAbsent(phase, p -> new ArrayList<>()).add(cmd);
            execSource.putIfAbsent(phase, a.keySource);
            return true;
        }
        String limit = LIMITS.get(key);
        if (limit != null) {
            if (v.isEmpty()) limits.remove(limit);
            else limit(a, limit);
            return true;
        }
        switch (key) {
            case "Environment" -> environment(a);
            case "WorkingDirectory" -> {
                String d = values.expand(a, v);
                if (d != null) chdir = d.isEmpty() ? null : (d.startsWith("-") ? d.substring(1) : d);
            }
            case "RootDirectory" -> {
                String d = values.expand(a, v);
                if (d != null) chroot = d.isEmpty() ? null : d;
            }
            case "User" -> {
                String d = values.expand(a, v);
                if (d != null) user = d.isEmpty() ? null : d;
            }
            case "Group" -> {
                String d = values.expand(a, v);
                if (d != null) group = d.isEmpty() ? null : d;
            }
            case "UMask" -> {
                try {
                    umask = v.isEmpty() ? null : UnitValues.umask(v);
                } catch (IllegalArgumentException e) {
                    values.invalid(a.valueSource(), "UMask=: " + e.getMessage() + "; systemd ignores it", null);
                }
            }
            case "Nice" -> nice = v.isEmpty() ? null : values.integer(a, -20, 19, "Nice=");
            case "OOMScoreAdjust" -> oom = v.isEmpty() ? null : values.integer(a, -1000, 1000, "OOMScoreAdjust=");
            case "KillSignal" -> {
                if (v.isEmpty()) {
                    killSignal = null;
                } else {
                    try {
                        killSignal = Signal.parse(v);
                    } catch (IllegalArgumentException e) {
                        values.invalid(a.valueSource(), "KillSignal=: " + e.getMessage() + "; systemd ignores it",
                                Suggest.hint(v.toUpperCase(Locale.ROOT).replaceFirst("^SIG", ""), Signal.names()));
                    }
                }
            }
            case "TimeoutStopSec", "TimeoutSec" -> {
                if (!type.equals("service")) {
                    stopTimeout = v.isEmpty() ? null : values.duration(a);
                    if (stopTimeout != null && stopTimeout.isZero()) stopTimeout = Timespan.parse("infinity");
                } else {
                    return false;
                }
            }
            case "PrivateTmp" -> {
                Boolean b = values.bool(a);
                privateTmp = Boolean.TRUE.equals(b) ? a.keySource : null;
                settings.add(new Setting(a.section, key, v, a.keySource));
            }
            case "StandardOutput", "StandardError" -> {
                if (List.of("journal", "journal+console", "kmsg", "kmsg+console").contains(v)) journalOutput = a.keySource;
                settings.add(new Setting(a.section, key, v, a.keySource));
            }
            case "Slice" -> {
                String s = values.expand(a, v);
                if (s == null) return true;
                if (s.isEmpty()) {
                    slice = null;
                } else if (!UnitName.isValid(s) || !"slice".equals(UnitName.type(s))) {
                    values.invalid(a.valueSource(), "Slice= `" + s + "` is not a .slice unit name; systemd ignores it", null);
                } else {
                    slice = s;
                    sliceSource = a.valueSource();
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private void environment(UnitFile.Assignment a) {
        if (a.value.isEmpty()) {
            env.clear();
            return;
        }
        List<UnitValues.Word> words;
        try {
            words = UnitValues.words(a.value, true);
        } catch (IllegalArgumentException e) {
            values.invalid(a.valueSource(), "Environment=: " + e.getMessage() + "; systemd ignores the line",
                    "quote a value with spaces: Environment=\"KEY=a b\"");
            return;
        }
        for (UnitValues.Word w : words) {
            Source at = a.at(w.offset());
            String text;
            try {
                text = UnitSpecifiers.expand(w.text(), name);
            } catch (IllegalArgumentException e) {
                values.invalid(at, e.getMessage() + "; systemd ignores this assignment", null);
                continue;
            }
            int eq = text.indexOf('=');
            if (eq <= 0 || !text.substring(0, eq).matches("[A-Za-z_][A-Za-z0-9_]*")) {
                values.invalid(at, "Environment= `" + text + "` is not an assignment KEY=VALUE; systemd ignores it",
                        "write Environment=KEY=VALUE, quoting values with spaces");
                continue;
            }
            env.add(new EnvVar(text.substring(0, eq), text.substring(eq + 1), at));
        }
    }

    private void limit(UnitFile.Assignment a, String resource) {
        String v = a.value;
        int colon = v.indexOf(':');
        String soft = colon < 0 ? v : v.substring(0, colon);
        String hard = colon < 0 ? v : v.substring(colon + 1);
        try {
            Long s = limitValue(resource, soft);
            Long h = limitValue(resource, hard);
            if (s != null && h != null && s > h) {
                throw new IllegalArgumentException("soft limit " + soft + " is above hard limit " + hard);
            }
            limits.put(resource, new Limit(resource, s, h, a.keySource));
        } catch (IllegalArgumentException e) {
            values.invalid(a.valueSource(), a.key + "=: " + e.getMessage() + "; systemd ignores it",
                    "write a value or SOFT:HARD; infinity means no limit");
        }
    }

    private static Long limitValue(String resource, String text) {
        String t = text.trim();
        if (t.equals("infinity")) return null;
        if (resource.equals("cpu") || resource.equals("rttime")) {
            Duration d;
            try {
                d = t.chars().allMatch(Character::isDigit) && !t.isEmpty()
                        ? (resource.equals("cpu") ? Duration.ofSeconds(Long.parseLong(t)) : Duration.ofNanos(
                                Math.multiplyExact(Long.parseLong(t), 1000L)))
                        : Timespan.parse(t);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("`" + text + "` is not a time span or infinity");
            }
            return resource.equals("cpu") ? d.getSeconds() : d.toNanos() / 1000;
        }
        if (resource.equals("nice")) {
            return (long) UnitValues.integer(t, -20, 40, "nice limit");
        }
        return UnitValues.size(t);
    }

    /** {@code Type=} with systemd's default: dbus with BusName=, simple with ExecStart=, oneshot otherwise. */
    String serviceType() {
        if (!"service".equals(type) || masked) return null;
        if (serviceType != null) return serviceType;
        if (busName != null) return "dbus";
        return exec.containsKey(Phase.MAIN) ? "simple" : "oneshot";
    }

    /** The unit this one activates: a socket, timer or path its service, an automount its mount. */
    String triggers() {
        if (masked) return null;
        switch (type) {
            case "socket":
                if (accept) return null; // one instance of a template per connection, made at run time
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
        if ("service".equals(type) && !masked && secondExecStart != null && !"oneshot".equals(serviceType())) {
            values.invalid(secondExecStart, "more than one ExecStart= line; systemd refuses a " + serviceType()
                    + " service with several", "use Type=oneshot, or put the commands in ExecStartPre=");
        }
    }

    /**
     * The implicit and default dependencies of this unit as the man pages of systemd 252 list them under
     * "Implicit Dependencies" and "Default Dependencies": systemd.service(5), systemd.socket(5),
     * systemd.target(5) (its After= on wanted units is added by the reader, which knows the other units),
     * systemd.timer(5), systemd.path(5), systemd.mount(5), systemd.automount(5), systemd.swap(5),
     * systemd.slice(5), systemd.scope(5), systemd.resource-control(5) (Slice=).
     */
    List<Relation> implicitRelations() {
        List<Relation> out = new ArrayList<>();
        if (masked) return out;
        Source s = source;
        String trigger = triggers();
        if (trigger != null) {
            Source ts = triggerOverrideSource != null ? triggerOverrideSource : s;
            out.add(new Relation(RelationKind.TRIGGERS, trigger, ts, Relation.Origin.IMPLICIT));
            out.add(new Relation(RelationKind.BEFORE, trigger, ts, Relation.Origin.IMPLICIT));
        }
        if ("dbus".equals(serviceType())) {
            add(out, RelationKind.REQUIRES, "dbus.socket", s);
            add(out, RelationKind.AFTER, "dbus.socket", s);
        }
        out.addAll(sockets);
        if (slice != null) {
            add(out, RelationKind.REQUIRES, slice, sliceSource);
            add(out, RelationKind.AFTER, slice, sliceSource);
        }
        if (type.equals("slice")) {
            String parent = parentSlice(name);
            if (parent != null) {
                add(out, RelationKind.REQUIRES, parent, s);
                add(out, RelationKind.AFTER, parent, s);
            }
        }
        if ((type.equals("mount") || type.equals("swap")) && what != null && what.startsWith("/dev/")
                && !isNetwork()) {
            String device = UnitName.pathEscape(what) + ".device";
            add(out, type.equals("mount") ? RelationKind.BINDS_TO : RelationKind.REQUIRES, device, s);
            add(out, RelationKind.AFTER, device, s);
        }
        // systemd.exec(5), "Implicit Dependencies" (paths and mounts other than /tmp are not followed).
        if (privateTmp != null) {
            add(out, RelationKind.WANTS, "tmp.mount", privateTmp);
            add(out, RelationKind.AFTER, "tmp.mount", privateTmp);
            add(out, RelationKind.AFTER, "systemd-tmpfiles-setup.service", privateTmp);
        }
        if (journalOutput != null && !name.equals("systemd-journald.socket")) {
            add(out, RelationKind.AFTER, "systemd-journald.socket", journalOutput);
        }
        if (!defaultDependencies) return out;
        switch (type) {
            case "service", "socket", "timer", "path" -> {
                add(out, RelationKind.REQUIRES, "sysinit.target", s);
                add(out, RelationKind.AFTER, "sysinit.target", s);
                if (type.equals("service")) add(out, RelationKind.AFTER, "basic.target", s);
                if (type.equals("socket")) add(out, RelationKind.BEFORE, "sockets.target", s);
                if (type.equals("timer")) add(out, RelationKind.BEFORE, "timers.target", s);
                if (type.equals("path")) add(out, RelationKind.BEFORE, "paths.target", s);
                if (type.equals("timer") && onCalendar) {
                    add(out, RelationKind.AFTER, "time-set.target", s);
                    add(out, RelationKind.AFTER, "time-sync.target", s);
                }
                shutdown(out, "shutdown.target", s);
            }
            case "target", "slice", "scope" -> {
                if (!name.equals("shutdown.target")) shutdown(out, "shutdown.target", s);
            }
            case "mount" -> {
                shutdown(out, "umount.target", s);
                boolean nofail = options != null && List.of(options.split(",")).contains("nofail");
                if (isNetwork()) {
                    add(out, RelationKind.AFTER, "remote-fs-pre.target", s);
                    add(out, RelationKind.AFTER, "network.target", s);
                    add(out, RelationKind.AFTER, "network-online.target", s);
                    add(out, RelationKind.WANTS, "network-online.target", s);
                    if (!nofail) add(out, RelationKind.BEFORE, "remote-fs.target", s);
                } else {
                    add(out, RelationKind.AFTER, "local-fs-pre.target", s);
                    if (!nofail) add(out, RelationKind.BEFORE, "local-fs.target", s);
                }
            }
            case "automount" -> {
                shutdown(out, "umount.target", s);
                add(out, RelationKind.AFTER, "local-fs-pre.target", s);
                add(out, RelationKind.BEFORE, "local-fs.target", s);
            }
            case "swap" -> {
                shutdown(out, "umount.target", s);
                add(out, RelationKind.BEFORE, "swap.target", s);
            }
            default -> {
                // device units have no default dependencies
            }
        }
        return out;
    }

    private boolean isNetwork() {
        if (options != null && List.of(options.split(",")).contains("_netdev")) return true;
        if (fsType == null) return false;
        String t = fsType.startsWith("fuse.") ? fsType.substring(5) : fsType;
        return NETWORK_FS.contains(t);
    }

    /** {@code system-getty.slice} → {@code system.slice} → {@code -.slice} → none. */
    static String parentSlice(String slice) {
        if (slice.equals("-.slice")) return null;
        String stem = UnitName.stem(slice);
        int dash = stem.lastIndexOf('-');
        return dash <= 0 ? "-.slice" : stem.substring(0, dash) + ".slice";
    }

    private static void shutdown(List<Relation> out, String target, Source s) {
        add(out, RelationKind.CONFLICTS, target, s);
        add(out, RelationKind.BEFORE, target, s);
    }

    private static void add(List<Relation> out, RelationKind kind, String target, Source s) {
        out.add(new Relation(kind, target, s, Relation.Origin.IMPLICIT));
    }

    /** Relations written in [Unit]. */
    List<Relation> declared() {
        return declared;
    }

    /** Builds the job with its final relations. */
    Job build(List<Relation> relations, List<Relation> installRelations) {
        String st = serviceType();
        Job.Builder b = Job.builder(name, Format.SYSTEMD, source)
                .description(description)
                .manual(true)
                .relations(relations);
        if (!masked) {
            for (Map.Entry<Phase, List<String>> e : exec.entrySet()) {
                b.process(new Process(e.getKey(), e.getValue(), null, execSource.get(e.getKey())));
            }
        }
        b.task("oneshot".equals(st) && !remainAfterExit);
        if ("forking".equals(st)) b.ready(new Readiness.Forking());
        else if ("notify".equals(st) || "notify-reload".equals(st)) b.ready(new Readiness.Notify(startTimeout));
        if (restart != null && !restart.equals("no")) {
            int limit = burst != null ? burst : DEFAULT_START_LIMIT_BURST;
            Duration iv = interval != null ? interval : DEFAULT_START_LIMIT_INTERVAL;
            b.respawn(new Respawn(true, limit, iv, restartSource));
            if (!restart.equals("always") && !restart.equals("on-success")) {
                // What systemd calls a clean exit never restarts these (systemd.service(5), Restart=).
                b.normalExit(ExitStatus.code(0));
                for (String sig : List.of("HUP", "INT", "TERM", "PIPE")) b.normalExit(ExitStatus.signal(Signal.parse(sig)));
            }
        } else if (burst != null || interval != null) {
            b.respawn(new Respawn(false, burst != null ? burst : DEFAULT_START_LIMIT_BURST,
                    interval != null ? interval : DEFAULT_START_LIMIT_INTERVAL, null));
        }
        for (ExitStatus x : success) b.normalExit(x);
        for (ExitStatus x : prevent) b.normalExit(x);
        boolean runs = List.of("service", "socket", "mount", "swap").contains(type) && !masked;
        if (runs || killSignal != null || stopTimeout != null) {
            b.kill(new Kill(killSignal != null ? killSignal : Signal.TERM,
                    stopTimeout != null ? stopTimeout : DEFAULT_STOP_TIMEOUT, Signal.HUP));
        }
        for (EnvVar e : env) b.env(e);
        b.resources(new Resources(umask, nice, chdir, chroot, new ArrayList<>(limits.values()), user, group, oom));
        b.unit(new Unit(type, st, defaultDependencies, remainAfterExit, masked, template,
                instance, installRelations, aliases, dropIns, settings));
        return b.build();
    }

    List<Relation> install() {
        return install;
    }
}
