package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EnvironmentFile;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.KillMode;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.OutputTarget;
import dev.ordo.planner.model.ServiceDirectory;
import dev.ordo.planner.model.Setting;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Timespan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys of systemd.exec(5), systemd.kill(5) and systemd.resource-control(5) that ordo interprets, as
 * a service, socket, mount, swap or scope unit gives them: the Exec*= command lines, the process's
 * environment, user, directories and limits (setrlimit(2) through Limit*=), how it is stopped, and
 * Slice=, PrivateTmp= and journal output, which bring implicit dependencies.
 */
final class UnitExecContext {

    private static final Map<String, Phase> EXEC = Map.of("ExecCondition", Phase.CONDITION,
            "ExecStartPre", Phase.PRE_START, "ExecStart", Phase.MAIN, "ExecStartPost", Phase.POST_START,
            "ExecStop", Phase.PRE_STOP, "ExecStopPre", Phase.PRE_STOP, "ExecStopPost", Phase.POST_STOP,
            "ExecReload", Phase.RELOAD);

    private static final Map<String, String> LIMITS = Map.ofEntries(
            Map.entry("LimitCPU", "cpu"), Map.entry("LimitFSIZE", "fsize"), Map.entry("LimitDATA", "data"),
            Map.entry("LimitSTACK", "stack"), Map.entry("LimitCORE", "core"), Map.entry("LimitRSS", "rss"),
            Map.entry("LimitNOFILE", "nofile"), Map.entry("LimitAS", "as"), Map.entry("LimitNPROC", "nproc"),
            Map.entry("LimitMEMLOCK", "memlock"), Map.entry("LimitLOCKS", "locks"),
            Map.entry("LimitSIGPENDING", "sigpending"), Map.entry("LimitMSGQUEUE", "msgqueue"),
            Map.entry("LimitNICE", "nice"), Map.entry("LimitRTPRIO", "rtprio"), Map.entry("LimitRTTIME", "rttime"));

    private final String name;
    private final String type;
    private final AssignmentValues values;
    /** The unit's settings kept as written, shared with the builder. */
    private final List<Setting> settings;

    private final Map<Phase, List<ExecLines.Line>> exec = new EnumMap<>(Phase.class);
    private final Map<Phase, Source> execSource = new EnumMap<>(Phase.class);
    private int execStartLines;
    private Source secondExecStart;
    private Signal killSignal;
    private KillMode killMode;
    private boolean sendSigkill = true;
    private boolean sendSighup;
    private Signal finalSignal;
    private Duration stopTimeout;
    private final List<EnvVar> env = new ArrayList<>();
    private final List<EnvironmentFile> environmentFiles = new ArrayList<>();
    /** Directories by kind, as written (the modes are applied when the job is built). */
    private final Map<ServiceDirectory.Base, List<ServiceDirectory>> directories = new EnumMap<>(ServiceDirectory.Base.class);
    private final Map<ServiceDirectory.Base, Integer> directoryModes = new EnumMap<>(ServiceDirectory.Base.class);
    private ServiceDirectory.Preserve preserve;
    /** StandardOutput=, StandardError=: null for the job's log (and for standard error, for standard output's place). */
    private OutputTarget output;
    private OutputTarget error;
    private Integer umask;
    private Integer nice;
    private Integer oom;
    private String chdir;
    private String chroot;
    private String user;
    private String group;
    private final List<String> supplementaryGroups = new ArrayList<>();
    private final Map<String, Limit> limits = new LinkedHashMap<>();
    private String slice;
    private Source sliceSource;
    private Source privateTmp;
    private Source journalOutput;

    UnitExecContext(String name, String type, AssignmentValues values, List<Setting> settings) {
        this.name = name;
        this.type = type;
        this.values = values;
        this.settings = settings;
    }

