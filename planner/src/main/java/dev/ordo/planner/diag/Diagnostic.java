package dev.ordo.planner.diag;

import java.util.Comparator;

/**
 * One finding about a configuration: what is wrong, where, and (when one helps) what to do about it.
 * Rendering lives in {@code render}; a diagnostic is data.
 *
 * @param hint a short suggestion, or null
 */
public record Diagnostic(Severity severity, Code code, String message, Source source, String hint) {

    /** File, line, column, then code, then message: the order every renderer uses. */
    public static final Comparator<Diagnostic> ORDER = Comparator.comparing(Diagnostic::source)
            .thenComparing(d -> d.code().id())
            .thenComparing(Diagnostic::message)
            .thenComparing(d -> d.hint() == null ? "" : d.hint());

    public Diagnostic {
        if (severity == null || code == null || message == null || source == null) {
            throw new IllegalArgumentException("severity, code, message and source are required");
        }
    }

    public static Diagnostic of(Code code, Source source, String message) {
        return new Diagnostic(code.severity(), code, message, source, null);
    }

    public static Diagnostic of(Code code, Source source, String message, String hint) {
        return new Diagnostic(code.severity(), code, message, source, hint);
    }

    public Diagnostic withSeverity(Severity s) {
        return new Diagnostic(s, code, message, source, hint);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }
}
