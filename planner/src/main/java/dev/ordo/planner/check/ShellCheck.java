package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Process;
import java.util.List;

/**
 * ORD207: an {@code exec} line that goes through the shell and uses a shell operator the {@code exec} in
 * front of it defeats. Upstart runs such a line as {@code /bin/sh -e -c "exec LINE"} (U§1.4), and so does
 * ordo, for job files and ordo.yaml alike: {@code exec a || b} replaces the shell with {@code a}, so
 * {@code b} never runs; {@code exec a | b} or {@code exec a &} leaves a shell as the process ordo watches.
 * The line runs as written; the check says what it will do. (systemd units run no shell: issue of their own.)
 */
final class ShellCheck {

    private ShellCheck() {
    }

    static void run(Config config, List<Diagnostic> out) {
        for (Job j : config.jobs()) {
            if (j.format() == Format.SYSTEMD) continue;
            for (Process p : j.processes().values()) {
                if (p.isScript()) continue;
                for (String line : p.exec()) {
                    String op = operator(line);
                    if (op != null) out.add(diagnostic(j, p, line, op));
                }
            }
        }
    }

    private static Diagnostic diagnostic(Job j, Process p, String line, String op) {
        String why = switch (op) {
            case "||", "&&", ";" -> "`exec` replaces the shell, so what follows `" + op + "` never runs";
            default -> "`exec` " + (op.equals("|") ? "in a pipeline" : "in the background")
                    + " leaves a shell as the process ordo watches and signals, not the command";
        };
        String script = j.format() == Format.UPSTART ? "a `script` ... `end script` block" : "`script:` (run by /bin/sh -e)";
        return Diagnostic.of(Code.EXEC_SHELL_OPERATOR, p.source(),
                "this line runs as `sh -e -c \"exec " + shorten(line) + "\"` because of `" + op + "`: " + why,
                "for shell logic use " + script + "; for one program, leave the operator out");
    }

    /** The first of ||, &&, ;, | and & outside quotes and not escaped, or null. */
    static String operator(String line) {
        if (!Process.throughShell(line)) return null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
                continue;
            }
            if (quote != 0) {
                if (c == quote) quote = 0;
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                continue;
            }
            boolean twice = i + 1 < line.length() && line.charAt(i + 1) == c;
            if (c == '|' || c == '&') {
                if (c == '&' && i > 0 && (line.charAt(i - 1) == '>' || line.charAt(i - 1) == '<')) continue; // 2>&1
                if (c == '&' && !twice && i + 1 < line.length() && line.charAt(i + 1) == '>') continue; // &>file
                return twice ? String.valueOf(c) + c : String.valueOf(c);
            }
            if (c == ';') return ";";
        }
        return null;
    }

    private static String shorten(String line) {
        return line.length() <= 60 ? line : line.substring(0, 57) + "...";
    }
}
