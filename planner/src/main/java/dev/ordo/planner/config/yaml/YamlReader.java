package dev.ordo.planner.config.yaml;

import dev.ordo.planner.config.EventExprParser;
import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.yaml.YamlNodes.KeyValue;

import dev.ordo.planner.diag.Suggest;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
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
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Template;
import dev.ordo.planner.model.Timespan;
import static dev.ordo.planner.config.yaml.YamlNodes.hasUnknownKey;
import static dev.ordo.planner.config.yaml.YamlNodes.kind;
import static dev.ordo.planner.config.yaml.YamlNodes.text;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * Reads ordo.yaml, ordo's own format (docs/configuration.md): a top-level {@code jobs} map of job name
 * to job.
 *
 * <p>The file is composed into SnakeYAML nodes, never constructed into objects, so every key and value
 * keeps its line and column and no tag can instantiate a class. Each problem becomes a diagnostic at
 * the key or value it is about; the reader goes on and builds every job from what is valid. Values
 * are taken from a scalar's text, not from YAML 1.1's typing: {@code umask: 022} is octal 022, an
 * {@code env} value {@code NO} stays the string {@code NO}.
 */
public final class YamlReader {

    /** Kinds of YAML value, as a key accepts them and as messages name them. */
    enum ValueType {
        STRING("a string"),
        INTEGER("an integer"),
        NUMBER("a number"),
        BOOLEAN("true or false"),
        NULL("nothing"),
        LIST("a list"),
        MAP("a map");

        final String phrase;

        ValueType(String phrase) {
            this.phrase = phrase;
        }
    }

    /** What a key takes: a phrase for messages and the kinds of value it accepts. */
    record Spec(String expected, Set<ValueType> kinds) {
        static Spec of(String expected, ValueType first, ValueType... rest) {
            return new Spec(expected, Collections.unmodifiableSet(EnumSet.of(first, rest)));
        }
    }

    private static final Spec NAMES = Spec.of("a list of job names", ValueType.STRING, ValueType.LIST);
    private static final Spec PROCESS = Spec.of("a command, a script, or a map with `exec` or `script`",
            ValueType.STRING, ValueType.MAP);
    private static final Spec EXEC = Spec.of("a command line, or a list of them", ValueType.STRING, ValueType.LIST);
    private static final Spec SCRIPT = Spec.of("a script (a string, usually a `|` block)", ValueType.STRING);
    private static final Spec DURATION = Spec.of("a duration such as 500ms, 5s or 2m",
            ValueType.STRING, ValueType.INTEGER, ValueType.NUMBER);
    private static final Spec SIGNAL = Spec.of("a signal such as TERM, SIGTERM or 15", ValueType.STRING, ValueType.INTEGER);
    private static final Spec TEXT = Spec.of("a string", ValueType.STRING);
    private static final Spec NAME_ITEM = Spec.of("a name (a string)", ValueType.STRING);

    /** Every job key with what it takes, in the order {@link YamlWriter} writes them. */
    static final Map<String, Spec> JOB = new LinkedHashMap<>();

