package dev.ordo.planner.config.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * SnakeYAML's resolver (2.4), computed the same way without allocating: it runs the same regular
 * expressions in the same order with the same length limits, but through one reusable
 * {@link java.util.regex.Matcher} each instead of a new one per scalar (a quarter of the memory a
 * 100,000-job file used to take to compose). The table is recorded as SnakeYAML registers it; if
 * it does not come out the same shape as SnakeYAML's own, every call goes to SnakeYAML.
 */
final class PlainResolver extends Resolver {

    private record Rule(Tag tag, java.util.regex.Matcher matcher, int limit) {
    }

    /** Filled in by the super constructor (through {@link #addImplicitResolver}), hence no initialiser. */
    private Map<Character, List<Rule>> rules;
    private final boolean own;

    PlainResolver() {
        super();
        boolean same = rules != null && rules.keySet().equals(yamlImplicitResolvers.keySet());
        if (same) {
            for (Map.Entry<Character, List<Rule>> e : rules.entrySet()) {
                same &= yamlImplicitResolvers.get(e.getKey()).size() == e.getValue().size();
            }
        }
        own = same;
    }

    @Override
    public void addImplicitResolver(Tag tag, Pattern regexp, String first, int limit) {
        super.addImplicitResolver(tag, regexp, first, limit);
        if (regexp == null) return; // SnakeYAML has refused it already
        if (rules == null) rules = new java.util.HashMap<>();
        if (first == null) {
            rules.computeIfAbsent(null, k -> new ArrayList<>()).add(new Rule(tag, regexp.matcher(""), limit));
            return;
        }
        for (char c : first.toCharArray()) {
            // As SnakeYAML does: a NUL among the first characters means "any first character".
            Character key = c == 0 ? null : c;
            rules.computeIfAbsent(key, k -> new ArrayList<>()).add(new Rule(tag, regexp.matcher(""), limit));
        }
    }

    /** Whether this resolver computes tags itself (it does for the SnakeYAML ordo is built with). */
    boolean own() {
        return own;
    }

    @Override
    public Tag resolve(NodeId kind, String value, boolean implicit) {
        if (!own) return super.resolve(kind, value, implicit);
        if (kind == NodeId.scalar && implicit) {
            Tag t = first(rules.get(value.isEmpty() ? '\0' : value.charAt(0)), value);
            if (t == null && rules.containsKey(null)) t = first(rules.get(null), value);
            if (t != null) return t;
        }
        return switch (kind) {
            case scalar -> Tag.STR;
            case sequence -> Tag.SEQ;
            default -> Tag.MAP;
        };
    }

    private static Tag first(List<Rule> rs, String value) {
        if (rs == null) return null;
        for (Rule r : rs) if (value.length() <= r.limit() && r.matcher().reset(value).matches()) return r.tag();
        return null;
    }
}
