package dev.ordo.executor.control;

/**
 * One line from the supervisor to a client. A request gets zero or more {@link Kind#LINE} replies
 * ({@code log}) and then exactly one final reply, {@link Kind#OK} or {@link Kind#ERROR}.
 *
 * @param id the request's id, or null when the request was too broken to have one
 * @param text the status text, the log line, or the error message
 */
public record Reply(Long id, Kind kind, String text) {

    public enum Kind { OK, ERROR, LINE }

    public static Reply ok(Long id, String text) {
        return new Reply(id, Kind.OK, text);
    }

    public static Reply error(Long id, String text) {
        return new Reply(id, Kind.ERROR, text);
    }

    public static Reply line(Long id, String text) {
        return new Reply(id, Kind.LINE, text);
    }

    /** True for the reply that ends a request. */
    public boolean last() {
        return kind != Kind.LINE;
    }
}
