package dev.ordo.planner.config.yaml;

import static dev.ordo.planner.config.yaml.YamlNodes.hasUnknownKey;
import static dev.ordo.planner.config.yaml.YamlNodes.kind;
import static dev.ordo.planner.config.yaml.YamlNodes.text;
import static dev.ordo.planner.config.yaml.YamlReader.DURATION;
import static dev.ordo.planner.config.yaml.YamlReader.EXEC;
import static dev.ordo.planner.config.yaml.YamlReader.SCRIPT;
import static dev.ordo.planner.config.yaml.YamlReader.SIGNAL;
import static dev.ordo.planner.config.yaml.YamlReader.nameProblem;

import dev.ordo.planner.config.EventExprParser;
import dev.ordo.planner.config.yaml.YamlNodes.KeyValue;
import dev.ordo.planner.config.yaml.YamlReader.Spec;
import dev.ordo.planner.config.yaml.YamlReader.ValueType;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.KillMode;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Builds one job from its keys, each already checked for the kind of value it takes (docs/configuration.md,
 * "Job keys"): what the job is, when it starts and stops, its relations, environment and events, its
 * processes, readiness, respawn, exit and stop, and its resources. A bad value is reported at itself
 * and leaves its key out; the job is still built from the rest.
 */
final class YamlJobReader {
    private final YamlNodes nodes;
    private final YamlPositions positions;
    private final YamlValues values;
    private final YamlReadiness readiness;
    private final Job.Builder b;
    private final Source at;
    private Integer umask;
    private Integer nice;
    private Integer oomScore;
    private String chdir;
    private String chroot;
    private String user;
    private String group;
    private final List<Limit> limits = new ArrayList<>();
    private boolean startOnGiven;
    private boolean manual;

    YamlJobReader(YamlNodes nodes, String name, Source at) {
        this.nodes = nodes;
        this.positions = nodes.positions();
        this.values = new YamlValues(nodes);
        this.readiness = new YamlReadiness(nodes, values);
        this.b = Job.builder(name, Format.YAML, at);
        this.at = at;
    }

    void apply(KeyValue f) {
        String key = f.key();
        Node v = f.value();
        switch (key) {
            case "description" -> b.description(text(v));
            case "task" -> b.task(YamlValues.bool(v));
            case "manual" -> {
                manual = YamlValues.bool(v);
                b.manual(manual);
            }
            case "instance" -> {
                String t = values.nonBlank(key, v);
                if (t != null) b.instance(new Template(t, positions.at(v)));
            }
            case "start_on" -> {
                startOnGiven = true;
                EventExpr ex = expression(key, (ScalarNode) v);
                if (ex != null) b.startOn(ex);
            }
            case "stop_on" -> {
                EventExpr ex = expression(key, (ScalarNode) v);
                if (ex != null) b.stopOn(ex);
            }
            case "env" -> env((MappingNode) v);
            case "export" -> {
                for (Node n : names(key, v, true)) b.export(new Named(text(n), positions.at(n)));
            }
            case "emits" -> {
                for (Node n : names(key, v, false)) b.emits(new Named(text(n), positions.at(n)));
            }
            case "exec" -> {
                List<String> cmds = values.commands(key, v);
                if (cmds != null) b.process(new Process(Phase.MAIN, cmds, null, positions.at(f.keyNode())));
            }
            case "script" -> {
                String body = script(key, v);
                if (body != null) b.process(Process.script(Phase.MAIN, body, positions.at(f.keyNode())));
            }
            case "condition" -> phase(Phase.CONDITION, f);
            case "pre_start" -> phase(Phase.PRE_START, f);
            case "post_start" -> phase(Phase.POST_START, f);
            case "pre_stop" -> phase(Phase.PRE_STOP, f);
            case "post_stop" -> phase(Phase.POST_STOP, f);
            case "reload" -> phase(Phase.RELOAD, f);
            case "ready" -> {
                Readiness r = readiness.ready(v);
                if (r != null) b.ready(r);
            }
            case "respawn" -> respawn(f);
            case "normal_exit" -> normalExit(v);
            case "kill" -> kill((MappingNode) v);
            case "console" -> console(v);
            case "user" -> user = values.nonBlank(key, v);
            case "group" -> group = values.nonBlank(key, v);
            case "umask" -> umask = values.umask(v);
            case "nice" -> nice = values.integer(key, v, -20, 19);
            case "oom_score" -> oomScore = values.integer(key, v, -1000, 1000);
            case "chdir" -> chdir = values.workingDirectory(key, v);
            case "chroot" -> chroot = values.directory(key, v);
            case "limits" -> limits((MappingNode) v);
            case "estimate" -> {
                Duration d = values.duration(key, v);
                if (d != null) b.estimate(d);
            }
            default -> relation(key, v);
        }
    }

