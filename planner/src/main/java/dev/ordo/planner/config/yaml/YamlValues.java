package dev.ordo.planner.config.yaml;

import static dev.ordo.planner.config.yaml.YamlNodes.kind;
import static dev.ordo.planner.config.yaml.YamlNodes.text;

import dev.ordo.planner.config.yaml.YamlReader.ValueType;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Timespan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Typed scalars of a job as docs/configuration.md ("Values") defines them: booleans, whole numbers in a
 * range, durations, signals, octal masks, absolute directories and command lines, each read from the
 * scalar's text (not YAML 1.1's typing) and reported at the value when it is not one.
 */
final class YamlValues {

    private final YamlNodes nodes;
    private final YamlPositions positions;

    YamlValues(YamlNodes nodes) {
        this.nodes = nodes;
        this.positions = nodes.positions();
    }

    void itemType(String key, Node n, String what) {
        ValueType k = kind(n);
        nodes.report(k == ValueType.NULL ? Code.MISSING_ARGUMENT : Code.WRONG_TYPE, positions.at(n),
                "items of `" + key + "` must be " + what + "s (strings), got " + k.phrase,
                k == ValueType.BOOLEAN || k == ValueType.INTEGER || k == ValueType.NUMBER ? "quote it to make it a string" : null);
    }

    static boolean bool(Node v) {
        String t = text(v).toLowerCase(Locale.ROOT);
        return t.equals("true") || t.equals("yes") || t.equals("on") || t.equals("y");
    }

    String nonBlank(String key, Node v) {
        String t = text(v);
        if (t.isBlank()) {
            nodes.report(Code.MISSING_ARGUMENT, positions.at(v), "`" + key + "` is empty", "give a value, or remove the key");
            return null;
        }
        return t;
    }

    List<String> commands(String key, Node v) {
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

    Integer umask(Node v) {
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

    String directory(String key, Node v) {
        String t = nonBlank(key, v);
        if (t == null) return null;
        if (!t.startsWith("/")) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + key + "` is `" + t + "`; it must be an absolute path",
                    "start it with `/`");
            return null;
        }
        return t;
    }

    /** A working directory: absolute, or {@code ~} (the user's home), either after {@code -} (may be missing). */
    String workingDirectory(String key, Node v) {
        String t = nonBlank(key, v);
        if (t == null) return null;
        String d = t.startsWith("-") ? t.substring(1) : t;
        if (!d.startsWith("/") && !d.equals("~")) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + key + "` is `" + t + "`; it must be an absolute path or ~",
                    "start it with `/`; `~` is the user's home, and a leading `-` lets it be missing");
            return null;
        }
        return t;
    }

    Integer integer(String label, Node v, int min, int max) {
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

    Duration duration(String label, Node v) {
        try {
            return Timespan.parse(text(v));
        } catch (IllegalArgumentException e) {
            nodes.report(Code.INVALID_VALUE, positions.at(v), "`" + label + "`: " + e.getMessage(),
                    "write a duration such as 500ms, 5s, 2m, or a number of seconds");
            return null;
        }
    }

    Signal signal(String label, Node v) {
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

    static String signalHint(String t) {
        String u = t.strip().toUpperCase(Locale.ROOT);
        if (u.startsWith("SIG")) u = u.substring(3);
        if (u.isEmpty() || u.chars().allMatch(Character::isDigit)) return null;
        return Suggest.hint(u, Signal.names());
    }
}