    static {
        JOB.put("description", TEXT);
        JOB.put("task", Spec.of("true or false", ValueType.BOOLEAN));
        JOB.put("manual", Spec.of("true or false", ValueType.BOOLEAN));
        JOB.put("instance", Spec.of("an instance template (a string such as $TTY)", ValueType.STRING));
        JOB.put("start_on", Spec.of("an event expression (a string)", ValueType.STRING));
        JOB.put("stop_on", Spec.of("an event expression (a string)", ValueType.STRING));
        for (RelationKind k : RelationKind.values()) if (k != RelationKind.TRIGGERS) JOB.put(k.key(), NAMES);
        JOB.put("env", Spec.of("a map of variable names to values", ValueType.MAP));
        JOB.put("export", Spec.of("a list of variable names", ValueType.STRING, ValueType.LIST));
        JOB.put("emits", Spec.of("a list of event names", ValueType.STRING, ValueType.LIST));
        JOB.put("pre_start", PROCESS);
        JOB.put("exec", EXEC);
        JOB.put("script", SCRIPT);
        JOB.put("post_start", PROCESS);
        JOB.put("pre_stop", PROCESS);
        JOB.put("post_stop", PROCESS);
        JOB.put("ready", Spec.of("none, fork, forking, daemon, stop, notify, or a probe such as {tcp: host:port}",
                ValueType.STRING, ValueType.MAP));
        JOB.put("respawn", Spec.of("true, false, or a map {limit: N, interval: 5s}", ValueType.BOOLEAN, ValueType.MAP));
        JOB.put("normal_exit", Spec.of("a list of exit codes and signals", ValueType.LIST, ValueType.INTEGER, ValueType.STRING));
        JOB.put("kill", Spec.of("a map {signal: TERM, timeout: 5s, reload: HUP}", ValueType.MAP));
        JOB.put("console", Spec.of("one of log, output, owner, none", ValueType.STRING));
        JOB.put("user", Spec.of("a user name or uid", ValueType.STRING, ValueType.INTEGER));
        JOB.put("group", Spec.of("a group name or gid", ValueType.STRING, ValueType.INTEGER));
        JOB.put("umask", Spec.of("an octal mask such as 022", ValueType.INTEGER, ValueType.STRING));
        JOB.put("nice", Spec.of("an integer from -20 to 19", ValueType.INTEGER));
        JOB.put("oom_score", Spec.of("an integer from -1000 to 1000", ValueType.INTEGER));
        JOB.put("chdir", Spec.of("an absolute directory path", ValueType.STRING));
        JOB.put("chroot", Spec.of("an absolute directory path", ValueType.STRING));
        JOB.put("limits", Spec.of("a map of resource to limit, such as {nofile: 4096}", ValueType.MAP));
        JOB.put("estimate", DURATION);
    }

    /** The keys a job takes, sorted. */
    public static final List<String> JOB_KEYS = JOB.keySet().stream().sorted().toList();

    /** The same keys in the order {@link YamlWriter} writes them. */
    static final List<String> KEY_ORDER = List.copyOf(JOB.keySet());

    /** {@code ready} modes written as a plain word. */
    public static final List<String> READY_MODES = List.of("none", "fork", "forking", "daemon", "stop", "notify");

    /** {@code ready} probes, each written as a one-key map (with an optional {@code timeout}). */
    public static final List<String> READY_PROBES = List.of("tcp", "exec", "log");

    /** References to a list or map by alias that SnakeYAML accepts in one file. */
    static final int MAX_ALIASES = 5000;

    /** The largest file read: 256 M characters. */
    static final int MAX_CODE_POINTS = 256 * 1024 * 1024;

    /** Keys of other supervisors' formats that people carry over, with what ordo says instead. */
    static final Map<String, String> FOREIGN_KEYS = Map.of(
            "restart", "ordo says `respawn: true` (or a map {limit, interval})",
            "command", "ordo says `exec`",
            "depends_on", "ordo says `requires: [db]` and `after: [db]`",
            "environment", "ordo says `env`",
            "working_dir", "ordo says `chdir`",
            "autostart", "jobs start at boot unless `manual: true`",
            "stop_signal", "ordo says `kill: {signal: ...}`");

    private static final String JOB_NAME_CHARS = "_.@:/+-";
    private static final String KEYS_HINT = "see docs/configuration.md for the keys a job takes";

    private final YamlPositions positions;
    private final String text;
    private final YamlNodes nodes;
    private final List<Job> jobs = new ArrayList<>();

    private YamlReader(String file, String text) {
        // A byte order mark is not part of the document, and editors do not count it as a column.
        this.text = text.startsWith("\uFEFF") ? text.substring(1) : text;
        this.positions = new YamlPositions(file, this.text);
        this.nodes = new YamlNodes(positions);
    }

    /**
     * Reads one ordo.yaml. Never throws for bad input: every problem is a diagnostic with a position.
     *
     * @param file the name to put in sources
     * @param text the file's content
     */
    public static ReadResult read(String file, String text) {
        return new YamlReader(file, text).run();
    }

