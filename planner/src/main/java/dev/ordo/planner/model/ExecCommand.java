package dev.ordo.planner.model;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One command of a systemd {@code Exec*=} line as systemd.service(5) "Command lines" reads it: its prefixes,
 * then its words, unquoted and unescaped, specifiers expanded. {@code $VAR} and {@code ${VAR}} stay as
 * written: they expand at each start, against the environment the process gets (which
 * {@code EnvironmentFile=} may change between starts). No shell is involved unless the command names one.
 *
 * @param prefixes the special prefixes of the path
 * @param words the path (the first word, without its prefixes), then the arguments; with {@link ExecPrefix#ARGV0}
 *     the second word is argv[0]
 */
public record ExecCommand(Set<ExecPrefix> prefixes, List<String> words) {

    public ExecCommand {
        prefixes = prefixes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(prefixes));
        words = List.copyOf(words);
        if (words.isEmpty() || words.get(0).isEmpty()) throw new IllegalArgumentException("no executable");
        if (prefixes.contains(ExecPrefix.ARGV0) && words.size() < 2) throw new IllegalArgumentException("@ without argv[0]");
    }

    public boolean has(ExecPrefix p) {
        return prefixes.contains(p);
    }

    /** The executable as written: an absolute path, or a name systemd looks up in its fixed search path. */
    public String path() {
        return words.get(0);
    }

    /** A command made ready to run: the program to execute and the argv it gets. */
    public record Invocation(String program, List<String> argv) {
    }

    /**
     * The argv for {@code env}, as systemd's replace_env_argv() makes it: a word that is exactly
     * {@code $NAME} becomes the variable's value split at whitespace (zero or more arguments; none when
     * unset); {@code ${NAME}} anywhere in a word becomes the value, whitespace and all (empty when unset);
     * {@code $$} is a literal {@code $}. The path itself is never expanded. With {@link ExecPrefix#NO_EXPANSION}
     * the words are taken as they are.
     */
    public Invocation invocation(Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        int first = has(ExecPrefix.ARGV0) ? 1 : 0;
        for (int i = first; i < words.size(); i++) {
            String w = words.get(i);
            if (i == 0 || has(ExecPrefix.NO_EXPANSION)) {
                argv.add(w);
            } else if (w.startsWith("$") && !w.startsWith("${") && !w.startsWith("$$")) {
                // The whole rest of the word is the name, as systemd takes it: `$FOO/bar` names `FOO/bar`.
                String v = env.get(w.substring(1));
                if (v != null) argv.addAll(split(v));
            } else {
                argv.add(expandBraced(w, env));
            }
        }
        return new Invocation(path(), argv);
    }

    /** A value split at whitespace, quotes grouping and removed (strv_split_full with EXTRACT_UNQUOTE|EXTRACT_RELAX). */
    static List<String> split(String v) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (quote == 0 && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
                if (w != null) out.add(w.toString());
                w = null;
                continue;
            }
            if (w == null) w = new StringBuilder();
            if (quote == 0 && (c == '"' || c == '\'')) quote = c;
            else if (c == quote) quote = 0;
            else if (c == '\\' && quote != '\'' && i + 1 < v.length()) w.append(v.charAt(++i));
            else w.append(c);
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    private static String expandBraced(String w, Map<String, String> env) {
        if (w.indexOf('$') < 0) return w;
        StringBuilder out = new StringBuilder(w.length());
        for (int i = 0; i < w.length(); i++) {
            char c = w.charAt(i);
            if (c == '$' && i + 1 < w.length() && w.charAt(i + 1) == '$') {
                out.append('$');
                i++;
            } else if (c == '$' && i + 1 < w.length() && w.charAt(i + 1) == '{') {
                int close = w.indexOf('}', i + 2);
                if (close < 0) {
                    out.append(w, i, w.length());
                    break;
                }
                out.append(variable(w.substring(i + 2, close), env));
                i = close;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code NAME}, {@code NAME:-default} (default when unset or empty), {@code NAME:+alternate} (when set and not empty). */
    private static String variable(String inside, Map<String, String> env) {
        int op = inside.indexOf(':');
        if (op > 0 && op + 1 < inside.length() && (inside.charAt(op + 1) == '-' || inside.charAt(op + 1) == '+')) {
            String v = env.get(inside.substring(0, op));
            boolean set = v != null && !v.isEmpty();
            String other = inside.substring(op + 2);
            if (inside.charAt(op + 1) == '-') return set ? v : other;
            return set ? other : "";
        }
        String v = env.get(inside);
        return v == null ? "" : v;
    }
}
