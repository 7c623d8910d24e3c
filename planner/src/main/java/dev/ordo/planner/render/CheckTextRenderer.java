package dev.ordo.planner.render;

import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;

/**
 * {@code ordo check} for people: compiler-style {@code file:line:col: error[ORD101]: message}, the
 * source line with a caret under the column, the hint, and a one-line summary.
 */
public final class CheckTextRenderer {

    private final Style style;
    private final SourceLines lines = new SourceLines();

    public CheckTextRenderer(Style style) {
        this.style = style;
    }

    public String render(CheckReport report) {
        StringBuilder b = new StringBuilder();
        for (Diagnostic d : report.diagnostics()) diagnostic(d, b);
        summary(report, b);
        return b.toString();
    }

    private void diagnostic(Diagnostic d, StringBuilder b) {
        String sev = d.severity() == Severity.ERROR ? style.red("error") : style.yellow("warning");
        b.append(style.bold(d.source().toString())).append(": ").append(sev)
                .append(style.bold("[" + d.code().id() + "]")).append(": ").append(d.message()).append('\n');
        String line = d.source().line() > 0 && d.code().quotesSourceLine() ? lines.line(d.source().file(), d.source().line()) : null;
        if (line != null) {
            String num = Integer.toString(d.source().line());
            String pad = " ".repeat(num.length());
            String shown = expandTabs(line);
            int caretAt = displayColumn(line, d.source().column());
            // A long line is shown as a window around the caret: 5,000 warnings on one 40 KB line must not
            // print 200 MB.
            if (shown.length() > SNIPPET) {
                int from = Math.max(0, Math.min(caretAt - 1 - SNIPPET / 2, shown.length() - SNIPPET));
                int to = Math.min(shown.length(), from + SNIPPET);
                caretAt = caretAt - from + (from > 0 ? 3 : 0);
                shown = (from > 0 ? "..." : "") + shown.substring(from, to) + (to < shown.length() ? "..." : "");
            }
            b.append(style.dim(" " + num + " | ")).append(shown).append('\n');
            b.append(style.dim(" " + pad + " | ")).append(" ".repeat(Math.max(0, caretAt - 1)))
                    .append(d.severity() == Severity.ERROR ? style.red("^") : style.yellow("^")).append('\n');
        }
        if (d.hint() != null) b.append("  ").append(style.cyan("hint:")).append(' ').append(d.hint()).append('\n');
    }

    private static void summary(CheckReport r, StringBuilder b) {
        int files = r.config().files().size();
        int jobs = r.config().jobs().size();
        b.append("checked ").append(files).append(files == 1 ? " file, " : " files, ")
                .append(jobs).append(jobs == 1 ? " job: " : " jobs: ");
        long e = r.errors();
        long w = r.warnings();
        if (e == 0 && w == 0) {
            b.append("no problems");
        } else {
            b.append(e).append(e == 1 ? " error, " : " errors, ").append(w).append(w == 1 ? " warning" : " warnings");
        }
        b.append('\n');
        // They can be most of a tree's warnings (hundreds in Debian's): say so at the end, where a reader looks.
        long unapplied = r.diagnostics().stream().filter(d -> d.code() == Code.UNIT_DIRECTIVE_NOT_APPLIED).count();
        if (unapplied > 0) {
            b.append(Code.UNIT_DIRECTIVE_NOT_APPLIED.id()).append(": ").append(unapplied)
                    .append(unapplied == 1 ? " directive" : " directives")
                    .append(" that ordo run does not apply (docs/systemd.md)\n");
        }
        if (!r.externalEvents().isEmpty()) {
            b.append("external events (nothing here emits them): ").append(String.join(", ", r.externalEvents()))
                    .append('\n');
        }
    }

    /** The most characters of a source line shown under a diagnostic. */
    static final int SNIPPET = 160;

    private static String expandTabs(String line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                int n = 8 - (b.length() % 8);
                b.append(" ".repeat(n));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Where column {@code col} (1-based, in characters) of {@code line} lands once tabs are expanded. */
    private static int displayColumn(String line, int col) {
        int x = 0;
        for (int i = 0; i < Math.min(col - 1, line.length()); i++) {
            x = line.charAt(i) == '\t' ? x + 8 - (x % 8) : x + 1;
        }
        return x + 1 + Math.max(0, col - 1 - line.length());
    }
}
