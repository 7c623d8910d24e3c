package dev.ordo.executor.control;

/**
 * One line from the supervisor to a client. A request gets zero or more {@link ReplyKind#LINE} replies
 * ({@code log}) and then exactly one final reply, {@link ReplyKind#OK} or {@link ReplyKind#ERROR}.
 *
 * @param id the request's id, or null when the request was too broken to have one
 * @param text the status text, the log line, or the error message
 */
public record ControlReply(Long id, ReplyKind kind, String text) {

    public enum ReplyKind { OK, ERROR, LINE }

    public static ControlReply ok(Long id, String text) {
        return new ControlReply(id, ReplyKind.OK, text);
    }

    public static ControlReply error(Long id, String text) {
        return new ControlReply(id, ReplyKind.ERROR, text);
    }

    public static ControlReply line(Long id, String text) {
        return new ControlReply(id, ReplyKind.LINE, text);
    }

    /** True for the reply that ends a request. */
    public boolean last() {
        return kind != ReplyKind.LINE;
    }
}
