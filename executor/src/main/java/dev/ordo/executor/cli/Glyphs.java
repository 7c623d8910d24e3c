package dev.ordo.executor.cli;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What reaches the terminal. The arrows and box lines of ordo's text ({@code →}, {@code └─}) where the
 * locale can show them, and ASCII where it cannot ({@code LANG=C}, a cron job, a CI runner without a
 * locale): {@code ->}, {@code `-}, as git and systemctl do. And in every locale, control characters that
 * came from a file or job name (ESC, BEL, ...) are shown escaped ({@code \x1b}), never sent raw: a
 * name must not clear the screen or retitle the window. Only ordo's own colours (SGR sequences) pass.
 * Files written with {@code -o} are always UTF-8.
 */
final class Glyphs extends FilterWriter {

    private static final Map<Character, String> ASCII = Map.ofEntries(
            Map.entry('→', "->"), Map.entry('←', "<-"), Map.entry('└', "`"), Map.entry('├', "|"),
            Map.entry('│', "|"), Map.entry('─', "-"), Map.entry('—', "--"), Map.entry('…', "..."),
            Map.entry('≤', "<="), Map.entry('≥', ">="), Map.entry('×', "x"), Map.entry('·', "."),
            Map.entry('✓', "ok"), Map.entry('✗', "x"));

    private final boolean ascii;

    private Glyphs(Writer out, boolean ascii) {
        super(out);
        this.ascii = ascii;
    }

    /** Whether the locale's character set is UTF-8, from the variables that decide it, in POSIX's order. */
    static boolean utf8Locale(Map<String, String> env) {
        for (String name : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(name);
            if (v == null || v.isEmpty()) continue;
            String l = v.toLowerCase(Locale.ROOT);
            return l.contains("utf-8") || l.contains("utf8");
        }
        return false; // no locale at all is POSIX's "C"
    }

    /** A writer over {@code stream}: UTF-8 in a UTF-8 locale, else ASCII with the glyphs spelled out. */
    static PrintWriter writer(OutputStream stream, Map<String, String> env) {
        boolean utf8 = utf8Locale(env);
        Charset cs = utf8 ? StandardCharsets.UTF_8 : StandardCharsets.US_ASCII;
        return new PrintWriter(new Glyphs(new OutputStreamWriter(stream, cs), !utf8), true);
    }

    /** {@code text} with control characters escaped, but for whole SGR colour sequences, tabs and newlines. */
    static String escapeControls(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0x1b) {
                int end = sgrEnd(text, i);
                if (end > 0) {
                    if (b != null) b.append(text, i, end);
                    i = end - 1;
                    continue;
                }
            }
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || c == 0x7f || (c >= 0x80 && c < 0xa0);
            if (control && b == null) b = new StringBuilder(text.length() + 8).append(text, 0, i);
            if (control) b.append(String.format("\\x%02x", (int) c));
            else if (b != null) b.append(c);
        }
        return b == null ? text : b.toString();
    }

    /** The end of the SGR sequence ({@code ESC [ digits ; ... m}) that starts at {@code i}, or -1. */
    private static int sgrEnd(String s, int i) {
        if (i + 2 >= s.length() || s.charAt(i + 1) != '[') return -1;
        int j = i + 2;
        while (j < s.length() && (Character.isDigit(s.charAt(j)) || s.charAt(j) == ';')) j++;
        return j < s.length() && s.charAt(j) == 'm' ? j + 1 : -1;
    }

    /** {@code text} as it would reach an ASCII terminal. */
    static String ascii(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String r = c < 128 ? null : ASCII.get(c);
            if (r != null) b.append(r);
            else b.append(c);
        }
        return b.toString();
    }

    @Override
    public void write(int c) throws IOException {
        write(String.valueOf((char) c), 0, 1);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        write(new String(buf, off, len), 0, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        String text = escapeControls(s.substring(off, off + len));
        out.write(ascii ? ascii(text) : text);
    }
}
