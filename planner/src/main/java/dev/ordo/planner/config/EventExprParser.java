package dev.ordo.planner.config;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Parses Upstart event expressions (U§3.1): {@code expr := operand (("and"|"or") operand)*}, with
 * {@code and} and {@code or} of equal precedence, left-associative; {@code operand := EVENT arg* |
 * "(" expr ")"}. Newlines and {@code #} comments are allowed anywhere (the readers only pass text
 * that may legally span lines). The same parser serves ordo.yaml's {@code start_on}/{@code stop_on}
 * and Upstart's {@code start on}/{@code stop on}, so both report the same errors.
 */
public final class EventExprParser {

    /** The outcome: a tree, or null with at least one error; warnings may come with a tree. */
    public record ParsedExpr(EventExpr expr, List<Diagnostic> diagnostics) {
        public boolean ok() {
            return expr != null;
        }
    }

    private record ExprToken(String text, boolean quoted, int offset, int end) {
        boolean is(String s) {
            return !quoted && text.equals(s);
        }

        boolean operator() {
            return is("and") || is("or");
        }

        boolean paren() {
            return is("(") || is(")");
        }
    }

    private final String text;
    private final IntFunction<Source> position;
    private final List<ExprToken> tokens;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private int next;

    private EventExprParser(String text, IntFunction<Source> position) {
        this.text = text;
        this.position = position;
        this.tokens = tokenize(text);
    }

    /**
     * Parses {@code text}; {@code position} maps a character offset in {@code text} to its place in the
     * file (so an expression spread over several lines reports true lines and columns).
     */
    public static ParsedExpr parse(String text, IntFunction<Source> position) {
        EventExprParser p = new EventExprParser(text, position);
        return p.run();
    }

    /** Parses text that sits on one line starting at {@code start}. */
    public static ParsedExpr parse(String text, Source start) {
        return parse(text, offset -> start.withColumn(start.column() + offset));
    }

    /**
     * Far beyond any real job (Ubuntu's longest `start on` has a dozen operators), and low enough that
     * every walk over the tree, recursive as the tree is, stays a few thousand frames deep: a reload of
     * 10,000 `or` terms must be an error, not a StackOverflowError in the supervisor's loop.
     */
    public static final int MAX_OPERATORS = 512;
    /** Nested parentheses, for the same reason. */
    public static final int MAX_NESTING = 64;

    private ParsedExpr run() {
        if (tokens.isEmpty()) {
            return fail(Code.MISSING_ARGUMENT, text.length(), "missing event expression",
                    "name an event, e.g. `startup` or `started dbus`");
        }
        // Before the recursive descent: the parser itself must not recurse past the bounds either.
        int operators = 0;
        int depth = 0;
        for (ExprToken t : tokens) {
            if (t.operator() && ++operators > MAX_OPERATORS) {
                return fail(Code.INVALID_VALUE, t.offset, "event expression too long: more than " + MAX_OPERATORS
                        + " `and`/`or` operators", "split the condition: start on an event a task emits once its own condition holds");
            }
            if (t.is("(")) depth++;
            else if (t.is(")")) depth--;
            if (depth > MAX_NESTING) {
                return fail(Code.INVALID_VALUE, t.offset, "event expression nested too deep: more than " + MAX_NESTING
                        + " parentheses inside one another", "remove parentheses that group a single event or repeat a grouping");
            }
        }
        try {
            EventExpr e = expression(0);
            if (next < tokens.size()) {
                ExprToken t = tokens.get(next);
                if (t.is(")")) {
                    throw new ParseFailure(Code.MISMATCHED_PARENS, t.offset, "mismatched parentheses: `)` closes nothing",
                            "remove it, or add the `(` it should close");
                }
                throw new ParseFailure(Code.EXPECTED_OPERATOR, t.offset, "expected `and` or `or` before `" + t.text + "`",
                        "join two events with `and` or `or`; to match an argument, put it right after the event name");
            }
            return new ParsedExpr(e, List.copyOf(diagnostics));
        } catch (ParseFailure f) {
            return fail(f.code, f.offset, f.getMessage(), f.hint);
        }
    }

    private ParsedExpr fail(Code code, int offset, String message, String hint) {
        List<Diagnostic> ds = new ArrayList<>(diagnostics);
        ds.add(Diagnostic.of(code, position.apply(offset), message, hint));
        return new ParsedExpr(null, List.copyOf(ds));
    }

    /** {@code depth} counts open parentheses, to tell a stray {@code )} from a closing one. */
    private EventExpr expression(int depth) {
        Operand first = operand(depth);
        EventExpr left = first.expr;
        boolean leftGrouped = first.grouped;
        while (next < tokens.size() && tokens.get(next).operator()) {
            ExprToken op = tokens.get(next++);
            Operand right = operand(depth);
            boolean and = op.is("and");
            if (!leftGrouped && isOtherBinary(left, and)) {
                EventExpr combined = and ? new EventExpr.All(left, right.expr) : new EventExpr.Any(left, right.expr);
                diagnostics.add(Diagnostic.of(Code.MIXED_AND_OR, position.apply(op.offset),
                        "`and` and `or` mixed without parentheses; read as " + combined.text(),
                        "`and` and `or` have equal precedence and group from the left; add parentheses to say which you mean"));
                left = combined;
            } else {
                left = and ? new EventExpr.All(left, right.expr) : new EventExpr.Any(left, right.expr);
            }
            leftGrouped = false;
        }
        return left;
    }