    /** Reads one assignment; false when it is not a key ordo interprets here. */
    boolean apply(UnitFile.Assignment a, String key, String v) {
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
            List<ExecLines.Line> commands;
            try {
                commands = ExecLines.parse(cmd);
            } catch (IllegalArgumentException e) {
                values.invalid(a.valueSource(), key + "=: " + e.getMessage() + "; systemd ignores the line",
                        "write an absolute path or a plain program name, then its arguments, as in " + key
                                + "=-/usr/bin/prog --flag \"a b\"");
                return true;
            }
            for (int i = 0; i < commands.size(); i++) {
                if (phase == Phase.MAIN && ++execStartLines == 2) secondExecStart = a.keySource;
            }
            exec.computeIfAbsent(phase, p -> new ArrayList<>()).addAll(commands);
            execSource.putIfAbsent(phase, a.keySource);
            return true;
        }
        String limit = LIMITS.get(key);
        if (limit != null) {
            if (v.isEmpty()) limits.remove(limit);
            else limit(a, limit);
            return true;
        }
        for (ServiceDirectory.Base kind : ServiceDirectory.Base.values()) {
            if (key.equals(kind.key())) {
                directories(a, kind);
                return true;
            }
            if (key.equals(kind.key() + "Mode")) {
                try {
                    if (v.isEmpty()) directoryModes.remove(kind);
                    else directoryModes.put(kind, UnitValues.umask(v));
                } catch (IllegalArgumentException e) {
                    values.invalid(a.valueSource(), key + "= `" + v + "` is not an octal mode such as 0750; systemd ignores it", null);
                }
                return true;
            }
        }
        switch (key) {
            case "RuntimeDirectoryPreserve" -> {
                if (v.isEmpty()) {
                    preserve = null;
                } else if (v.equals("restart")) {
                    preserve = ServiceDirectory.Preserve.RESTART;
                } else {
                    Boolean b = values.bool(a);
                    if (b != null) preserve = b ? ServiceDirectory.Preserve.YES : ServiceDirectory.Preserve.NO;
                }
            }
            case "Environment" -> environment(a);
            case "EnvironmentFile" -> {
                String f = values.expand(a, v);
                if (f == null) return true;
                if (f.isEmpty()) {
                    environmentFiles.clear();
                    return true;
                }
                boolean optional = f.startsWith("-");
                String path = optional ? f.substring(1) : f;
                if (!path.startsWith("/")) {
                    values.invalid(a.valueSource(), "EnvironmentFile= `" + path + "` is not an absolute path; systemd ignores it",
                            "write the full path, with a leading - if the file may be missing: EnvironmentFile=-/etc/default/NAME");
                    return true;
                }
                environmentFiles.add(new EnvironmentFile(path, optional, a.keySource));
            }
            case "WorkingDirectory" -> {
                String d = values.expand(a, v);
                // Kept as written: `-` (may be missing) and `~` (the user's home) are resolved when a process starts.
                if (d != null) chdir = d.isEmpty() ? null : d;
            }
            case "RootDirectory" -> {
                String d = values.expand(a, v);
                if (d != null) chroot = d.isEmpty() ? null : d;
            }
            case "User" -> {
                String d = values.expand(a, v);
                if (d != null) user = d.isEmpty() ? null : d;
            }
            case "SupplementaryGroups" -> {
                String e = values.expand(a, v);
                if (e != null && e.isEmpty()) supplementaryGroups.clear();
                else if (e != null) for (UnitValues.Word w : UnitValues.words(e, true)) supplementaryGroups.add(w.text());
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
            case "KillMode" -> {
                KillMode m = null;
                for (KillMode k : KillMode.values()) if (k != KillMode.PROCESS_GROUP && k.word().equals(v)) m = k;
                if (v.isEmpty()) killMode = null;
                else if (m != null) killMode = m;
                else values.invalid(a.valueSource(), "invalid KillMode= `" + v + "`; systemd ignores it",
                            AssignmentValues.oneOf(v, List.of("control-group", "mixed", "process", "none")));
            }
            case "SendSIGKILL" -> {
                Boolean b = v.isEmpty() ? Boolean.TRUE : values.bool(a);
                if (b != null) sendSigkill = b;
            }
            case "SendSIGHUP" -> {
                Boolean b = v.isEmpty() ? Boolean.FALSE : values.bool(a);
                if (b != null) sendSighup = b;
            }
            case "FinalKillSignal" -> {
                if (v.isEmpty()) {
                    finalSignal = null;
                } else {
                    try {
                        finalSignal = Signal.parse(v);
                    } catch (IllegalArgumentException e) {
                        values.invalid(a.valueSource(), "FinalKillSignal=: " + e.getMessage() + "; systemd ignores it",
                                Suggest.hint(v.toUpperCase(Locale.ROOT).replaceFirst("^SIG", ""), Signal.names()));
                    }
                }
            }
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
                    stopTimeout(a);
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
                standardStream(a, key.equals("StandardError"));
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

    /** A list of directory names relative to the kind's base; an empty value resets the list. */
    /**
     * Where {@code StandardOutput=} or {@code StandardError=} sends the stream (systemd.exec(5), "Logging and
     * Standard Input/Output"): the journal and its kin become the job's log, {@code null} and the three file
     * forms are had as systemd has them, {@code inherit} is standard input's null for standard output and
     * standard output's place for standard error, and {@code socket} is the connection, which the socket
     * unit hands over. {@code fd:} names a descriptor of a {@code Sockets=} unit that ordo does not pass.
     */
    private void standardStream(UnitFile.Assignment a, boolean error) {
        String v = a.value.isEmpty() ? "" : values.expand(a, a.value);
        if (v == null) return;
        OutputTarget t;
        int colon = v.indexOf(':');
        String kind = colon < 0 ? v : v.substring(0, colon + 1);
        switch (kind) {
            case "", "socket" -> t = null;
            case "inherit" -> t = error ? null : OutputTarget.DISCARD;
            case "null" -> t = OutputTarget.DISCARD;
            case "journal", "journal+console", "syslog", "syslog+console", "kmsg", "kmsg+console", "tty", "console" ->
                    t = OutputTarget.JOB_LOG;
            case "file:", "append:", "truncate:" -> {
                String path = v.substring(colon + 1);
                if (!path.startsWith("/")) {
                    values.invalid(a.valueSource(), a.key + "= `" + v + "` is not an absolute path; systemd ignores it", null);
                    return;
                }
                OutputTarget.Destination k = kind.equals("file:") ? OutputTarget.Destination.FILE
                        : kind.equals("append:") ? OutputTarget.Destination.APPEND : OutputTarget.Destination.TRUNCATE;
                t = new OutputTarget(k, path);
            }
            case "fd:" -> {
                values.notApplied(a.valueSource(), a.key + "= `" + v + "` is not applied by ordo run: the stream goes to the"
                        + " job's log (ordo passes no named descriptor)", null);
                t = OutputTarget.JOB_LOG;
            }
            default -> {
                values.invalid(a.valueSource(), a.key + "= `" + v + "` is not a place systemd knows; systemd ignores it",
                        "null, inherit, journal, kmsg, tty, socket, file:PATH, append:PATH, truncate:PATH or fd:NAME");
                return;
            }
        }
        if (error) this.error = t;
        else output = t;
    }

    private void directories(UnitFile.Assignment a, ServiceDirectory.Base kind) {
        if (a.value.isEmpty()) {
            directories.remove(kind);
            return;
        }
        for (UnitValues.Word w : UnitValues.words(a.value, true)) {
            Source at = a.at(w.offset());
            String d;
            try {
                d = UnitSpecifiers.expand(w.text(), name);
            } catch (IllegalArgumentException e) {
                values.invalid(at, e.getMessage() + "; systemd ignores this directory", null);
                continue;
            }
            boolean normal = !d.isEmpty() && !d.startsWith("/") && !d.endsWith("/");
            for (String part : d.split("/", -1)) if (part.isEmpty() || part.equals(".") || part.equals("..")) normal = false;
            if (!normal) {
                values.invalid(at, kind.key() + "= `" + d + "` is not a relative path without `..`; systemd ignores it",
                        "name the directory below " + kind.base() + ", such as " + kind.key() + "=" + name.replaceFirst("[.@].*$", ""));
                continue;
            }
            directories.computeIfAbsent(kind, k -> new ArrayList<>()).add(new ServiceDirectory(kind, d, 0755, at));
        }
    }

    /** TimeoutStopSec= (or TimeoutSec=), which a service also gives in [Service]; zero is no timeout. */
    Duration stopTimeout(UnitFile.Assignment a) {
        stopTimeout = a.value.isEmpty() ? null : values.duration(a);
        if (stopTimeout != null && stopTimeout.isZero()) stopTimeout = Timespan.parse("infinity");
        return stopTimeout;
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

    /** Whether an ExecStart= line is given. */
    boolean hasMain() {
        return exec.containsKey(Phase.MAIN);
    }

    /** The second ExecStart= line, or null. */
    Source secondExecStart() {
        return secondExecStart;
    }

    /** How the unit is stopped: KillMode= and the signals of systemd.kill(5), with systemd's defaults. */
    Kill kill(Duration defaultTimeout) {
        return new Kill(killSignal != null ? killSignal : Signal.TERM, stopTimeout != null ? stopTimeout : defaultTimeout,
                Signal.HUP, killMode != null ? killMode : KillMode.CONTROL_GROUP, sendSighup, sendSigkill,
                finalSignal != null ? finalSignal : Signal.KILL);
    }

    /** KillSignal=, or null. */
    Signal killSignal() {
        return killSignal;
    }

    /** The stop timeout given, or null. */
    Duration stopTimeout() {
        return stopTimeout;
    }

    /** Slice=, or null, and where it is given. */
    String slice() {
        return slice;
    }

    Source sliceSource() {
        return sliceSource;
    }

    /** Where PrivateTmp=yes is given, or null. */
    Source privateTmp() {
        return privateTmp;
    }

    /** Where output goes to the journal or kmsg, or null. */
    Source journalOutput() {
        return journalOutput;
    }

    /** The process of each phase, in the order of the phases. */
    void processes(Job.Builder b) {
        for (Map.Entry<Phase, List<ExecLines.Line>> e : exec.entrySet()) {
            List<ExecLines.Line> lines = e.getValue();
            b.process(new Process(e.getKey(), lines.stream().map(ExecLines.Line::written).toList(), null,
                    execSource.get(e.getKey()), lines.stream().map(ExecLines.Line::command).toList()));
        }
    }

    List<EnvVar> env() {
        return env;
    }

    Resources resources() {
        List<ServiceDirectory> dirs = new ArrayList<>();
        for (Map.Entry<ServiceDirectory.Base, List<ServiceDirectory>> e : directories.entrySet()) {
            int mode = directoryModes.getOrDefault(e.getKey(), 0755);
            for (ServiceDirectory d : e.getValue()) dirs.add(new ServiceDirectory(d.kind(), d.path(), mode, d.source()));
        }
        return new Resources(umask, nice, chdir, chroot, new ArrayList<>(limits.values()), user, group, oom, environmentFiles,
                dirs, preserve, supplementaryGroups, output, error);
    }
}
