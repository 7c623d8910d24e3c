package dev.ordo.planner.config.yaml;

import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Turns SnakeYAML marks (0-based, counted in code points) into {@link Source}s, and offsets inside a
 * scalar's value into places in the file, so that an event expression's errors point at the word that
 * is wrong rather than at the start of the value.
 */
final class YamlPositions {

    private final String file;
    private final String text;
    /** String index where each line starts; line breaks are the ones SnakeYAML counts. */
    private final int[] lineStarts;

    YamlPositions(String file, String text) {
        this.file = file;
        this.text = text;
        this.lineStarts = lineStarts(text);
    }

    private static int[] lineStarts(String s) {
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // SnakeYAML (YAML 1.1) breaks lines at \n, a lone \r, \r\n, NEL, LS and PS.
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') continue;
            if (c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') starts.add(i + 1);
        }
        return starts.stream().mapToInt(Integer::intValue).toArray();
    }

    String file() {
        return file;
    }

    Source at(Mark m) {
        return new Source(file, m.getLine() + 1, m.getColumn() + 1);
    }

    Source at(Node n) {
        return at(n.getStartMark());
    }

    /** The string index of a mark (marks count code points, Java strings count UTF-16 units). */
    private int index(Mark m) {
        int line = Math.min(Math.max(m.getLine(), 0), lineStarts.length - 1);
        int start = lineStarts[line];
        try {
            return text.offsetByCodePoints(start, m.getColumn());
        } catch (IndexOutOfBoundsException e) {
            return Math.min(text.length(), start + m.getColumn());
        }
    }

    private Source atIndex(int index) {
        int i = Math.max(0, Math.min(index, text.length()));
        int line = Arrays.binarySearch(lineStarts, i);
        if (line < 0) line = -line - 2;
        return new Source(file, line + 1, text.codePointCount(lineStarts[line], i) + 1);
    }

    /**
     * Maps an offset in {@code node}'s value to its place in the file. Plain and quoted scalars on one
     * line map exactly, as do the words of multi-line and block scalars: each non-blank character of
     * the value is matched, in order, with the same character in the raw text (which skips quotes,
     * indentation and folded line breaks). Where that fails (an escape such as {@code \x41}) the rest
     * maps to the start of the value.
     */
    IntFunction<Source> within(ScalarNode node) {
        String value = node.getValue();
        int rawStart = index(node.getStartMark());
        int rawEnd = Math.min(text.length(), index(node.getEndMark()));
        DumperOptions.ScalarStyle style = node.getScalarStyle();
        if (style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED) {
            // Skip the header (`|-`, `>2`, maybe a comment) up to the end of its line.
            while (rawStart < rawEnd && !isBreak(text.charAt(rawStart))) rawStart++;
            if (rawStart < rawEnd && text.charAt(rawStart) == '\r') rawStart++;
            if (rawStart < rawEnd && isBreak(text.charAt(rawStart))) rawStart++;
        } else if (style == DumperOptions.ScalarStyle.DOUBLE_QUOTED || style == DumperOptions.ScalarStyle.SINGLE_QUOTED) {
            rawStart++;
        }
        int[] map = new int[value.length() + 1];
        int p = rawStart;
        boolean lost = false;
        int fallback = index(node.getStartMark());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (lost) {
                map[i] = fallback;
                continue;
            }
            if (Character.isWhitespace(c)) {
                map[i] = p;
                continue;
            }
            while (p < rawEnd && text.charAt(p) != c) p++;
            if (p >= rawEnd) {
                lost = true;
                map[i] = fallback;
                continue;
            }
            map[i] = p++;
        }
        map[value.length()] = lost ? fallback : p;
        return offset -> atIndex(map[Math.max(0, Math.min(offset, value.length()))]);
    }

    /** Whether {@code s} holds a line break as YAML counts them. */
    static boolean hasBreak(String s) {
        for (int i = 0; i < s.length(); i++) if (isBreak(s.charAt(i))) return true;
        return false;
    }

    static boolean isBreak(char c) {
        return c == '\n' || c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029';
    }
}