    private static boolean isOtherBinary(EventExpr e, boolean and) {
        return and ? e instanceof EventExpr.Any : e instanceof EventExpr.All;
    }

    private record Operand(EventExpr expr, boolean grouped) {
    }

    private Operand operand(int depth) {
        if (next >= tokens.size()) {
            throw new ParseFailure(Code.EXPECTED_EVENT, text.length(), "expected an event at the end of the expression",
                    "an operator needs an event on both sides");
        }
        ExprToken t = tokens.get(next);
        if (t.is("(")) {
            next++;
            EventExpr inner = expression(depth + 1);
            if (next >= tokens.size()) {
                throw new ParseFailure(Code.MISMATCHED_PARENS, t.offset, "mismatched parentheses: `(` is never closed",
                        "add the `)` that closes it");
            }
            ExprToken close = tokens.get(next);
            if (!close.is(")")) {
                throw new ParseFailure(Code.EXPECTED_OPERATOR, close.offset,
                        "expected `and`, `or` or `)` before `" + close.text + "`", null);
            }
            next++;
            if (next < tokens.size() && !tokens.get(next).operator() && !tokens.get(next).is(")")) {
                ExprToken after = tokens.get(next);
                throw new ParseFailure(Code.EXPECTED_OPERATOR, after.offset,
                        "expected `and` or `or` after `)`, found `" + after.text + "`", null);
            }
            return new Operand(inner, true);
        }
        if (t.operator() || t.is(")")) {
            throw new ParseFailure(Code.EXPECTED_EVENT, t.offset, "expected an event, found `" + t.text + "`",
                    t.operator() ? "an operator needs an event on both sides" : "an empty group matches nothing");
        }
        if (t.text.isEmpty()) {
            throw new ParseFailure(Code.EXPECTED_EVENT, t.offset, "expected an event, found an empty name `\"\"`",
                    "an event has a name; remove the empty quotes");
        }
        next++;
        List<EventArg> args = new ArrayList<>();
        boolean named = false;
        while (next < tokens.size()) {
            ExprToken a = tokens.get(next);
            if (a.operator() || a.is(")")) break;
            if (a.is("(")) {
                throw new ParseFailure(Code.EXPECTED_OPERATOR, a.offset, "expected `and` or `or` before `(`",
                        "join the group to `" + t.text + "` with `and` or `or`");
            }
            EventArg arg = argument(a);
            if (arg.isPositional() && named) {
                throw new ParseFailure(Code.EXPECTED_VARIABLE, a.offset,
                        "positional argument `" + a.text + "` after a named one: expected KEY=VALUE",
                        "put positional arguments first, or write this one as KEY=VALUE");
            }
            named |= !arg.isPositional();
            args.add(arg);
            next++;
        }
        return new Operand(new EventExpr.Match(t.text, args, position.apply(t.offset)), false);
    }

    private static EventArg argument(ExprToken a) {
        String s = a.text;
        int eq = keyEnd(s);
        if (eq <= 0) return EventArg.positional(s);
        if (s.charAt(eq - 1) == '!' && eq >= 2) {
            return EventArg.notEqual(s.substring(0, eq - 1), s.substring(eq + 1));
        }
        return EventArg.equal(s.substring(0, eq), s.substring(eq + 1));
    }

    /** The index of the '=' that ends a KEY in {@code KEY=VALUE}, or -1 for a positional value. */
    private static int keyEnd(String s) {
        // A key is a run of characters up to the first '='; a value starting with '=' is positional.
        int eq = s.indexOf('=');
        if (eq <= 0) return -1;
        String key = s.substring(0, s.charAt(eq - 1) == '!' ? eq - 1 : eq);
        if (key.isEmpty()) return -1;
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isWhitespace(c) || c == '$' || c == '*' || c == '?' || c == '[') return -1;
        }
        return eq;
    }

    private static List<ExprToken> tokenize(String s) {
        List<ExprToken> out = new ArrayList<>();
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                while (i < n && s.charAt(i) != '\n') i++;
                continue;
            }
            if (c == '(' || c == ')') {
                out.add(new ExprToken(String.valueOf(c), false, i, i + 1));
                i++;
                continue;
            }
            int start = i;
            StringBuilder b = new StringBuilder();
            boolean quoted = false;
            char quote = 0;
            while (i < n) {
                c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) quote = 0;
                    else b.append(c);
                    i++;
                    continue;
                }
                if (Character.isWhitespace(c) || c == '(' || c == ')') break;
                if (c == '"' || c == '\'') {
                    quote = c;
                    quoted = true;
                    i++;
                    continue;
                }
                if (c == '\\' && i + 1 < n) {
                    b.append(c).append(s.charAt(i + 1));
                    i += 2;
                    continue;
                }
                b.append(c);
                i++;
            }
            out.add(new ExprToken(b.toString(), quoted, start, i));
        }
        return out;
    }

    private static final class ParseFailure extends RuntimeException {
        final Code code;
        final int offset;
        final String hint;

        ParseFailure(Code code, int offset, String message, String hint) {
            super(message, null, false, false);
            this.code = code;
            this.offset = offset;
            this.hint = hint;
        }
    }
}
