package dev.ordo.planner.model;

/** Writes {@link EventExpr#text()}. */
final class EventExprText {

    private EventExprText() {
    }

    static void write(EventExpr e, StringBuilder b) {
        if (e instanceof EventExpr.Match m) {
            b.append(quote(m.event()));
            for (EventArg a : m.args()) {
                b.append(' ');
                if (a.key() != null) b.append(quote(a.key())).append(a.negated() ? "!=" : "=");
                b.append(a.key() == null ? quote(a.value()) : quoteValue(a.value()));
            }
        } else if (e instanceof EventExpr.All a) {
            binary(a.left(), a.right(), "and", e, b);
        } else if (e instanceof EventExpr.Any a) {
            binary(a.left(), a.right(), "or", e, b);
        }
    }

    private static void binary(EventExpr left, EventExpr right, String op, EventExpr self, StringBuilder b) {
        // Left-associative with equal precedence: a left child of the same operator needs no parentheses.
        boolean leftBare = left instanceof EventExpr.Match || left.getClass() == self.getClass();
        group(left, leftBare, b);
        b.append(' ').append(op).append(' ');
        group(right, right instanceof EventExpr.Match, b);
    }

    private static void group(EventExpr e, boolean bare, StringBuilder b) {
        if (!bare) b.append('(');
        write(e, b);
        if (!bare) b.append(')');
    }

    /** Quotes a whole token when it would not read back as itself. */
    static String quote(String s) {
        if (s.isEmpty() || s.equals("and") || s.equals("or") || needsQuotes(s) || s.contains("=")) {
            return wrap(s);
        }
        return s;
    }

    private static String quoteValue(String s) {
        if (s.isEmpty() || needsQuotes(s)) return wrap(s);
        return s;
    }

    private static boolean needsQuotes(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || c == '(' || c == ')' || c == '"' || c == '\'' || c == '#') return true;
        }
        return false;
    }

    private static String wrap(String s) {
        return s.indexOf('"') < 0 ? "\"" + s + "\"" : "'" + s + "'";
    }
}
