package dev.ordo.planner.config.yaml;

import static dev.ordo.planner.config.yaml.YamlNodes.hasUnknownKey;
import static dev.ordo.planner.config.yaml.YamlNodes.text;
import static dev.ordo.planner.config.yaml.YamlReader.DURATION;
import static dev.ordo.planner.config.yaml.YamlReader.READY_MODES;
import static dev.ordo.planner.config.yaml.YamlReader.READY_PROBES;
import static dev.ordo.planner.config.yaml.YamlReader.clean;

import dev.ordo.planner.config.yaml.YamlNodes.KeyValue;
import dev.ordo.planner.config.yaml.YamlReader.Spec;
import dev.ordo.planner.config.yaml.YamlReader.ValueType;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Readiness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * A job's {@code ready} key (docs/configuration.md, "Readiness, respawn, exit, stop"): a mode written as
 * a word (none, fork, forking, exited, daemon, stop, notify), {@code notify} with a timeout of its own, or one
 * probe ({@code tcp}, {@code exec}, {@code log}) with an optional {@code timeout}.
 */
final class YamlReadiness {

    private final YamlNodes nodes;
    private final YamlPositions positions;
    private final YamlValues values;

    YamlReadiness(YamlNodes nodes, YamlValues values) {
        this.nodes = nodes;
        this.positions = nodes.positions();
        this.values = values;
    }

    Readiness ready(Node v) {
        if (v instanceof ScalarNode) {
            String t = text(v);
            switch (t) {
                case "none":
                    return Readiness.NONE;
                case "fork":
                    return new Readiness.Fork();
                case "forking":
                    return new Readiness.Forking();
                case "exited":
                    return new Readiness.UpOnExit();
                case "daemon":
                    return new Readiness.Daemon();
                case "stop":
                    return new Readiness.Stop();
                case "notify":
                    return new Readiness.Notify();
                default:
                    List<String> all = new ArrayList<>(READY_MODES);
                    all.addAll(READY_PROBES);
                    String hint = Suggest.hint(t, READY_MODES);
                    if (hint == null && READY_PROBES.contains(t)) hint = "a probe is a map: write `ready: {" + t + ": ...}`";
                    nodes.report(Code.INVALID_VALUE, positions.at(v), "`ready` is `" + t
                            + "`; use none, fork, forking, exited, daemon, stop, notify, or a probe {tcp: ...}, {exec: ...}, {log: ...}", hint);
                    return null;
            }
        }
        List<String> keys = new ArrayList<>(READY_PROBES);
        keys.add("notify");
        keys.add("timeout");
        Map<String, KeyValue> parts = nodes.entries((MappingNode) v, "in `ready`", keys, false, "`ready` takes tcp, exec, log or notify, and timeout");
        List<KeyValue> probes = new ArrayList<>();
        for (String p : READY_PROBES) if (parts.containsKey(p)) probes.add(parts.get(p));
        KeyValue notify = parts.get("notify");
        if (notify != null) return notifyWithTimeout(notify, probes, parts.get("timeout"));
        if (probes.isEmpty()) {
            // A misspelt probe (`tpc`) was reported as an unknown key; once is enough.
            if (!hasUnknownKey((MappingNode) v, keys)) {
                nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`ready` needs one of `tcp`, `exec`, `log` or `notify`",
                        "for example {tcp: 127.0.0.1:5432} or {notify: true, timeout: 30s}; or write a mode such as `ready: notify`");
            }
            return null;
        }
        probes.sort(Comparator.comparing(p -> positions.at(p.keyNode())));
        boolean ok = true;
        if (probes.size() > 1) {
            nodes.report(Code.INVALID_VALUE, positions.at(probes.get(1).keyNode()), "`ready` takes one probe: `" + probes.get(0).key()
                    + "` and `" + probes.get(1).key() + "` are both given", "keep one of them");
            ok = false;
        }
        Duration timeout = Readiness.DEFAULT_TIMEOUT;
        KeyValue te = parts.get("timeout");
        if (te != null) {
            Duration d = nodes.accepts("ready.timeout", te.value(), DURATION) ? values.duration("ready.timeout", te.value()) : null;
            if (d == null) ok = false;
            else timeout = d;
        }
        KeyValue p = probes.get(0);
        String label = "ready." + p.key();
        Node pv = p.value();
        switch (p.key()) {
            case "tcp": {
                if (!nodes.accepts(label, pv, Spec.of("host:port such as 127.0.0.1:5432", ValueType.STRING, ValueType.INTEGER))) return null;
                Readiness.Tcp tcp = tcp(pv, timeout);
                return ok ? tcp : null;
            }
            case "exec": {
                if (!nodes.accepts(label, pv, Spec.of("a command line", ValueType.STRING))) return null;
                List<String> cmd = values.commands(label, pv);
                return ok && cmd != null ? new Readiness.Exec(cmd.get(0), timeout) : null;
            }
            default: {
                if (!nodes.accepts(label, pv, Spec.of("a regular expression", ValueType.STRING))) return null;
                String re = text(pv);
                if (re.isEmpty()) {
                    nodes.report(Code.MISSING_ARGUMENT, positions.at(pv), "`ready.log` is empty", "give a regular expression a line of output matches");
                    return null;
                }
                try {
                    Pattern.compile(re);
                } catch (PatternSyntaxException e) {
                    nodes.report(Code.INVALID_VALUE, positions.at(pv), "`ready.log` is not a regular expression: "
                            + clean(e.getDescription()) + " near index " + e.getIndex(), null);
                    return null;
                }
                return ok ? new Readiness.Log(re, timeout) : null;
            }
        }
    }

    /** {@code ready: {notify: true, timeout: 30s}}: READY=1 with a timeout of its own. */
    private Readiness notifyWithTimeout(KeyValue notify, List<KeyValue> probes, KeyValue te) {
        if (!probes.isEmpty()) {
            nodes.report(Code.INVALID_VALUE, positions.at(probes.get(0).keyNode()), "`ready` is either notify or a probe: `notify` and `"
                    + probes.get(0).key() + "` are both given", "keep one of them");
            return null;
        }
        if (!nodes.accepts("ready.notify", notify.value(), Spec.of("true", ValueType.BOOLEAN))) return null;
        if (!YamlValues.bool(notify.value())) {
            nodes.report(Code.INVALID_VALUE, positions.at(notify.value()), "`ready.notify` is false",
                    "write `ready: none` for a job that does not notify, or `notify: true`");
            return null;
        }
        if (te == null) return new Readiness.Notify();
        Duration d = nodes.accepts("ready.timeout", te.value(), DURATION) ? values.duration("ready.timeout", te.value()) : null;
        return d == null ? null : new Readiness.Notify(d);
    }

    private Readiness.Tcp tcp(Node v, Duration timeout) {
        String t = text(v).strip();
        int colon = t.lastIndexOf(':');
        String host = colon > 0 ? t.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        String port = colon >= 0 ? t.substring(colon + 1) : "";
        int p = -1;
        if (!port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit)) p = Integer.parseInt(port);
        if (host.isEmpty() || host.chars().anyMatch(Character::isWhitespace) || p < 1 || p > 65535) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`ready.tcp` is `" + t + "`; it must be host:port with a port from 1 to 65535",
                    "for example 127.0.0.1:5432, localhost:80 or [::1]:8080");
            return null;
        }
        return new Readiness.Tcp(host, p, timeout);
    }
}
