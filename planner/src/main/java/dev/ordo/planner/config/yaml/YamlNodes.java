package dev.ordo.planner.config.yaml;

import dev.ordo.planner.config.yaml.YamlReader.Spec;
import dev.ordo.planner.config.yaml.YamlReader.ValueType;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.diag.Suggest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * The composed document as the readers walk it (docs/configuration.md, "Anchors and merges"): the keys
 * of a map with YAML merges ({@code <<: *anchor}) applied, duplicate, unknown and non-scalar keys
 * reported, aliases counted against a budget so that no file can make the walk explode, and each
 * value checked against the kinds its key accepts. It holds the diagnostics every part of the read
 * reports into.
 */
final class YamlNodes {

    /**
     * Nodes the reader may visit a second time through aliases and merges. Because the reader only
     * descends where the format has structure, this bounds the work for any file.
     */
    static final int MAX_EXPANDED_NODES = 100_000;

    private final YamlPositions positions;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Map<Node, Boolean> seen = new IdentityHashMap<>();
    private int expanded;

    YamlNodes(YamlPositions positions) {
        this.positions = positions;
    }

    YamlPositions positions() {
        return positions;
    }

    /** What was reported so far, in the order it was. */
    List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** One key of a map, after merges: its text, where it is, and its value. */
    record KeyValue(String key, ScalarNode keyNode, Node value) {
    }

    /**
     * The keys of {@code map} with merges ({@code <<: *anchor}) applied: a key written in the map wins
     * over a merged one, and an earlier merge over a later one. Reports duplicate keys, keys that are
     * not plain scalars and, when {@code known} is not null, unknown keys (which it leaves out).
     */
    Map<String, KeyValue> entries(MappingNode map, String where, Collection<String> known, boolean allowExtensions,
                                  String unknownHint) {
        return entries(map, where, known, allowExtensions, unknownHint, false);
    }

    /** As above; in the {@code jobs} map ({@code jobs == true}) a key given twice is a duplicate job. */
    Map<String, KeyValue> entries(MappingNode map, String where, Collection<String> known, boolean allowExtensions,
                                  String unknownHint, boolean jobs) {
        Map<String, KeyValue> out = collect(map, where, jobs, Collections.newSetFromMap(new IdentityHashMap<>()));
        if (known != null) {
            out.values().removeIf(e -> {
                if (known.contains(e.key())) return false;
                if (allowExtensions && e.key().startsWith("x-")) return true;
                String hint = YamlReader.FOREIGN_KEYS.containsKey(e.key()) && known == YamlReader.JOB.keySet()
                        ? YamlReader.FOREIGN_KEYS.get(e.key()) : Suggest.hint(e.key(), known);
                report(Code.UNKNOWN_KEY, positions.at(e.keyNode()), "unknown key `" + e.key() + "` " + where,
                        hint != null ? hint : unknownHint);
                return true;
            });
        }
        return out;
    }

    private Map<String, KeyValue> collect(MappingNode map, String where, boolean jobs, Set<Node> merging) {
        Map<String, KeyValue> out = new LinkedHashMap<>();
        List<Node> merges = new ArrayList<>();
        for (NodeTuple t : map.getValue()) {
            Node keyNode = t.getKeyNode();
            Node value = t.getValueNode();
            touch(keyNode);
            touch(value);
            if (!(keyNode instanceof ScalarNode key)) {
                report(Code.WRONG_TYPE, positions.at(keyNode), "a key must be a name, got " + kind(keyNode).phrase, null);
                continue;
            }
            if (Tag.MERGE.equals(key.getTag())) {
                merges.add(value);
                continue;
            }
            String name = key.getValue();
            KeyValue first = out.get(name);
            if (first != null) {
                Source f = positions.at(first.keyNode());
                if (jobs) {
                    report(Code.DUPLICATE_JOB, positions.at(key), "job `" + name + "` is defined twice; first at " + f,
                            "rename one of them or remove one definition");
                } else {
                    report(Code.SYNTAX, positions.at(key), "duplicate key `" + name + "` " + where + "; the first is at line "
                            + f.line() + ", column " + f.column(), "remove one of them; YAML keys must be unique");
                }
                continue;
            }
            out.put(name, new KeyValue(name, key, value));
        }
        if (!merges.isEmpty() && merging.add(map)) {
            for (Node m : merges) {
                List<Node> sources = new ArrayList<>();
                if (m instanceof SequenceNode seq) {
                    for (Node n : seq.getValue()) {
                        touch(n);
                        sources.add(n);
                    }
                } else {
                    sources.add(m);
                }
                for (Node s : sources) {
                    if (!(s instanceof MappingNode sm)) {
                        report(Code.WRONG_TYPE, positions.at(s),
                                "`<<` merges a map or a list of maps, got " + kind(s).phrase,
                                "write `<<: *name` where `&name` marks a map");
                        continue;
                    }
                    if (merging.contains(sm)) continue; // a map that merges itself adds nothing new
                    for (KeyValue e : collect(sm, where, jobs, merging).values()) out.putIfAbsent(e.key(), e);
                }
            }
            merging.remove(map);
        }
        return out;
    }

