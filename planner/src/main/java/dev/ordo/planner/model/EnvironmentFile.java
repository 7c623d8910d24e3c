package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A file of {@code KEY=VALUE} lines whose variables a job's processes get (systemd's
 * {@code EnvironmentFile=}). It is read at each start, not when the configuration is read: packages put
 * defaults there ({@code /etc/default/cron}) that an administrator changes without touching the unit.
 *
 * @param path the file
 * @param optional written with a leading {@code -}: a missing file is no error
 */
public record EnvironmentFile(String path, boolean optional, Source source) {

    /**
     * The assignments of a file's text, as systemd's load_env_file() reads them: blank lines and lines
     * starting with {@code #} or {@code ;} are skipped; blanks around the key and an unquoted value are
     * dropped; single quotes keep everything; double quotes undo {@code \"}, {@code \\}, {@code \`} and
     * {@code \$}; outside quotes a backslash keeps the next character; a backslash at the end of a line
     * continues the value on the next. A line without {@code =} or with a key that is not a variable
     * name is ignored, as systemd ignores it (with a warning of its own).
     */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t' || text.charAt(i) == '\n' || text.charAt(i) == '\r')) i++;
            if (i >= n) break;
            char c = text.charAt(i);
            if (c == '#' || c == ';') {
                while (i < n && text.charAt(i) != '\n') i++;
                continue;
            }
            int keyStart = i;
            while (i < n && text.charAt(i) != '=' && text.charAt(i) != '\n') i++;
            if (i >= n || text.charAt(i) == '\n') continue;
            String key = text.substring(keyStart, i).strip();
            i++;
            while (i < n && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) i++;
            StringBuilder value = new StringBuilder();
            int lastKept = 0; // length of value up to its last character that trailing blanks may not drop
            char quote = 0;
            while (i < n) {
                c = text.charAt(i);
                if (quote == 0 && (c == '\n' || c == '\r')) break;
                if (quote == '\'') {
                    if (c == '\'') quote = 0;
                    else value.append(c);
                    lastKept = value.length();
                    i++;
                    continue;
                }
                if (c == '\\' && i + 1 < n) {
                    char next = text.charAt(i + 1);
                    i += 2;
                    if (next == '\n') continue; // a continued line
                    if (quote == '"' && "\"\\`$".indexOf(next) < 0) value.append('\\');
                    value.append(next);
                    lastKept = value.length();
                    continue;
                }
                if (quote == '"') {
                    if (c == '"') quote = 0;
                    else value.append(c);
                    lastKept = value.length();
                    i++;
                    continue;
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                    i++;
                    continue;
                }
                value.append(c);
                if (c != ' ' && c != '\t') lastKept = value.length();
                i++;
            }
            value.setLength(lastKept);
            if (isName(key)) out.put(key, value.toString());
        }
        return out;
    }

    private static boolean isName(String key) {
        if (key.isEmpty() || Character.isDigit(key.charAt(0))) return false;
        for (int k = 0; k < key.length(); k++) {
            char c = key.charAt(k);
            if (!(c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
        }
        return true;
    }
}
