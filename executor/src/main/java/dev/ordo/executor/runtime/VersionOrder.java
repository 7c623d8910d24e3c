package dev.ordo.executor.runtime;

import dev.ordo.planner.model.Glob;

/**
 * How systemd's conditions compare versions and numbers: the comparison operators of
 * {@code ConditionKernelVersion=}, {@code ConditionOSRelease=}, {@code ConditionMemory=} and {@code ConditionCPUs=}
 * (systemd.unit(5)), and strverscmp_improved() (systemd's version order, after rpm's rpmvercmp: {@code ~} sorts
 * before everything, {@code -} before {@code ^} and {@code .}, digits as numbers, a longer version is newer).
 */
final class VersionOrder {

    /** The operators, longest first where one is the start of another. */
    enum Comparison {
        FNMATCH_EQUAL("$="), FNMATCH_UNEQUAL("!$="), LOWER_OR_EQUAL("<="), GREATER_OR_EQUAL(">="), UNEQUAL("<>"),
        EQUAL("=="), STRING_UNEQUAL("!="), LOWER("<"), GREATER(">"), STRING_EQUAL("=");

        final String text;

        Comparison(String text) {
            this.text = text;
        }
    }

    private VersionOrder() {
    }

    /** The operator {@code s} starts with, or null. */
    static Comparison operator(String s) {
        for (Comparison o : Comparison.values()) if (s.startsWith(o.text)) return o;
        return null;
    }

    /** {@code actual OP expected}, versions compared by {@link #compare}, strings as strings, globs by fnmatch. */
    static boolean test(Comparison op, String actual, String expected) {
        return switch (op) {
            case FNMATCH_EQUAL -> Glob.matches(expected, actual);
            case FNMATCH_UNEQUAL -> !Glob.matches(expected, actual);
            case STRING_EQUAL -> actual.equals(expected);
            case STRING_UNEQUAL -> !actual.equals(expected);
            default -> order(op, compare(actual, expected));
        };
    }

    /** Whether a comparison result {@code k} (negative, 0, positive) satisfies {@code op}. */
    static boolean order(Comparison op, int k) {
        return switch (op) {
            case LOWER -> k < 0;
            case LOWER_OR_EQUAL -> k <= 0;
            case EQUAL, STRING_EQUAL -> k == 0;
            case UNEQUAL, STRING_UNEQUAL -> k != 0;
            case GREATER_OR_EQUAL -> k >= 0;
            case GREATER -> k > 0;
            default -> throw new IllegalArgumentException(op.text + " is not an order");
        };
    }

    private static boolean versionChar(char c) {
        return isDigit(c) || isAlpha(c) || c == '~' || c == '-' || c == '^' || c == '.';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** strverscmp_improved(): negative when {@code a} is older than {@code b}, 0 when the same, positive when newer. */
    static int compare(String a, String b) {
        if (a.isEmpty() || b.isEmpty()) return Integer.signum(a.compareTo(b));
        int i = 0;
        int j = 0;
        while (true) {
            while (i < a.length() && !versionChar(a.charAt(i))) i++;
            while (j < b.length() && !versionChar(b.charAt(j))) j++;
            char x = at(a, i);
            char y = at(b, j);
            // A '~' segment (a pre-release) is older than anything, even the end of the other string.
            if (x == '~' || y == '~') {
                if (x != y) return x == '~' ? -1 : 1;
                x = at(a, ++i);
                y = at(b, ++j);
            }
            // Past a '~', the longer string (the one with more segments) is newer.
            if (x == 0 || y == 0) return Integer.compare(x, y);
            for (char sep : new char[] {'-', '^'}) {
                // '-' separates the release (123-9 is older than 123.1-1); '^' marks a patch.
                if (x == sep || y == sep) {
                    if (x != y) return x == sep ? -1 : 1;
                    x = at(a, ++i);
                    y = at(b, ++j);
                }
            }
            if (x == '.' || y == '.') {
                if (x != y) return x == '.' ? 1 : -1;
                i++;
                j++;
            }
            int ei = i;
            int ej = j;
            if (isDigit(at(a, i)) || isDigit(at(b, j))) {
                while (isDigit(at(a, ei))) ei++;
                while (isDigit(at(b, ej))) ej++;
                // A number is newer than no number (an alphabetic segment, or the end).
                if ((ei > i) != (ej > j)) return ei > i ? 1 : -1;
                while (at(a, i) == '0') i++;
                while (at(b, j) == '0') j++;
                if (ei - i != ej - j) return ei - i < ej - j ? -1 : 1;
                int c = a.substring(i, ei).compareTo(b.substring(j, ej));
                if (c != 0) return Integer.signum(c);
            } else {
                while (isAlpha(at(a, ei))) ei++;
                while (isAlpha(at(b, ej))) ej++;
                int n = Math.min(ei - i, ej - j);
                int c = a.substring(i, i + n).compareTo(b.substring(j, j + n));
                if (c != 0) return Integer.signum(c);
                if (ei - i != ej - j) return ei - i < ej - j ? -1 : 1;
            }
            i = ei;
            j = ej;
        }
    }

    private static char at(String s, int i) {
        return i < s.length() ? s.charAt(i) : 0;
    }
}