    static boolean hasUnknownKey(MappingNode map, Collection<String> known) {
        for (NodeTuple t : map.getValue()) {
            Node k = t.getKeyNode();
            if (!(k instanceof ScalarNode s) || (!Tag.MERGE.equals(s.getTag()) && !known.contains(s.getValue()))) return true;
        }
        return false;
    }

    List<Node> items(Node n) {
        if (n instanceof SequenceNode seq) {
            for (Node c : seq.getValue()) touch(c);
            return seq.getValue();
        }
        return List.of(n);
    }

    /** Counts nodes visited more than once (through aliases), to refuse files that blow up. */
    void touch(Node n) {
        if (seen.put(n, Boolean.TRUE) != null && ++expanded > MAX_EXPANDED_NODES) throw new Expanded(n);
    }

    static final class Expanded extends RuntimeException {
        final Node node;

        Expanded(Node node) {
            super(null, null, false, false);
            this.node = node;
        }
    }

    static ValueType kind(Node n) {
        if (n instanceof MappingNode) return ValueType.MAP;
        if (n instanceof SequenceNode) return ValueType.LIST;
        Tag t = n.getTag();
        if (Tag.NULL.equals(t)) return ValueType.NULL;
        if (Tag.BOOL.equals(t)) return ValueType.BOOLEAN;
        if (Tag.INT.equals(t)) return ValueType.INTEGER;
        if (Tag.FLOAT.equals(t)) return ValueType.NUMBER;
        return ValueType.STRING; // str, and any other tag: its text is what counts
    }

    /** Reports and returns false when {@code value} is not of a kind {@code spec} accepts. */
    boolean accepts(String label, Node value, Spec spec) {
        ValueType k = kind(value);
        if (spec.kinds().contains(k)) return true;
        if (k == ValueType.NULL) {
            report(Code.MISSING_ARGUMENT, positions.at(value), "`" + label + "` has no value",
                    "give " + spec.expected() + ", or remove the key");
        } else {
            report(Code.WRONG_TYPE, positions.at(value), "`" + label + "` must be " + spec.expected() + ", got " + k.phrase,
                    k == ValueType.STRING || k == ValueType.NULL ? null : wrongTypeHint(spec, k));
        }
        return false;
    }

    private static String wrongTypeHint(Spec spec, ValueType got) {
        if (spec.kinds().contains(ValueType.STRING) && (got == ValueType.BOOLEAN || got == ValueType.INTEGER || got == ValueType.NUMBER)) {
            return "quote it to make it a string";
        }
        if (spec == YamlReader.JOB.get("start_on") && got == ValueType.LIST) {
            return "write one expression: join events with `and` or `or`";
        }
        return null;
    }

    static String text(Node n) {
        return n instanceof ScalarNode s ? s.getValue() : "";
    }

    void report(Code code, Source at, String message, String hint) {
        diagnostics.add(Diagnostic.of(code, at, message, hint));
    }
}
