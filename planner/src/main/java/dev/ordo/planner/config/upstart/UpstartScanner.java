package dev.ordo.planner.config.upstart;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The lexical layer of an Upstart job file, as libnih's config parser reads it (init(5)): tokens end at
 * whitespace, {@code #} or a newline unless quoted or escaped; a backslash before a newline continues
 * the line; a newline inside quotes or after a backslash becomes one space, with the whitespace around
 * it dropped. Positions are kept for every token so diagnostics can point at it.
 */
final class UpstartScanner {

    /** Whitespace inside a line. A lone carriage return counts, as in libnih. */
    static final String WS = " \t\r";
    /** What ends a command: a comment or a newline. */
    static final String CNL = "#\n";
    /** What ends an argument. */
    static final String CNLWS = " \t\r#\n";

    /**
     * One token.
     *
     * @param text the value (dequoted and unescaped for arguments, raw for commands)
     * @param start offset of its first character
     * @param end offset just past its last character
     */
    record Token(String text, int start, int end) {
    }

    private final String file;
    /** The file's text with CRLF line ends turned into LF, so positions match the file's lines. */
    final String text;
    private final int[] lineStarts;
    private final List<Diagnostic> diagnostics;
    /** The reading position. */
    int pos;

    UpstartScanner(String file, String rawText, List<Diagnostic> diagnostics) {
        this.file = file;
        this.text = rawText.replace("\r\n", "\n");
        this.diagnostics = diagnostics;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') starts.add(i + 1);
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    String file() {
        return file;
    }

    int length() {
        return text.length();
    }

    boolean atEnd() {
        return pos >= text.length();
    }

    char peek() {
        return text.charAt(pos);
    }

    /** The place of {@code offset}: 1-based line, and column counted in characters (code points). */
    Source at(int offset) {
        int o = Math.max(0, Math.min(offset, text.length()));
        int line = lineOf(o);
        int column = text.codePointCount(lineStarts[line], o) + 1;
        return new Source(file, line + 1, column);
    }

    /** 0-based line index of {@code offset}. */
    int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Offset of the newline that ends the line holding {@code offset}, or the text's length. */
    int lineEnd(int offset) {
        int nl = text.indexOf('\n', offset);
        return nl < 0 ? text.length() : nl;
    }

    void report(Code code, int offset, String message, String hint) {
        diagnostics.add(Diagnostic.of(code, at(offset), message, hint));
    }

    static boolean isWs(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    void skipWhitespace() {
        while (pos < text.length() && isWs(text.charAt(pos))) pos++;
    }

    /** Skips whitespace and backslash-newline continuations between arguments. */
    void skipSeparators() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (isWs(c)) {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
            } else {
                break;
            }
        }
    }

    /** True when a token starts here: not the end, a comment or a newline. */
    boolean hasToken() {
        return pos < text.length() && CNL.indexOf(text.charAt(pos)) < 0;
    }

    /** Moves past the end of the current line, ignoring anything on it. */
    void nextLine() {
        int nl = text.indexOf('\n', pos);
        pos = nl < 0 ? text.length() : nl + 1;
    }

    /**
     * Reads one token from the current position, stopping at an unquoted, unescaped character of
     * {@code delims}. An unterminated quote is reported and the token cut at the end of the quote's line,
     * so one stray quote does not swallow the rest of the file.
     */
    Token token(String delims, boolean dequote) {
        int start = pos;
        Token t = scan(start, text.length(), delims, dequote);
        if (t == null) {
            int quote = openQuote(start, text.length(), delims);
            report(Code.SYNTAX, quote, "unterminated quote: " + text.charAt(quote) + " is never closed",
                    "close the quote, or escape the character with a backslash");
            int limit = lineEnd(quote);
            t = scan(start, limit, delims, dequote);
            if (t == null) t = new Token(text.substring(start, limit), start, limit);
        }
        pos = t.end;
        if (pos == text.length() && pos > start && text.charAt(pos - 1) == '\\' && !escapedAt(start, pos - 1)) {
            report(Code.SYNTAX, pos - 1, "a backslash at the very end of the file continues nothing",
                    "remove the backslash");
        }
        return t;
    }

    /** True when the character at {@code i} is itself escaped by an odd run of backslashes from {@code from}. */
    private boolean escapedAt(int from, int i) {
        int n = 0;
        for (int j = i - 1; j >= from && text.charAt(j) == '\\'; j--) n++;
        return n % 2 == 1;
    }

    /** The scan proper; null when a quote is still open at {@code limit}. */
    private Token scan(int start, int limit, String delims, boolean dequote) {
        StringBuilder out = new StringBuilder();
        int ws = 0;
        boolean newline = false;
        boolean slash = false;
        char quote = 0;
        int p = start;
        for (; p < limit; p++) {
            char c = text.charAt(p);
            boolean isQuote = false;
            boolean escaped = false;
            if (slash) {
                slash = false;
                if (c == '\n') {
                    newline = true;
                    continue;
                }
                escaped = true;
            } else if (c == '\\') {
                slash = true;
                continue;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                    isQuote = true;
                } else if (c == '\n') {
                    newline = true;
                    continue;
                } else if (isWs(c)) {
                    ws++;
                    continue;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                isQuote = true;
            } else if (delims.indexOf(c) >= 0) {
                break;
            } else if (isWs(c)) {
                ws++;
                continue;
            }
            if (newline) {
                // A continued or quoted line break reads as one space; the whitespace around it is lost.
                if (out.length() > 0) out.append(' ');
            } else if (ws > 0) {
                int from = p - ws - (escaped ? 1 : 0);
                out.append(text, from, from + ws);
            }
            if (escaped && !dequote) out.append('\\');
            if (!(isQuote && dequote)) out.append(c);
            ws = 0;
            newline = false;
        }
        if (quote != 0) return null;
        if (slash && p == limit && p < text.length()) {
            // Cut short by a limit: the backslash stays as written.
            out.append('\\');
        }
        return new Token(out.toString(), start, p);
    }

    private int openQuote(int start, int limit, String delims) {
        boolean slash = false;
        char quote = 0;
        int at = start;
        for (int p = start; p < limit; p++) {
            char c = text.charAt(p);
            if (slash) {
                slash = false;
            } else if (c == '\\') {
                slash = true;
            } else if (quote != 0) {
                if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
                at = p;
            } else if (delims.indexOf(c) >= 0) {
                break;
            }
        }
        return at;
    }

    /**
     * Reads one argument (dequoted) and the separators after it; null when there is none here. An
     * empty quoted string ({@code ""}) is an argument.
     */
    Token nextArg() {
        if (!hasToken()) return null;
        int before = pos;
        Token t = token(CNLWS, true);
        if (pos == before) {
            // Cannot happen for a character outside CNLWS, but never loop on one that did not move.
            pos++;
            t = new Token(text.substring(before, pos), before, pos);
        }
        skipSeparators();
        return t;
    }

    /** Reads every argument up to the end of the (possibly continued) line, and moves past the line. */
    List<Token> restOfLine() {
        List<Token> out = new ArrayList<>();
        while (hasToken()) out.add(nextArg());
        nextLine();
        return out;
    }

    /**
     * Reads a command up to a comment or the end of the (possibly continued) line: quotes and escapes
     * are kept for the shell, continued lines are joined with one space, trailing whitespace is dropped.
     * Moves past the line. Null when there is no command.
     */
    Token command() {
        if (!hasToken()) {
            nextLine();
            return null;
        }
        Token t = token(CNL, false);
        nextLine();
        return t;
    }

    /**
     * The text of a {@code start on}/{@code stop on} expression, one character for each character of the
     * file from {@code start}, so an offset in it maps straight back to a line and column. Continuation
     * backslashes and comments are blanked out; the expression runs on over line ends while a
     * parenthesis is open (init(5)).
     *
     * @param end offset just past the expression's last non-blank character
     * @param next where reading goes on: the start of the line after the expression
     * @param unclosed true when a parenthesis was still open where the expression was cut
     */
    record Extent(int start, int end, String text, int next, boolean unclosed) {
    }

    /**
     * Reads an expression from the current position. When a parenthesis is never closed, Upstart would
     * read the rest of the file into the expression; here it is cut before the first continuation line
     * that starts with a stanza name, so the stanzas after it are still read.
     */
    Extent expression(Collection<String> stanzaNames) {
        int start = pos;
        Extent x = expression(start, text.length(), null);
        if (x.unclosed) x = expression(start, text.length(), stanzaNames);
        pos = x.next;
        return x;
    }

    private Extent expression(int start, int limit, Collection<String> stopAt) {
        StringBuilder b = new StringBuilder();
        int depth = 0;
        char quote = 0;
        int quoteAt = -1;
        int p = start;
        while (p < limit) {
            char c = text.charAt(p);
            if (quote != 0) {
                if (c == '\\' && p + 1 < limit) {
                    b.append(text.charAt(p + 1) == '\n' ? ' ' : c).append(text.charAt(p + 1));
                    p += 2;
                    continue;
                }
                if (c == quote) quote = 0;
                b.append(c);
                p++;
                continue;
            }
            if (c == '\\' && p + 1 < limit) {
                // A continued line stays part of the same logical line; only the backslash is blanked.
                b.append(text.charAt(p + 1) == '\n' ? ' ' : c).append(text.charAt(p + 1));
                p += 2;
                continue;
            }
            if (c == '"' || c == '\'') {
                quote = c;
                quoteAt = p;
            } else if (c == '#') {
                int e = Math.min(lineEnd(p), limit);
                while (p < e) {
                    b.append(' ');
                    p++;
                }
                continue;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == '\n') {
                if (depth <= 0) break;
                if (stopAt != null && startsWithStanza(p + 1, stopAt)) break;
            } else if (c == '\r') {
                c = ' ';
            }
            b.append(c);
            p++;
        }
        if (quote != 0 && limit == text.length()) {
            // Reported on the first pass only; the second (cut) pass meets the same quote.
            if (stopAt == null) {
                report(Code.SYNTAX, quoteAt, "unterminated quote: " + text.charAt(quoteAt) + " is never closed",
                        "close the quote, or escape the character with a backslash");
            }
            // Cut at the end of the quote's line, so one stray quote does not take the rest of the file.
            if (lineEnd(quoteAt) < limit) return expression(start, lineEnd(quoteAt), stopAt);
        }
        int len = b.length();
        while (len > 0 && Character.isWhitespace(b.charAt(len - 1))) len--;
        b.setLength(len);
        int next = p >= text.length() ? text.length() : lineEnd(p) + 1;
        next = Math.min(next, text.length());
        return new Extent(start, start + len, b.toString(), next, depth > 0);
    }

    /** True when the line starting at {@code lineStart} begins with a bare stanza name (but not and/or). */
    boolean startsWithStanza(int lineStart, Collection<String> names) {
        int p = lineStart;
        while (p < text.length() && isWs(text.charAt(p))) p++;
        int e = p;
        while (e < text.length() && CNLWS.indexOf(text.charAt(e)) < 0 && text.charAt(e) != '(' && text.charAt(e) != ')') {
            e++;
        }
        String word = text.substring(p, e);
        return !word.equals("and") && !word.equals("or") && names.contains(word);
    }

    /**
     * Reads a script body from the current position up to its {@code end script} line, which is
     * consumed. The body is kept as written, one {@code \n}-terminated line per file line. Null when
     * the file ends first; then the position is at the end.
     */
    String block() {
        StringBuilder body = new StringBuilder();
        int p = pos;
        while (p < text.length()) {
            int e = lineEnd(p);
            if (isBlockEnd(p, e)) {
                pos = Math.min(e + 1, text.length());
                return body.toString();
            }
            body.append(text, p, e).append('\n');
            p = e + 1;
        }
        pos = text.length();
        return null;
    }

    /** {@code WS* end WS+ script WS* (# comment)?} on the line from {@code p} to {@code e}. */
    private boolean isBlockEnd(int p, int e) {
        int q = p;
        while (q < e && isWs(text.charAt(q))) q++;
        if (!text.startsWith("end", q) || q + 3 >= e || !isWs(text.charAt(q + 3))) return false;
        q += 3;
        while (q < e && isWs(text.charAt(q))) q++;
        if (!text.startsWith("script", q) || q + 6 > e) return false;
        q += 6;
        while (q < e && isWs(text.charAt(q))) q++;
        return q == e || text.charAt(q) == '#';
    }
}
