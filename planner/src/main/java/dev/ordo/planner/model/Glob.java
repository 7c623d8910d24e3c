package dev.ordo.planner.model;

/**
 * fnmatch(3) with flags 0, as Upstart matches event arguments (U§3.2): {@code *} and {@code ?} (both
 * also match {@code /}), bracket expressions {@code [abc]}, {@code [a-z]}, {@code [!x]}, and
 * backslash escapes.
 */
public final class Glob {

    private Glob() {
    }

    public static boolean matches(String pattern, String text) {
        return match(pattern, 0, text, 0);
    }

    /** True when {@code s} contains a character that makes it a pattern rather than a literal. */
    public static boolean isPattern(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '\\') return true;
        }
        return false;
    }

    private static boolean match(String p, int pi, String t, int ti) {
        while (pi < p.length()) {
            char c = p.charAt(pi);
            if (c == '*') {
                while (pi < p.length() && p.charAt(pi) == '*') pi++;
                if (pi == p.length()) return true;
                for (int k = ti; k <= t.length(); k++) {
                    if (match(p, pi, t, k)) return true;
                }
                return false;
            }
            if (ti >= t.length()) return false;
            if (c == '?') {
                pi++;
                ti++;
                continue;
            }
            if (c == '[') {
                int end = bracketEnd(p, pi);
                if (end > 0) {
                    if (!bracketMatches(p, pi + 1, end, t.charAt(ti))) return false;
                    pi = end + 1;
                    ti++;
                    continue;
                }
                // An unclosed '[' is an ordinary character.
            }
            if (c == '\\' && pi + 1 < p.length()) {
                pi++;
                c = p.charAt(pi);
            }
            if (c != t.charAt(ti)) return false;
            pi++;
            ti++;
        }
        return ti == t.length();
    }

    /** Index of the ']' closing the bracket expression that opens at {@code open}, or -1. */
    private static int bracketEnd(String p, int open) {
        int i = open + 1;
        if (i < p.length() && (p.charAt(i) == '!' || p.charAt(i) == '^')) i++;
        if (i < p.length() && p.charAt(i) == ']') i++;
        while (i < p.length()) {
            if (p.charAt(i) == ']') return i;
            i++;
        }
        return -1;
    }

    private static boolean bracketMatches(String p, int from, int end, char ch) {
        boolean negate = false;
        int i = from;
        if (p.charAt(i) == '!' || p.charAt(i) == '^') {
            negate = true;
            i++;
        }
        boolean found = false;
        boolean first = true;
        while (i < end) {
            char lo = p.charAt(i);
            if (lo == ']' && !first) break;
            first = false;
            if (i + 2 < end && p.charAt(i + 1) == '-') {
                char hi = p.charAt(i + 2);
                if (ch >= lo && ch <= hi) found = true;
                i += 3;
            } else {
                if (ch == lo) found = true;
                i++;
            }
        }
        return found != negate;
    }
}