    private ReadResult run() {
        Node root = null;
        try {
            root = compose();
        } catch (MarkedYAMLException e) {
            syntax(e);
        } catch (YAMLException e) {
            nodes.report(Code.SYNTAX, new Source(positions.file(), 1, 1), clean(e.getMessage()), null);
        } catch (RuntimeException e) {
            // SnakeYAML's guards (nesting depth, size) are not all YAMLExceptions; none may escape.
            nodes.report(Code.SYNTAX, new Source(positions.file(), 1, 1), "cannot parse the file: " + clean(e.toString()), null);
        }
        if (root != null) {
            try {
                top(root);
            } catch (YamlNodes.Expanded e) {
                jobs.clear();
                nodes.report(Code.SYNTAX, positions.at(e.node),
                        "aliases expand to more than " + YamlNodes.MAX_EXPANDED_NODES + " nodes; refusing to read further",
                        "use anchors and aliases for shared settings, not to multiply them");
            }
        }
        List<Diagnostic> ds = new ArrayList<>(new LinkedHashSet<>(nodes.diagnostics()));
        ds.sort(Diagnostic.ORDER);
        List<Job> js = new ArrayList<>(jobs);
        js.sort(Comparator.comparing(Job::name));
        return new ReadResult(js, ds);
    }

    private Node compose() {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setAllowRecursiveKeys(false);
        // SnakeYAML stops at 3 MB by default; a generated configuration of 100k jobs is larger than that.
        options.setCodePointLimit(MAX_CODE_POINTS);
        // What Yaml.compose does, with a resolver that skips the regular expressions where none can match.
        return new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options), new PlainResolver(),
                options).getSingleNode();
    }

    private void syntax(MarkedYAMLException e) {
        Mark problemMark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        Source at = problemMark != null ? positions.at(problemMark) : new Source(positions.file(), 1, 1);
        String problem = clean(e.getProblem());
        String context = clean(e.getContext());
        StringBuilder m = new StringBuilder();
        if (!context.isEmpty()) m.append(context).append(": ");
        m.append(problem.isEmpty() ? "not valid YAML" : problem);
        Mark contextMark = e.getContextMark();
        if (contextMark != null && problemMark != null && contextMark.getLine() != problemMark.getLine()) {
            m.append(" (from line ").append(contextMark.getLine() + 1).append(", column ")
                    .append(contextMark.getColumn() + 1).append(')');
        }
        nodes.report(Code.SYNTAX, at, m.toString(), syntaxHint(problem + " " + context));
    }

    /** SnakeYAML's text on one line, without its own markup. */
    static String clean(String s) {
        if (s == null) return "";
        String t = s.replace("'\\t(TAB)'", "tab").replace("\\t(TAB)", "tab").replace("\t(TAB)", "tab");
        t = t.replaceAll("\\s+", " ").replace(". (", " (").trim();
        while (t.endsWith(".")) t = t.substring(0, t.length() - 1);
        return t;
    }

    private static String syntaxHint(String problem) {
        String p = problem.toLowerCase(Locale.ROOT);
        if (p.contains("tab")) return "indent with spaces; YAML does not allow tabs for indentation";
        if (p.contains("mapping values are not allowed")) {
            return "quote a value that contains `: `, or check the indentation";
        }
        if (p.contains("undefined alias")) return "define the anchor (&name) before the alias (*name) that uses it";
        if (p.contains("single document")) return "an ordo.yaml holds one document; remove the second `---`";
        if (p.contains("could not find expected ':'")) return "each key needs a `:` after it; check the line above";
        return null;
    }

    // ---- structure ------------------------------------------------------------------------------

    private void top(Node root) {
        nodes.touch(root);
        if (!(root instanceof MappingNode map)) {
            if (kind(root) == ValueType.NULL) return; // an empty file: nothing to do
            nodes.report(Code.WRONG_TYPE, positions.at(root),
                    "an ordo.yaml must be a map with `jobs` at the top, got " + kind(root).phrase,
                    "start the file with `jobs:` and put each job under it");
            return;
        }
        Map<String, KeyValue> top = nodes.entries(map, "at the top of the file", List.of("jobs"), true,
                "ordo.yaml has `jobs:` at the top (and `x-` keys to hold anchors); put job definitions under `jobs:`");
        KeyValue jobsEntry = top.get("jobs");
        if (jobsEntry == null) return;
        Node value = jobsEntry.value();
        ValueType k = kind(value);
        if (k == ValueType.NULL) return;
        if (!(value instanceof MappingNode jobsMap)) {
            nodes.report(Code.WRONG_TYPE, positions.at(value), "`jobs` must be a map of job names to jobs, got " + k.phrase,
                    k == ValueType.LIST ? "write `jobs:` then one `name:` per job, each with its keys below it" : null);
            return;
        }
        Map<String, KeyValue> defined = jobEntries(jobsMap);
        for (KeyValue e : defined.values()) job(e);
    }

    /** The jobs map: any key is a job name; a name given twice is a duplicate job. */
    private Map<String, KeyValue> jobEntries(MappingNode jobsMap) {
        return nodes.entries(jobsMap, "in `jobs`", null, false, null, true);
    }

    // ---- jobs -----------------------------------------------------------------------------------

    /** Why {@code name} cannot name a job, or null when it can. */
    static String nameProblem(String name) {
        if (name.isEmpty()) return "is empty";
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (!Character.isLetterOrDigit(c) && JOB_NAME_CHARS.indexOf(c) < 0) {
                return "may only contain letters, digits and `_ . @ : / + -`";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    private void job(KeyValue e) {
        String name = e.key();
        String problem = nameProblem(name);
        if (problem != null) {
            nodes.report(Code.INVALID_VALUE, positions.at(e.keyNode()), "job name `" + name + "` " + problem,
                    name.isBlank() ? null : "for example `" + name.strip().replaceAll("[^\\p{L}\\p{N}_.@:/+-]+", "-") + "`");
            return;
        }
        Node value = e.value();
        ValueType k = kind(value);
        Map<String, KeyValue> keys;
        if (k == ValueType.NULL) {
            keys = Map.of();
        } else if (value instanceof MappingNode m) {
            keys = nodes.entries(m, "in a job", JOB.keySet(), false, KEYS_HINT);
        } else {
            nodes.report(Code.WRONG_TYPE, positions.at(value), "job `" + name + "` must be a map of keys such as `exec` and `start_on`, got "
                    + k.phrase, k == ValueType.STRING ? "write `exec: " + text(value) + "` on the next line, indented" : null);
            return;
        }
        String skipped = secondMain(keys);
        JobReader r = new JobReader(name, positions.at(e.keyNode()));
        for (String key : KEY_ORDER) {
            KeyValue f = keys.get(key);
            if (f != null && !key.equals(skipped) && nodes.accepts(key, f.value(), JOB.get(key))) r.apply(f);
        }
        jobs.add(r.build());
    }

    /** With both `exec` and `script`, reports the one written second and returns its key; the first wins. */
    private String secondMain(Map<String, KeyValue> keys) {
        KeyValue exec = keys.get("exec");
        KeyValue script = keys.get("script");
        if (exec == null || script == null) return null;
        boolean execLater = positions.at(exec.keyNode()).compareTo(positions.at(script.keyNode())) > 0;
        KeyValue later = execLater ? exec : script;
        KeyValue first = execLater ? script : exec;
        nodes.report(Code.INVALID_VALUE, positions.at(later.keyNode()),
                "a job has one main process: `" + later.key() + "` and `" + first.key() + "` are both given",
                "keep one of them; a script can run several commands");
        return later.key();
    }

    /** Builds one job from its keys. */
    private final class JobReader {
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

        JobReader(String name, Source at) {
            this.b = Job.builder(name, Format.YAML, at);
            this.at = at;
        }

        void apply(KeyValue f) {
            String key = f.key();
            Node v = f.value();
            switch (key) {
                case "description" -> b.description(text(v));
                case "task" -> b.task(bool(v));
                case "manual" -> {
                    manual = bool(v);
                    b.manual(manual);
                }
                case "instance" -> {
                    String t = nonBlank(key, v);
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
                    List<String> cmds = commands(key, v);
                    if (cmds != null) b.process(new Process(Phase.MAIN, cmds, null, positions.at(f.keyNode())));
                }
                case "script" -> {
                    String body = script(key, v);
                    if (body != null) b.process(Process.script(Phase.MAIN, body, positions.at(f.keyNode())));
                }
                case "pre_start" -> phase(Phase.PRE_START, f);
                case "post_start" -> phase(Phase.POST_START, f);
                case "pre_stop" -> phase(Phase.PRE_STOP, f);
                case "post_stop" -> phase(Phase.POST_STOP, f);
                case "ready" -> {
                    Readiness r = ready(v);
                    if (r != null) b.ready(r);
                }
                case "respawn" -> respawn(f);
                case "normal_exit" -> normalExit(v);
                case "kill" -> kill((MappingNode) v);
                case "console" -> console(v);
                case "user" -> user = nonBlank(key, v);
                case "group" -> group = nonBlank(key, v);
                case "umask" -> umask = umask(v);
                case "nice" -> nice = integer(key, v, -20, 19);
                case "oom_score" -> oomScore = integer(key, v, -1000, 1000);
                case "chdir" -> chdir = directory(key, v);
                case "chroot" -> chroot = directory(key, v);
                case "limits" -> limits((MappingNode) v);
                case "estimate" -> {
                    Duration d = duration(key, v);
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
                    itemType(key, n, "job name");
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
                    itemType(key, n, variables ? "variable name" : "event name");
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

        private void itemType(String key, Node n, String what) {
            ValueType k = kind(n);
            nodes.report(k == ValueType.NULL ? Code.MISSING_ARGUMENT : Code.WRONG_TYPE, positions.at(n),
                    "items of `" + key + "` must be " + what + "s (strings), got " + k.phrase,
                    k == ValueType.BOOLEAN || k == ValueType.INTEGER || k == ValueType.NUMBER ? "quote it to make it a string" : null);
        }

        private boolean bool(Node v) {
            String t = text(v).toLowerCase(Locale.ROOT);
            return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
        }

        private String nonBlank(String key, Node v) {
            String t = text(v);
            if (t.isBlank()) {
                nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`" + key + "` is empty", "give a value, or remove the key");
                return null;
            }
            return t;
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

        private List<String> commands(String key, Node v) {
            List<String> out = new ArrayList<>();
            boolean ok = true;
            if (v instanceof SequenceNode && ((SequenceNode) v).getValue().isEmpty()) {
                nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`" + key + "` is an empty list", "give at least one command line");
                return null;
            }
            for (Node n : nodes.items(v)) {
                if (kind(n) != ValueType.STRING) {
                    itemType(key, n, "command line");
                    ok = false;
                    continue;
                }
                String c = text(n).strip();
                if (c.isEmpty()) {
                    nodes.report(Code.MISSING_ARGUMENT, positions.at(n), "`" + key + "` is empty", "give a command line");
                    ok = false;
                } else if (YamlPositions.hasBreak(c)) {
                    nodes.report(Code.INVALID_VALUE, positions.at(n), "`" + key + "` is one command line, but this value has several lines",
                            "for several lines of shell, use `script: |` instead");
                    ok = false;
                } else {
                    out.add(c);
                }
            }
            return ok ? out : null;
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
                    List<String> cmds = commands(key + ".exec", exec.value());
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

        private Readiness ready(Node v) {
            if (v instanceof ScalarNode) {
                String t = text(v);
                switch (t) {
                    case "none":
                        return Readiness.NONE;
                    case "fork":
                        return new Readiness.Fork();
                    case "forking":
                        return new Readiness.Forking();
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
                                + "`; use none, fork, forking, daemon, stop, notify, or a probe {tcp: ...}, {exec: ...}, {log: ...}", hint);
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
                Duration d = nodes.accepts("ready.timeout", te.value(), DURATION) ? duration("ready.timeout", te.value()) : null;
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
                    List<String> cmd = commands(label, pv);
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
            if (!bool(notify.value())) {
                nodes.report(Code.INVALID_VALUE, positions.at(notify.value()), "`ready.notify` is false",
                        "write `ready: none` for a job that does not notify, or `notify: true`");
                return null;
            }
            if (te == null) return new Readiness.Notify();
            Duration d = nodes.accepts("ready.timeout", te.value(), DURATION) ? duration("ready.timeout", te.value()) : null;
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

        private void respawn(KeyValue f) {
            Node v = f.value();
            Source where = positions.at(f.keyNode());
            if (kind(v) == ValueType.BOOLEAN) {
                b.respawn(bool(v) ? new Respawn(true, Respawn.DEFAULT_LIMIT, Respawn.DEFAULT_INTERVAL, where) : Respawn.OFF);
                return;
            }
            Map<String, KeyValue> parts = nodes.entries((MappingNode) v, "in `respawn`", List.of("limit", "interval"), false,
                    "`respawn` takes limit and interval");
            int limit = Respawn.DEFAULT_LIMIT;
            Duration interval = Respawn.DEFAULT_INTERVAL;
            KeyValue le = parts.get("limit");
            if (le != null && nodes.accepts("respawn.limit", le.value(), Spec.of("a number of respawns or `unlimited`", ValueType.INTEGER, ValueType.STRING))) {
                String t = text(le.value());
                if (t.equals("unlimited")) {
                    limit = 0;
                } else {
                    Integer n = integer("respawn.limit", le.value(), 0, Integer.MAX_VALUE);
                    if (n != null) limit = n;
                }
            }
            KeyValue ie = parts.get("interval");
            if (ie != null && nodes.accepts("respawn.interval", ie.value(), DURATION)) {
                Duration d = duration("respawn.interval", ie.value());
                if (d != null) interval = d;
            }
            b.respawn(new Respawn(true, limit, interval, where));
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
                    nodes.report(Code.INVALID_VALUE, positions.at(n), "`normal_exit`: " + e.getMessage(), signalHint(t));
                }
            }
        }

        private void kill(MappingNode v) {
            Map<String, KeyValue> parts = nodes.entries(v, "in `kill`", List.of("signal", "timeout", "reload"), false,
                    "`kill` takes signal, timeout and reload");
            Signal signal = Kill.DEFAULT.signal();
            Duration timeout = Kill.DEFAULT.timeout();
            Signal reload = Kill.DEFAULT.reload();
            KeyValue s = parts.get("signal");
            if (s != null && nodes.accepts("kill.signal", s.value(), SIGNAL)) {
                Signal x = signal("kill.signal", s.value());
                if (x != null) signal = x;
            }
            KeyValue t = parts.get("timeout");
            if (t != null && nodes.accepts("kill.timeout", t.value(), DURATION)) {
                Duration d = duration("kill.timeout", t.value());
                if (d != null) timeout = d;
            }
            KeyValue r = parts.get("reload");
            if (r != null && nodes.accepts("kill.reload", r.value(), SIGNAL)) {
                Signal x = signal("kill.reload", r.value());
                if (x != null) reload = x;
            }
            b.kill(new Kill(signal, timeout, reload));
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

        private Integer umask(Node v) {
            String t = text(v).strip();
            String digits = t.startsWith("0o") ? t.substring(2) : t;
            if (!digits.isEmpty() && digits.length() <= 4 && digits.chars().allMatch(c -> c >= '0' && c <= '7')) {
                int m = Integer.parseInt(digits, 8);
                if (m <= 0777) return m;
            }
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`umask` is `" + t + "`; it must be an octal mask from 000 to 777",
                    "for example 022 or 077");
            return null;
        }

        private String directory(String key, Node v) {
            String t = nonBlank(key, v);
            if (t == null) return null;
            if (!t.startsWith("/")) {
                nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + key + "` is `" + t + "`; it must be an absolute path",
                        "start it with `/`");
                return null;
            }
            return t;
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

    // ---- values ---------------------------------------------------------------------------------

    private Integer integer(String label, Node v, int min, int max) {
        String t = text(v).strip();
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + label + "` is `" + t + "`; it must be a whole number", null);
            return null;
        }
        if (n < min || n > max) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + label + "` is " + t + "; it must be from " + min
                    + (max == Integer.MAX_VALUE ? " up" : " to " + max), null);
            return null;
        }
        return (int) n;
    }

    private Duration duration(String label, Node v) {
        try {
            return Timespan.parse(text(v));
        } catch (IllegalArgumentException e) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + label + "`: " + e.getMessage(),
                    "write a duration such as 500ms, 5s, 2m, or a number of seconds");
            return null;
        }
    }

    private Signal signal(String label, Node v) {
        String t = text(v);
        try {
            Signal s = Signal.parse(t);
            if (s.number() == 0) throw new IllegalArgumentException("signal 0 sends nothing");
            return s;
        } catch (IllegalArgumentException e) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + label + "`: " + e.getMessage(), signalHint(t));
            return null;
        }
    }

    private static String signalHint(String t) {
        String u = t.strip().toUpperCase(Locale.ROOT);
        if (u.startsWith("SIG")) u = u.substring(3);
        if (u.isEmpty() || u.chars().allMatch(Character::isDigit)) return null;
        return Suggest.hint(u, Signal.names());
    }
}
