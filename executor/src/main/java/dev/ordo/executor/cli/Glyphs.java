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
 * The arrows and box lines of ordo's text ({@code →}, {@code └─}) where the locale can show them, and
 * ASCII where it cannot ({@code LANG=C}, a cron job, a CI runner without a locale): {@code ->},
 * {@code `-}. Git and systemctl do the same. Files written with {@code -o} are always UTF-8.
 */
final class Glyphs extends FilterWriter {

    private static final Map<Character, String> ASCII = Map.ofEntries(
            Map.entry('→', "->"), Map.entry('←', "<-"), Map.entry('└', "`"), Map.entry('├', "|"),
            Map.entry('│', "|"), Map.entry('─', "-"), Map.entry('—', "--"), Map.entry('…', "..."),
            Map.entry('≤', "<="), Map.entry('≥', ">="), Map.entry('×', "x"), Map.entry('·', "."),
            Map.entry('✓', "ok"), Map.entry('✗', "x"));

    private Glyphs(Writer out) {
        super(out);
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
        if (utf8Locale(env)) return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
        Charset ascii = StandardCharsets.US_ASCII;
        return new PrintWriter(new Glyphs(new OutputStreamWriter(stream, ascii)), true);
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
        String r = c < 128 ? null : ASCII.get((char) c);
        if (r != null) out.write(r);
        else out.write(c);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
        write(new String(buf, off, len), 0, len);
    }

    @Override
    public void write(String s, int off, int len) throws IOException {
        out.write(ascii(s.substring(off, off + len)));
    }
}
