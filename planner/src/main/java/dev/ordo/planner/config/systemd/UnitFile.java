package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Suggest;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The text of one unit file or drop-in, split into assignments the way systemd's config_parse()
 * (src/shared/conf-parser.c, v252) does: comment lines start with {@code #} or {@code ;} (also inside a
 * continuation), a trailing unescaped backslash joins the next line (the backslash becomes a space),
 * whitespace around the key and the value is dropped. Every character keeps its line and column so
 * that values and the words in them can be pointed at.
 */
final class UnitFile {

    /** Sections each unit type reads (the {@code .sections} of each unit vtable in systemd 252). */
    static final Map<String, List<String>> SECTIONS = Map.ofEntries(
            Map.entry("service", List.of("Unit", "Service", "Install")),
            Map.entry("socket", List.of("Unit", "Socket", "Install")),
            Map.entry("target", List.of("Unit", "Target", "Install")),
            Map.entry("device", List.of("Unit", "Device", "Install")),
            Map.entry("mount", List.of("Unit", "Mount", "Install")),
            Map.entry("automount", List.of("Unit", "Automount", "Install")),
            Map.entry("swap", List.of("Unit", "Swap", "Install")),
            Map.entry("timer", List.of("Unit", "Timer", "Install")),
            Map.entry("path", List.of("Unit", "Path", "Install")),
            Map.entry("slice", List.of("Unit", "Slice", "Install")),
            Map.entry("scope", List.of("Unit", "Scope", "Install")));

    /** One {@code Key=Value} line (after joining continuations), with a position for every value character. */
    static final class Assignment {
        final String section;
        final String key;
        final String value;
        final Source keySource;
        private final int[] lines;
        private final int[] columns;

        Assignment(String section, String key, String value, Source keySource, int[] lines, int[] columns) {
            this.section = section;
            this.key = key;
            this.value = value;
            this.keySource = keySource;
            this.lines = lines;
            this.columns = columns;
        }

        /** Where the value starts (just after the {@code =} and blanks when the value is empty). */
        Source valueSource() {
            return at(0);
        }

        /** Where character {@code offset} of the value is. */
        Source at(int offset) {
            if (lines.length == 0) return keySource;
            int i = Math.max(0, Math.min(offset, lines.length - 1));
            return new Source(keySource.file(), lines[i], columns[i]);
        }
    }

    final String display;
    final List<Assignment> assignments;
    final List<Diagnostic> diagnostics;

