package dev.ordo.planner.diag;

/**
 * Stable diagnostic codes. A code never changes meaning once released; docs/checks.md describes each
 * one with an example and a fix, and a test keeps that page in step with this list.
 */
public enum Code {
    // ORD0xx: the text of a file (syntax, keys, values)
    UNREADABLE(1, "unreadable", Severity.ERROR, "a file or directory cannot be read"),
    SYNTAX(2, "syntax", Severity.ERROR, "the file is not well-formed"),
    UNKNOWN_KEY(3, "unknown-key", Severity.ERROR, "a key or stanza ordo does not know"),
    WRONG_TYPE(4, "wrong-type", Severity.ERROR, "a value of the wrong type (a list where a string belongs, ...)"),
    INVALID_VALUE(5, "invalid-value", Severity.ERROR, "a value that cannot be used (duration, signal, exit code, limit, ...)"),
    MISSING_ARGUMENT(6, "missing-argument", Severity.ERROR, "a stanza or key without the argument it needs"),
    UNEXPECTED_ARGUMENT(7, "unexpected-argument", Severity.ERROR, "a stanza with an argument it does not take"),
    UNTERMINATED_BLOCK(8, "unterminated-block", Severity.ERROR, "a script block without its end"),
    EXPECTED_EVENT(10, "expected-event", Severity.ERROR, "an event expression where an event name belongs but is missing"),
    MISMATCHED_PARENS(11, "mismatched-parens", Severity.ERROR, "parentheses that do not pair up"),
    EXPECTED_OPERATOR(12, "expected-operator", Severity.ERROR, "two operands without `and`/`or` between them"),
    EXPECTED_VARIABLE(13, "expected-variable", Severity.ERROR, "a positional argument after a KEY=VALUE one"),
    UNIT_UNKNOWN_SECTION(20, "unit-unknown-section", Severity.WARNING, "a unit file section systemd does not know"),
    UNIT_UNKNOWN_KEY(21, "unit-unknown-key", Severity.WARNING, "a unit file key systemd does not know in that section"),
    UNIT_SYNTAX(22, "unit-syntax", Severity.WARNING, "a unit file line systemd would ignore"),
    UNIT_INVALID_VALUE(23, "unit-invalid-value", Severity.ERROR, "a unit file value systemd would reject (and ignore)"),
    IGNORED_FILE(24, "ignored-file", Severity.WARNING, "a file given on the command line that ordo does not read"),
    UNIT_DIRECTIVE_NOT_APPLIED(25, "unit-directive-not-applied", Severity.WARNING,
            "a unit file directive that `ordo run` reads but does not apply as systemd does"),

    // ORD1xx: references between jobs, events and variables
    UNKNOWN_JOB(101, "unknown-job", Severity.ERROR, "a relation names a job that does not exist"),
    UNKNOWN_JOB_EVENT(102, "unknown-job-event", Severity.ERROR, "an event of a job that does not exist (`started foo`)"),
    UNEMITTED_EVENT(103, "unemitted-event", Severity.WARNING, "an event that no job emits and no goal provides"),
    UNKNOWN_VARIABLE(104, "unknown-variable", Severity.ERROR, "a `$VAR` that nothing defines"),
    DUPLICATE_JOB(105, "duplicate-job", Severity.ERROR, "the same job defined twice"),
    EMPTY_INSTANCE(106, "empty-instance", Severity.ERROR, "an instance template that always expands to nothing"),
    MASKED_UNIT(107, "masked-unit", Severity.WARNING, "a required unit is masked"),
    OVERRIDE_WITHOUT_JOB(108, "override-without-job", Severity.WARNING, "an Upstart .override file without its .conf"),

    // ORD2xx: relations that are legal but probably wrong
    REQUIRES_WITHOUT_AFTER(201, "requires-without-after", Severity.WARNING, "`requires` without `after`: both start at once"),
    MIXED_AND_OR(202, "mixed-and-or", Severity.WARNING, "`and` and `or` mixed without parentheses"),
    SELF_RELATION(203, "self-relation", Severity.ERROR, "a job that relates to itself"),
    CONFLICTING_RELATIONS(204, "conflicting-relations", Severity.ERROR, "a job that both needs and conflicts with another"),
    RESPAWN_LIMIT_WITHOUT_RESPAWN(206, "respawn-limit-without-respawn", Severity.WARNING, "`respawn limit` without `respawn`: nothing respawns"),
    EXEC_SHELL_OPERATOR(207, "exec-shell-operator", Severity.WARNING, "an `exec` line with `||`, `&&`, `;`, `|` or `&`, which `exec` in the shell defeats"),

    // ORD3xx: order that can never be satisfied
    ORDERING_CYCLE(301, "ordering-cycle", Severity.ERROR, "jobs ordered after each other in a circle"),
    DEADLOCK(302, "deadlock", Severity.ERROR, "steps that wait on each other through events and can never proceed"),
    HELD_EVENT(303, "held-event", Severity.ERROR, "an event held for ever by a partial `and` match"),
    PULLED_IN_EARLY(304, "pulled-in-early", Severity.WARNING,
            "a job pulled in by requires/wants before its own start condition holds"),
    REVERSE_ORDER_DROPPED(305, "reverse-order-dropped", Severity.WARNING,
            "an `after`/`before` not reversed at shutdown: the stop relations order the two the other way");

    private final int number;
    private final String slug;
    private final Severity severity;
    private final String summary;

    Code(int number, String slug, Severity severity, String summary) {
        this.number = number;
        this.slug = slug;
        this.severity = severity;
        this.summary = summary;
    }

    /** {@code ORD104}. */
    public String id() {
        return String.format("ORD%03d", number);
    }

    public String slug() {
        return slug;
    }

    /** The severity a diagnostic of this code has unless the reporter says otherwise. */
    public Severity severity() {
        return severity;
    }

    public String summary() {
        return summary;
    }

    /**
     * Whether {@code ordo check} quotes the source line under the message. Not for ORD025: its message names
     * the directive the whole line assigns, so the line would only repeat it, hundreds of times in a tree
     * such as Debian's.
     */
    public boolean quotesSourceLine() {
        return this != UNIT_DIRECTIVE_NOT_APPLIED;
    }
}
