package dev.ordo.planner.config.systemd;

import dev.ordo.planner.model.ExecCommand;
import dev.ordo.planner.model.ExecPrefix;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The value of an {@code Exec*=} line as systemd 252's config_parse_exec() reads it (systemd.service(5),
 * "Command lines"): words split at whitespace, single and double quotes grouping, C escapes undone; the
 * first word carries the prefixes {@code - @ : + ! !!}; a lone {@code ;} word separates commands and
 * {@code \;} is a literal semicolon. The path is absolute or a plain file name (looked up in systemd's
 * fixed search path when run). Specifiers are expanded before, on the whole value, as systemd does.
 */
final class ExecLines {

    private ExecLines() {
    }

    /** The commands of one line, each with the text it was written as; an IllegalArgumentException says what is wrong. */
    static List<Line> parse(String value) {
        List<Line> out = new ArrayList<>();
        List<UnitValues.Word> words = new ArrayList<>();
        int segmentStart = -1;
        for (UnitValues.Word w : UnitValues.words(value, true)) {
            // A lone `;` separates commands; `\;` is unescaped to `;` too, so tell them apart by the text.
            boolean separator = w.text().equals(";") && value.charAt(w.offset()) == ';';
            if (separator) {
                if (!words.isEmpty()) out.add(command(words, value.substring(segmentStart, w.offset()).strip()));
                words.clear();
                segmentStart = -1;
                continue;
            }
            if (segmentStart < 0) segmentStart = w.offset();
            words.add(w);
        }
        if (!words.isEmpty()) out.add(command(words, value.substring(segmentStart).strip()));
        if (out.isEmpty()) throw new IllegalArgumentException("no command is given");
        return out;
    }

    /** One command and how it was written. */
    record Line(ExecCommand command, String written) {
    }

    private static Line command(List<UnitValues.Word> words, String written) {
        String first = words.get(0).text();
        Set<ExecPrefix> prefixes = EnumSet.noneOf(ExecPrefix.class);
        int i = 0;
        for (; i < first.length(); i++) {
            char c = first.charAt(i);
            ExecPrefix p;
            if (c == '-') p = ExecPrefix.IGNORE_FAILURE;
            else if (c == '@') p = ExecPrefix.ARGV0;
            else if (c == ':') p = ExecPrefix.NO_EXPANSION;
            else if (c == '+') p = ExecPrefix.FULL_PRIVILEGES;
            else if (c == '!' && prefixes.contains(ExecPrefix.NO_CREDENTIALS)) {
                prefixes.remove(ExecPrefix.NO_CREDENTIALS);
                p = ExecPrefix.NO_CREDENTIALS_WITHOUT_AMBIENT;
            } else if (c == '!') p = ExecPrefix.NO_CREDENTIALS;
            else break;
            boolean privileged = prefixes.contains(ExecPrefix.FULL_PRIVILEGES) || prefixes.contains(ExecPrefix.NO_CREDENTIALS)
                    || prefixes.contains(ExecPrefix.NO_CREDENTIALS_WITHOUT_AMBIENT);
            // Each prefix once; `+` and `!` exclude each other (systemd stops reading prefixes there).
            if (prefixes.contains(p) || (p.keepsCredentials() && privileged && p != ExecPrefix.NO_CREDENTIALS_WITHOUT_AMBIENT)) break;
            prefixes.add(p);
        }
        String path = first.substring(i);
        if (path.isEmpty()) {
            throw new IllegalArgumentException("`" + first + "` has prefixes but no executable");
        }
        if (!path.startsWith("/") && path.contains("/")) {
            throw new IllegalArgumentException("`" + path + "` is neither an absolute path nor a plain file name");
        }
        List<String> all = new ArrayList<>();
        all.add(path);
        for (int k = 1; k < words.size(); k++) all.add(words.get(k).text());
        if (prefixes.contains(ExecPrefix.ARGV0) && all.size() < 2) {
            throw new IllegalArgumentException("`@` needs the word that is passed as argv[0] after the path");
        }
        return new Line(new ExecCommand(prefixes, all), written);
    }
}