    Job build() {
        if (!startOnGiven && !manual) b.startOn(new EventExpr.Match("startup", List.of(), at));
        Resources res = new Resources(umask, nice, chdir, chroot, limits, user, group, oomScore);
        if (!res.equals(Resources.DEFAULT)) b.resources(res);
        return b.build();
    }

    private void relation(String key, Node v) {
        RelationKind kind = null;
        for (RelationKind k : RelationKind.values()) if (k.key().equals(key)) kind = k;
        boolean single = !(v instanceof SequenceNode);
        for (Node n : nodes.items(v)) {
            if (kind(n) != ValueType.STRING) {
                values.itemType(key, n, "job name");
                continue;
            }
            String target = text(n);
            String problem = nameProblem(target);
            if (problem != null) {
                boolean several = single && target.strip().contains(" ");
                nodes.report(Code.INVALID_VALUE, positions.at(n), "`" + target + "` in `" + key + "` is not a job name: it "
                        + problem, several ? "write several jobs as a list: [" + String.join(", ",
                        target.strip().split("\\s+")) + "]" : null);
                continue;
            }
            b.relation(Relation.declared(kind, target, positions.at(n)));
        }
    }

    /** The items of a list of names (or one name): non-empty strings without blanks. */
    private List<Node> names(String key, Node v, boolean variables) {
        String what = variables ? "a variable name" : "an event name";
        List<Node> out = new ArrayList<>();
        for (Node n : nodes.items(v)) {
            if (kind(n) != ValueType.STRING) {
                values.itemType(key, n, variables ? "variable name" : "event name");
                continue;
            }
            String t = text(n);
            String problem = t.isEmpty() ? "it is empty"
                    : t.chars().anyMatch(Character::isWhitespace) ? "it contains a blank"
                    : variables && t.contains("=") ? "it contains `=`"
                    : variables && t.startsWith("$") ? "it starts with `$`"
                    : null;
            if (problem != null) {
                nodes.report(Code.INVALID_VALUE, positions.at(n), "`" + t + "` in `" + key + "` is not " + what + ": " + problem,
                        variables && t.startsWith("$") && t.length() > 1 ? "drop the `$`: write `" + t.substring(1) + "`" : null);
                continue;
            }
            out.add(n);
        }
        return out;
    }

    private EventExpr expression(String key, ScalarNode v) {
        EventExprParser.ParsedExpr r = EventExprParser.parse(v.getValue(), positions.within(v));
        nodes.diagnostics().addAll(r.diagnostics());
        return r.expr();
    }

    private void env(MappingNode map) {
        for (KeyValue e : nodes.entries(map, "in `env`", null, false, null).values()) {
            String k = e.key();
            if (k.isEmpty() || k.contains("=") || k.indexOf('\0') >= 0) {
                nodes.report(Code.INVALID_VALUE, positions.at(e.keyNode()),
                        "`" + k + "` in `env` is not a variable name" + (k.isEmpty() ? ": it is empty" : ": it contains `=`"),
                        k.contains("=") ? "write `" + k.substring(0, k.indexOf('=')) + ": value`" : null);
                continue;
            }
            Node v = e.value();
            ValueType kind = kind(v);
            if (kind == ValueType.LIST || kind == ValueType.MAP) {
                nodes.report(Code.WRONG_TYPE, positions.at(v), "`env` value of `" + k + "` must be a string, number or boolean, got "
                        + kind.phrase, kind == ValueType.LIST ? "quote the whole value to pass a list as text" : null);
                continue;
            }
            b.env(new EnvVar(k, kind == ValueType.NULL ? null : text(v), positions.at(e.keyNode())));
        }
    }

    private String script(String key, Node v) {
        String body = text(v);
        if (body.isBlank()) {
            nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`" + key + "` is empty", "give the script's lines, or remove the key");
            return null;
        }
        return body;
    }

