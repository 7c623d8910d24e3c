package dev.ordo.planner.config.yaml;

import static dev.ordo.planner.config.yaml.YamlNodes.kind;
import static dev.ordo.planner.config.yaml.YamlNodes.text;

import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.yaml.YamlNodes.KeyValue;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.RelationKind;
import java.io.StringReader;
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
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
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
    static final Spec EXEC = Spec.of("a command line, or a list of them", ValueType.STRING, ValueType.LIST);
    static final Spec SCRIPT = Spec.of("a script (a string, usually a `|` block)", ValueType.STRING);
    static final Spec DURATION = Spec.of("a duration such as 500ms, 5s or 2m",
            ValueType.STRING, ValueType.INTEGER, ValueType.NUMBER);
    static final Spec SIGNAL = Spec.of("a signal such as TERM, SIGTERM or 15", ValueType.STRING, ValueType.INTEGER);
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
        JOB.put("condition", PROCESS);
        JOB.put("pre_start", PROCESS);
        JOB.put("exec", EXEC);
        JOB.put("script", SCRIPT);
        JOB.put("post_start", PROCESS);
        JOB.put("pre_stop", PROCESS);
        JOB.put("post_stop", PROCESS);
        JOB.put("reload", PROCESS);
        JOB.put("ready", Spec.of("none, fork, forking, exited, daemon, stop, notify, or a probe such as {tcp: host:port}",
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
    public static final List<String> READY_MODES = List.of("none", "fork", "forking", "exited", "daemon", "stop", "notify");

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
        YamlJobReader r = new YamlJobReader(nodes, name, positions.at(e.keyNode()));
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
}
