package dev.ordo.planner.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code $VAR} expansion as Upstart's {@code environ_expand} does it: {@code $KEY}, {@code ${KEY}},
 * {@code ${KEY:-default}}, {@code ${KEY-default}}, {@code ${KEY:+alt}}, {@code ${KEY+alt}}. A plain
 * reference to an unknown variable is an error; the forms with a default or alternative are not.
 */
public final class Expansion {

    private Expansion() {
    }

    /** A variable reference found in a value. {@code guarded} when a default or alternative covers its absence. */
    public record Reference(String name, boolean guarded, int offset) {
    }

    /** Thrown when a plain reference names a variable that is not set. */
    public static final class UnknownVariable extends RuntimeException {
        private final String name;

        public UnknownVariable(String name) {
            super("unknown variable $" + name, null, false, false);
            this.name = name;
        }

        public String name() {
            return name;
        }
    }

    /** Every reference in {@code text}, outermost first, left to right (nested defaults included). */
    public static List<Reference> references(String text) {
        List<Reference> out = new ArrayList<>();
        scan(text, 0, text.length(), false, out);
        return out;
    }

    private static void scan(String s, int from, int to, boolean guarded, List<Reference> out) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= to) {
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '{') {
                int close = matchingBrace(s, i + 1, to);
                if (close < 0) return;
                int nameEnd = i + 2;
                while (nameEnd < close && isNameChar(s.charAt(nameEnd))) nameEnd++;
                String name = s.substring(i + 2, nameEnd);
                boolean hasOp = nameEnd < close;
                if (!name.isEmpty()) out.add(new Reference(name, guarded || hasOp, i));
                if (hasOp) {
                    int opEnd = nameEnd + (s.charAt(nameEnd) == ':' ? 2 : 1);
                    scan(s, Math.min(opEnd, close), close, true, out);
                }
                i = close + 1;
            } else if (isNameStart(n)) {
                int end = i + 1;
                while (end < to && isNameChar(s.charAt(end))) end++;
                out.add(new Reference(s.substring(i + 1, end), guarded, i));
                i = end;
            } else {
                i++;
            }
        }
    }

    /**
     * Expands every reference in {@code text} against {@code env}.
     *
     * @throws UnknownVariable for a plain reference to a variable not in {@code env}
     */
    public static String expand(String text, Map<String, String> env) {
        if (text.indexOf('$') < 0) return text; // nothing to expand: every character is copied as it is
        StringBuilder b = new StringBuilder();
        expandInto(text, 0, text.length(), env, b);
        return b.toString();
    }

    private static void expandInto(String s, int from, int to, Map<String, String> env, StringBuilder b) {
        int i = from;
        while (i < to) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
                b.append(c).append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            if (c != '$' || i + 1 >= to) {
                b.append(c);
                i++;
                continue;
            }
            char n = s.charAt(i + 1);
            if (n == '{') {
                int close = matchingBrace(s, i + 1, to);
                if (close < 0) {
                    b.append(s, i, to);
                    return;
                }
                int nameEnd = i + 2;
                while (nameEnd < close && isNameChar(s.charAt(nameEnd))) nameEnd++;
                String name = s.substring(i + 2, nameEnd);
                String value = env.get(name);
                if (nameEnd == close) {
                    if (value == null) throw new UnknownVariable(name);
                    b.append(value);
                } else {
                    boolean colon = s.charAt(nameEnd) == ':';
                    int opAt = colon ? nameEnd + 1 : nameEnd;
                    char op = opAt < close ? s.charAt(opAt) : '?';
                    boolean set = value != null && (!colon || !value.isEmpty());
                    if (op == '-') {
                        if (set) b.append(value);
                        else expandInto(s, opAt + 1, close, env, b);
                    } else if (op == '+') {
                        if (set) expandInto(s, opAt + 1, close, env, b);
                    } else {
                        if (value == null) throw new UnknownVariable(name);
                        b.append(value);
                    }
                }
                i = close + 1;
            } else if (isNameStart(n)) {
                int end = i + 1;
                while (end < to && isNameChar(s.charAt(end))) end++;
                String name = s.substring(i + 1, end);
                String value = env.get(name);
                if (value == null) throw new UnknownVariable(name);
                b.append(value);
                i = end;
            } else {
                b.append(c);
                i++;
            }
        }
    }

    private static int matchingBrace(String s, int open, int to) {
        int depth = 0;
        for (int i = open; i < to; i++) {
            char c = s.charAt(i);
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
