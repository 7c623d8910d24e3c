package dev.ordo.executor.control;

import java.nio.file.attribute.UserPrincipal;
import java.util.List;

/**
 * The way back to the client of one request. Every method is thread-safe and never blocks: replies are
 * queued for the control socket's thread to write, and a client that stops reading is cut off rather
 * than let it hold the supervisor up.
 */
public interface Responder {

    /** The request's id. */
    long id();

    /** Who asked (from SO_PEERCRED). */
    UserPrincipal peer();

    /** A streamed line ({@code log}); ignored once the final reply was sent or the client went away. */
    void line(String text);

    /**
     * Streamed lines, many at once ({@code log}'s tail): taken whole and written as fast as the client
     * reads them, so that a long log is never cut off for being long. Ignored like {@link #line}.
     */
    void lines(List<String> texts);

    /** The final reply, success. Only the first final reply counts; later ones are ignored. */
    void ok(String text);

    /** The final reply, failure. Only the first final reply counts; later ones are ignored. */
    void error(String message);

    /** False once the final reply was sent or the client went away: stop streaming. */
    boolean open();

    /**
     * Runs {@code action} once when this request can no longer be answered (the client went away, or the
     * server closed), e.g. to stop following a log. Runs at once if that has happened already.
     */
    void onClose(Runnable action);
}