    private void phase(Phase phase, KeyValue f) {
        String key = f.key();
        Node v = f.value();
        Source where = positions.at(f.keyNode());
        if (v instanceof MappingNode m) {
            Map<String, KeyValue> parts = nodes.entries(m, "in `" + key + "`", List.of("exec", "script"), false,
                    "`" + key + "` takes `exec` or `script`");
            KeyValue exec = parts.get("exec");
            KeyValue script = parts.get("script");
            if (exec == null && script == null) {
                if (!hasUnknownKey(m, List.of("exec", "script"))) {
                    nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`" + key + "` needs `exec` or `script`",
                            "write `" + key + ": command` or `" + key + ": {exec: command}`");
                }
                return;
            }
            if (exec != null && script != null) {
                KeyValue later = positions.at(exec.keyNode()).compareTo(positions.at(script.keyNode())) > 0 ? exec : script;
                nodes.report(Code.INVALID_VALUE, positions.at(later.keyNode()),
                        "`" + key + "` takes `exec` or `script`, not both", "keep one of them");
                if (later == exec) exec = null;
                else script = null;
            }
            if (exec != null) {
                if (!nodes.accepts(key + ".exec", exec.value(), EXEC)) return;
                List<String> cmds = values.commands(key + ".exec", exec.value());
                if (cmds != null) b.process(new Process(phase, cmds, null, where));
            } else {
                if (!nodes.accepts(key + ".script", script.value(), SCRIPT)) return;
                String body = script(key + ".script", script.value());
                if (body != null) b.process(Process.script(phase, body, where));
            }
            return;
        }
        String t = text(v);
        if (t.isBlank()) {
            nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`" + key + "` is empty", "give a command or a script, or remove the key");
            return;
        }
        if (YamlPositions.hasBreak(t.stripTrailing())) {
            b.process(Process.script(phase, t, where));
        } else {
            b.process(Process.exec(phase, t.strip(), where));
        }
    }

    private void respawn(KeyValue f) {
        Node v = f.value();
        Source where = positions.at(f.keyNode());
        if (kind(v) == ValueType.BOOLEAN) {
            b.respawn(YamlValues.bool(v) ? new Respawn(true, Respawn.DEFAULT_LIMIT, Respawn.DEFAULT_INTERVAL, where) : Respawn.OFF);
            return;
        }
        Map<String, KeyValue> parts = nodes.entries((MappingNode) v, "in `respawn`", List.of("limit", "interval", "delay"), false,
                "`respawn` takes limit, interval and delay");
        int limit = Respawn.DEFAULT_LIMIT;
        Duration interval = Respawn.DEFAULT_INTERVAL;
        KeyValue le = parts.get("limit");
        if (le != null && nodes.accepts("respawn.limit", le.value(), Spec.of("a number of respawns or `unlimited`", ValueType.INTEGER, ValueType.STRING))) {
            String t = text(le.value());
            if (t.equals("unlimited")) {
                limit = 0;
            } else {
                Integer n = values.integer("respawn.limit", le.value(), 0, Integer.MAX_VALUE);
                if (n != null) limit = n;
            }
        }
        KeyValue ie = parts.get("interval");
        if (ie != null && nodes.accepts("respawn.interval", ie.value(), DURATION)) {
            Duration d = values.duration("respawn.interval", ie.value());
            if (d != null) interval = d;
        }
        Duration delay = Duration.ZERO;
        KeyValue de = parts.get("delay");
        if (de != null && nodes.accepts("respawn.delay", de.value(), DURATION)) {
            Duration d = values.duration("respawn.delay", de.value());
            if (d != null) delay = d;
        }
        b.respawn(new Respawn(true, limit, interval, where, delay));
    }

    private void normalExit(Node v) {
        for (Node n : nodes.items(v)) {
            ValueType k = kind(n);
            if (k != ValueType.INTEGER && k != ValueType.STRING) {
                nodes.report(k == ValueType.NULL ? Code.MISSING_ARGUMENT : Code.WRONG_TYPE, positions.at(n),
                        "items of `normal_exit` must be exit codes or signals, got " + k.phrase, null);
                continue;
            }
            String t = text(n);
            try {
                b.normalExit(ExitStatus.parse(t));
            } catch (IllegalArgumentException e) {
                nodes.report(Code.INVALID_VALUE, positions.at(n), "`normal_exit`: " + e.getMessage(), YamlValues.signalHint(t));
            }
        }
    }

    private void kill(MappingNode v) {
        Map<String, KeyValue> parts = nodes.entries(v, "in `kill`", List.of("signal", "timeout", "reload", "mode"), false,
                "`kill` takes signal, timeout, reload and mode");
        Signal signal = Kill.DEFAULT.signal();
        Duration timeout = Kill.DEFAULT.timeout();
        Signal reload = Kill.DEFAULT.reload();
        KeyValue s = parts.get("signal");
        if (s != null && nodes.accepts("kill.signal", s.value(), SIGNAL)) {
            Signal x = values.signal("kill.signal", s.value());
            if (x != null) signal = x;
        }
        KeyValue t = parts.get("timeout");
        if (t != null && nodes.accepts("kill.timeout", t.value(), DURATION)) {
            Duration d = values.duration("kill.timeout", t.value());
            if (d != null) timeout = d;
        }
        KeyValue r = parts.get("reload");
        if (r != null && nodes.accepts("kill.reload", r.value(), SIGNAL)) {
            Signal x = values.signal("kill.reload", r.value());
            if (x != null) reload = x;
        }
        KillMode mode = KillMode.PROCESS_GROUP;
        KeyValue m = parts.get("mode");
        if (m != null) {
            String w = YamlNodes.text(m.value());
            KillMode found = null;
            for (KillMode k : KillMode.values()) if (k.word().equals(w)) found = k;
            List<String> words = java.util.Arrays.stream(KillMode.values()).map(KillMode::word).toList();
            if (found != null) mode = found;
            else nodes.report(Code.INVALID_VALUE, positions.at(m.value()), "`kill.mode` is `" + w + "`; use "
                    + String.join(", ", words), Suggest.hint(w, words));
        }
        b.kill(new Kill(signal, timeout, reload, mode, false, true, Signal.KILL));
    }

    private void console(Node v) {
        String t = text(v);
        for (Console c : Console.values()) {
            if (c.name().toLowerCase(Locale.ROOT).equals(t)) {
                b.console(c);
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (Console c : Console.values()) names.add(c.name().toLowerCase(Locale.ROOT));
        nodes.report(Code.INVALID_VALUE, positions.at(v), "`console` is `" + t + "`; use one of " + String.join(", ", names),
                Suggest.hint(t, names));
    }

    private void limits(MappingNode v) {
        for (KeyValue e : nodes.entries(v, "in `limits`", Limit.RESOURCES, false,
                "resources are " + String.join(", ", Limit.RESOURCES)).values()) {
            String label = "limits." + e.key();
            Node lv = e.value();
            if (!nodes.accepts(label, lv, Spec.of("a number, `unlimited`, or [soft, hard]", ValueType.INTEGER, ValueType.STRING, ValueType.LIST))) {
                continue;
            }
            Long[] softHard;
            if (lv instanceof SequenceNode seq) {
                List<Node> items = nodes.items(seq);
                if (items.size() != 2) {
                    nodes.report(Code.INVALID_VALUE, positions.at(lv), "`" + label + "` has " + items.size()
                            + " values; give one, or two: [soft, hard]", null);
                    continue;
                }
                boolean[] ok = {true, true};
                Long soft = limitValue(label, items.get(0), ok, 0);
                Long hard = limitValue(label, items.get(1), ok, 1);
                if (!ok[0] || !ok[1]) continue;
                if (hard != null && (soft == null || soft > hard)) {
                    nodes.report(Code.INVALID_VALUE, positions.at(items.get(0)), "`" + label + "`: the soft limit "
                            + (soft == null ? "unlimited" : soft) + " is above the hard limit " + hard,
                            "the soft limit can be at most the hard limit");
                    continue;
                }
                softHard = new Long[] {soft, hard};
            } else {
                boolean[] ok = {true};
                Long both = limitValue(label, lv, ok, 0);
                if (!ok[0]) continue;
                softHard = new Long[] {both, both};
            }
            limits.add(new Limit(e.key(), softHard[0], softHard[1], positions.at(e.keyNode())));
        }
    }

    private Long limitValue(String label, Node n, boolean[] ok, int i) {
        ValueType k = kind(n);
        String t = text(n).strip();
        if (k == ValueType.STRING && t.equals("unlimited")) return null;
        if (k == ValueType.INTEGER || k == ValueType.STRING) {
            try {
                long x = Long.parseLong(t);
                if (x >= 0) return x;
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        nodes.report(Code.INVALID_VALUE, positions.at(n), "`" + label + "` is `" + (n instanceof ScalarNode ? t : k.phrase)
                + "`; a limit is a number from 0 up, or `unlimited`", k == ValueType.STRING ? Suggest.hint(t, List.of("unlimited")) : null);
        ok[i] = false;
        return null;
    }
}