    private UnitFile(String display, List<Assignment> assignments, List<Diagnostic> diagnostics) {
        this.display = display;
        this.assignments = List.copyOf(assignments);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** Parses {@code text}; {@code type} (without the dot) decides which sections are known. */
    static UnitFile parse(String display, String text, String type) {
        return new Parser(display, type).run(text);
    }

    private static final class Parser {
        private final String display;
        private final List<String> sections;
        private final List<Assignment> out = new ArrayList<>();
        private final List<Diagnostic> diagnostics = new ArrayList<>();
        private String section;
        private boolean sectionIgnored;

        Parser(String display, String type) {
            this.display = display;
            this.sections = SECTIONS.getOrDefault(type, List.of("Unit", "Install"));
        }

        UnitFile run(String text) {
            if (text.startsWith("\uFEFF")) text = text.substring(1);
            StringBuilder buf = null;
            List<Integer> lines = new ArrayList<>();
            List<Integer> cols = new ArrayList<>();
            int lineNo = 0;
            int pos = 0;
            while (pos <= text.length()) {
                int nl = text.indexOf('\n', pos);
                if (nl < 0) {
                    if (pos == text.length()) break;
                    nl = text.length();
                }
                String raw = text.substring(pos, nl);
                if (raw.endsWith("\r")) raw = raw.substring(0, raw.length() - 1);
                pos = nl + 1;
                lineNo++;
                String lead = raw.stripLeading();
                if (!lead.isEmpty() && (lead.charAt(0) == '#' || lead.charAt(0) == ';')) continue;
                if (buf == null) {
                    buf = new StringBuilder();
                    lines.clear();
                    cols.clear();
                }
                int column = 1;
                for (int i = 0; i < raw.length(); i++) {
                    buf.append(raw.charAt(i));
                    lines.add(lineNo);
                    cols.add(column);
                    // Columns count characters; a surrogate pair is one character.
                    if (!Character.isHighSurrogate(raw.charAt(i))) column++;
                }
                boolean escaped = false;
                for (int i = 0; i < buf.length(); i++) escaped = !escaped && buf.charAt(i) == '\\';
                if (escaped) {
                    buf.setCharAt(buf.length() - 1, ' ');
                    continue;
                }
                line(buf.toString(), toArray(lines), toArray(cols), lineNo);
                buf = null;
            }
            if (buf != null) line(buf.toString(), toArray(lines), toArray(cols), lineNo);
            return new UnitFile(display, out, diagnostics);
        }

        private static int[] toArray(List<Integer> l) {
            int[] a = new int[l.size()];
            for (int i = 0; i < a.length; i++) a[i] = l.get(i);
            return a;
        }

        private Source src(int[] lines, int[] cols, int i, int fallbackLine) {
            if (lines.length == 0) return new Source(display, fallbackLine, 1);
            int k = Math.max(0, Math.min(i, lines.length - 1));
            return new Source(display, lines[k], cols[k]);
        }

        private void line(String l, int[] lines, int[] cols, int lastLine) {
            int start = 0;
            int end = l.length();
            while (start < end && isBlank(l.charAt(start))) start++;
            while (end > start && isBlank(l.charAt(end - 1))) end--;
            if (start == end) return;
            Source at = src(lines, cols, start, lastLine);
            if (l.charAt(start) == '[') {
                if (l.charAt(end - 1) != ']' || end - start < 2) {
                    diagnostics.add(Diagnostic.of(Code.SYNTAX, at,
                            "invalid section header `" + l.substring(start, end) + "`; systemd refuses to load this unit",
                            "a section header is a name in brackets, such as [Unit]"));
                    section = null;
                    sectionIgnored = true;
                    return;
                }
                String name = l.substring(start + 1, end - 1);
                if (sections.contains(name)) {
                    section = name;
                    sectionIgnored = false;
                    return;
                }
                section = null;
                sectionIgnored = true;
                if (name.startsWith("X-")) return;
                diagnostics.add(Diagnostic.of(Code.UNIT_UNKNOWN_SECTION, at,
                        "unknown section [" + name + "]; systemd ignores it and every line in it",
                        sectionHint(name)));
                return;
            }
            if (section == null) {
                if (!sectionIgnored) {
                    diagnostics.add(Diagnostic.of(Code.UNIT_SYNTAX, at,
                            "assignment outside of any section; systemd ignores it",
                            "put it below a section header such as [Unit]"));
                }
                return;
            }
            int eq = l.indexOf('=', start);
            if (eq < 0 || eq >= end) {
                String hint = l.startsWith(".include", start)
                        ? ".include is no longer supported; use a drop-in (NAME.d/*.conf)"
                        : "write Key=Value";
                diagnostics.add(Diagnostic.of(Code.UNIT_SYNTAX, at, "line without `=`; systemd ignores it", hint));
                return;
            }
            int keyEnd = eq;
            while (keyEnd > start && isBlank(l.charAt(keyEnd - 1))) keyEnd--;
            if (keyEnd == start) {
                diagnostics.add(Diagnostic.of(Code.UNIT_SYNTAX, at, "missing key name before `=`; systemd ignores the line",
                        "write Key=Value"));
                return;
            }
            String key = l.substring(start, keyEnd);
            int vs = eq + 1;
            while (vs < end && isBlank(l.charAt(vs))) vs++;
            String value = l.substring(vs, end);
            int[] vl = new int[end - vs];
            int[] vc = new int[end - vs];
            for (int i = vs; i < end; i++) {
                vl[i - vs] = lines[i];
                vc[i - vs] = cols[i];
            }
            if (vl.length == 0) {
                // An empty value points just after the '='.
                Source e = src(lines, cols, eq, lastLine);
                vl = new int[] {e.line()};
                vc = new int[] {e.column() + 1};
            }
            Set<String> known = UnitDirectives.KEYS.getOrDefault(section, Set.of());
            if (!known.contains(key) && !key.startsWith("X-")) {
                diagnostics.add(Diagnostic.of(Code.UNIT_UNKNOWN_KEY, at,
                        "unknown key `" + key + "` in section [" + section + "]; systemd ignores it", keyHint(key, known)));
                return;
            }
            out.add(new Assignment(section, key, value, at, vl, vc));
        }

        private String sectionHint(String name) {
            String h = Suggest.hint(name, sections);
            if (h != null) return h;
            for (Map.Entry<String, List<String>> e : SECTIONS.entrySet()) {
                if (e.getValue().contains(name)) {
                    return "[" + name + "] belongs in ." + e.getKey() + " units; this unit reads " + listSections();
                }
            }
            return "this unit reads " + listSections() + "; private sections start with X-";
        }

        private String listSections() {
            StringBuilder b = new StringBuilder();
            for (String s : sections) b.append(b.length() == 0 ? "" : ", ").append('[').append(s).append(']');
            return b.toString();
        }

        private String keyHint(String key, Set<String> known) {
            for (String s : sections) {
                if (!s.equals(section) && UnitDirectives.KEYS.getOrDefault(s, Set.of()).contains(key)) {
                    return "`" + key + "=` belongs in section [" + s + "]";
                }
            }
            String h = Suggest.hint(key, known);
            if (h != null) return h;
            for (Map.Entry<String, Set<String>> e : UnitDirectives.KEYS.entrySet()) {
                if (e.getValue().contains(key)) {
                    return "`" + key + "=` is a key of [" + e.getKey() + "], which this unit type does not read";
                }
            }
            return "private keys start with X-";
        }

        private static boolean isBlank(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r';
        }
    }
}
