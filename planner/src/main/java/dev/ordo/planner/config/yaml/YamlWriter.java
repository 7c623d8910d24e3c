package dev.ordo.planner.config.yaml;

import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.ExitStatus;
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
import dev.ordo.planner.model.Timespan;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Writes jobs as canonical ordo.yaml: jobs sorted by name, keys in one fixed order, defaults left out,
 * lists of names in flow style, scripts as {@code |} blocks. {@link YamlReader} reads the text back to
 * the same model (sources aside).
 *
 * <p>The text is produced by SnakeYAML's emitter from a node tree, so quoting is always right: a
 * string that would read back as something else ({@code "022"}, {@code "yes"}, {@code "a: b"}) is
 * quoted, anything else is not.
 *
 * <p>What ordo.yaml cannot say is left out or said another way: systemd specifics ({@link Job#unit()})
 * and {@code triggers} relations are not written; a respawn limit without respawn is dropped; a job
 * with no start condition that is not manual (an Upstart job without {@code start on}) is written
 * with {@code manual: true}, which is what it means. Relations are written as declared.
 */
public final class YamlWriter {

    private YamlWriter() {
    }

    /** The canonical ordo.yaml for {@code jobs}. */
    public static String write(List<Job> jobs) {
        List<Job> sorted = new ArrayList<>(jobs);
        sorted.sort(Comparator.comparing(Job::name));
        List<NodeTuple> entries = new ArrayList<>();
        for (Job j : sorted) entries.add(new NodeTuple(str(j.name()), job(j)));
        Node jobsNode = new MappingNode(Tag.MAP, entries,
                entries.isEmpty() ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
        Node root = new MappingNode(Tag.MAP, List.of(new NodeTuple(str("jobs"), jobsNode)), DumperOptions.FlowStyle.BLOCK);
        StringWriter out = new StringWriter();
        new Yaml(options()).serialize(root, out);
        return out.toString();
    }

    private static DumperOptions options() {
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setIndent(2);
        o.setIndicatorIndent(2);
        o.setIndentWithIndicator(true);
        o.setWidth(1_000_000);
        o.setSplitLines(false);
        o.setAllowUnicode(true);
        o.setLineBreak(DumperOptions.LineBreak.UNIX);
        return o;
    }

    private static Node job(Job j) {
        Map<String, Node> keys = new LinkedHashMap<>();
        if (j.description() != null) keys.put("description", str(j.description()));
        if (j.task()) keys.put("task", bool(true));
        if (j.manual() || j.startOn() == null) keys.put("manual", bool(true));
        if (j.instance() != null) keys.put("instance", str(j.instance().text()));
        if (j.startOn() != null) keys.put("start_on", str(j.startOn().text()));
        if (j.stopOn() != null) keys.put("stop_on", str(j.stopOn().text()));
        for (RelationKind k : RelationKind.values()) {
            if (k == RelationKind.TRIGGERS) continue;
            List<Node> targets = new ArrayList<>();
            for (Relation r : j.relations(k)) targets.add(str(r.target()));
            if (!targets.isEmpty()) keys.put(k.key(), flowList(targets));
        }
        if (!j.env().isEmpty()) {
            List<NodeTuple> env = new ArrayList<>();
            for (EnvVar v : j.env()) {
                env.add(new NodeTuple(str(v.key()), v.value() == null ? new ScalarNode(Tag.NULL, "null", null, null,
                        DumperOptions.ScalarStyle.PLAIN) : str(v.value())));
            }
            keys.put("env", new MappingNode(Tag.MAP, env, DumperOptions.FlowStyle.BLOCK));
        }
        if (!j.export().isEmpty()) keys.put("export", flowList(names(j.export())));
        if (!j.emits().isEmpty()) keys.put("emits", flowList(names(j.emits())));
        for (Phase phase : Phase.values()) {
            Process p = j.processes().get(phase);
            if (p == null) continue;
            if (phase == Phase.MAIN) {
                if (p.isScript()) keys.put("script", script(p.script()));
                else keys.put("exec", commands(p.exec()));
            } else {
                keys.put(phase.yamlKey(), phase(p));
            }
        }
        if (!(j.ready() instanceof Readiness.None) && j.ready() != null) keys.put("ready", ready(j.ready()));
        if (j.respawn() != null && j.respawn().enabled()) keys.put("respawn", respawn(j.respawn()));
        if (!j.normalExit().isEmpty()) {
            List<Node> statuses = new ArrayList<>();
            for (ExitStatus s : j.normalExit()) statuses.add(s.code() != null ? integer(s.code()) : str(s.signal().name()));
            keys.put("normal_exit", flowList(statuses));
        }
        if (j.kill() != null && !j.kill().equals(Kill.DEFAULT)) keys.put("kill", kill(j.kill()));
        if (j.console() != null && j.console() != Console.LOG) {
            keys.put("console", str(j.console().name().toLowerCase(Locale.ROOT)));
        }
        Resources r = j.resources() == null ? Resources.DEFAULT : j.resources();
        if (r.user() != null) keys.put("user", str(r.user()));
        if (r.group() != null) keys.put("group", str(r.group()));
        // Quoted ('022'): YAML 1.1 reads a bare 022 as octal and YAML 1.2 as decimal; ordo reads the text.
        if (r.umask() != null) keys.put("umask", str(String.format("%03o", r.umask())));
        if (r.nice() != null) keys.put("nice", integer(r.nice()));
        if (r.oomScore() != null) keys.put("oom_score", integer(r.oomScore()));
        if (r.chdir() != null) keys.put("chdir", str(r.chdir()));
        if (r.chroot() != null) keys.put("chroot", str(r.chroot()));
        if (!r.limits().isEmpty()) {
            List<NodeTuple> limits = new ArrayList<>();
            for (Limit l : r.limits()) limits.add(new NodeTuple(str(l.resource()), limit(l)));
            keys.put("limits", new MappingNode(Tag.MAP, limits, DumperOptions.FlowStyle.BLOCK));
        }
        if (j.estimate() != null) keys.put("estimate", duration(j.estimate()));

        List<NodeTuple> tuples = new ArrayList<>();
        for (String key : YamlReader.KEY_ORDER) {
            Node v = keys.get(key);
            if (v != null) tuples.add(new NodeTuple(str(key), v));
        }
        return new MappingNode(Tag.MAP, tuples, tuples.isEmpty() ? DumperOptions.FlowStyle.FLOW : DumperOptions.FlowStyle.BLOCK);
    }

    /** A phase as a plain string where the reader would read it back the same, else as a map. */
    private static Node phase(Process p) {
        if (p.isScript()) {
            if (YamlPositions.hasBreak(p.script().stripTrailing())) return script(p.script());
            return map("script", script(p.script()));
        }
        if (p.exec().size() == 1 && !YamlPositions.hasBreak(p.exec().get(0))) return str(p.exec().get(0));
        return map("exec", commands(p.exec()));
    }

    private static Node commands(List<String> exec) {
        if (exec.size() == 1) return str(exec.get(0));
        List<Node> items = new ArrayList<>();
        for (String c : exec) items.add(str(c));
        return new SequenceNode(Tag.SEQ, items, DumperOptions.FlowStyle.BLOCK);
    }

    private static Node script(String body) {
        if (body.indexOf('\u0085') >= 0 || body.indexOf('\u2028') >= 0 || body.indexOf('\u2029') >= 0) return str(body);
        return new ScalarNode(Tag.STR, body, null, null, DumperOptions.ScalarStyle.LITERAL);
    }

    private static Node ready(Readiness r) {
        if (r instanceof Readiness.Tcp t) {
            String host = t.host().indexOf(':') >= 0 ? "[" + t.host() + "]" : t.host();
            return probe("tcp", str(host + ":" + t.port()), t.timeout());
        }
        if (r instanceof Readiness.Exec e) return probe("exec", str(e.command()), e.timeout());
        if (r instanceof Readiness.Log l) return probe("log", str(l.pattern()), l.timeout());
        if (r instanceof Readiness.Notify n && n.timeout() != null && !n.timeout().equals(Readiness.DEFAULT_TIMEOUT)) {
            return probe("notify", bool(true), n.timeout());
        }
        return str(r.mode());
    }

    private static Node probe(String key, Node value, Duration timeout) {
        List<NodeTuple> t = new ArrayList<>();
        t.add(new NodeTuple(str(key), value));
        if (timeout != null && !timeout.equals(Readiness.DEFAULT_TIMEOUT)) t.add(new NodeTuple(str("timeout"), duration(timeout)));
        return new MappingNode(Tag.MAP, t, DumperOptions.FlowStyle.BLOCK);
    }

    private static Node respawn(Respawn r) {
        boolean defaults = r.limit() == Respawn.DEFAULT_LIMIT && Respawn.DEFAULT_INTERVAL.equals(r.interval());
        if (defaults && r.delay().isZero()) return bool(true);
        List<NodeTuple> t = new ArrayList<>();
        t.add(new NodeTuple(str("limit"), r.limit() == 0 ? str("unlimited") : integer(r.limit())));
        t.add(new NodeTuple(str("interval"), duration(r.interval())));
        if (!r.delay().isZero()) t.add(new NodeTuple(str("delay"), duration(r.delay())));
        return new MappingNode(Tag.MAP, t, DumperOptions.FlowStyle.BLOCK);
    }

    private static Node kill(Kill k) {
        List<NodeTuple> t = new ArrayList<>();
        if (!k.signal().equals(Kill.DEFAULT.signal())) t.add(new NodeTuple(str("signal"), str(k.signal().name())));
        if (!k.timeout().equals(Kill.DEFAULT.timeout())) t.add(new NodeTuple(str("timeout"), duration(k.timeout())));
        if (!k.reload().equals(Kill.DEFAULT.reload())) t.add(new NodeTuple(str("reload"), str(k.reload().name())));
        // SendSIGHUP=, SendSIGKILL= and FinalKillSignal= have no ordo.yaml key: a converted unit keeps its mode only.
        if (k.mode() != Kill.DEFAULT.mode()) t.add(new NodeTuple(str("mode"), str(k.mode().word())));
        return new MappingNode(Tag.MAP, t, DumperOptions.FlowStyle.BLOCK);
    }

    private static Node limit(Limit l) {
        if (l.soft() == null && l.hard() == null) return str("unlimited");
        if (l.soft() != null && l.soft().equals(l.hard())) return integer(l.soft());
        return flowList(List.of(limitValue(l.soft()), limitValue(l.hard())));
    }

    private static Node limitValue(Long v) {
        return v == null ? str("unlimited") : integer(v);
    }

    private static List<Node> names(List<Named> names) {
        List<Node> out = new ArrayList<>();
        for (Named n : names) out.add(str(n.name()));
        return out;
    }

    private static Node map(String key, Node value) {
        return new MappingNode(Tag.MAP, List.of(new NodeTuple(str(key), value)), DumperOptions.FlowStyle.BLOCK);
    }

    private static Node flowList(List<Node> items) {
        return new SequenceNode(Tag.SEQ, items, DumperOptions.FlowStyle.FLOW);
    }

    private static Node duration(Duration d) {
        return str(Timespan.format(d));
    }

    private static Node str(String s) {
        // Text with line breaks goes in double quotes, with the breaks escaped. SnakeYAML's emitter
        // gets plain multi-line scalars wrong ("(:" then a break reads as a key) and leaves NEL, LS
        // and PS bare, where a reader takes them for line breaks.
        return new ScalarNode(Tag.STR, s, null, null,
                YamlPositions.hasBreak(s) ? DumperOptions.ScalarStyle.DOUBLE_QUOTED : DumperOptions.ScalarStyle.PLAIN);
    }

    private static Node integer(long n) {
        return new ScalarNode(Tag.INT, Long.toString(n), null, null, DumperOptions.ScalarStyle.PLAIN);
    }

    private static Node bool(boolean b) {
        return new ScalarNode(Tag.BOOL, Boolean.toString(b), null, null, DumperOptions.ScalarStyle.PLAIN);
    }
}
