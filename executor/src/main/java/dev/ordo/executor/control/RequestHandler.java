package dev.ordo.executor.control;

/**
 * What the supervisor does with a request. The runtime implements it; the control server calls it.
 */
@FunctionalInterface
public interface RequestHandler {

    /**
     * Takes a well-formed request. Called on the control socket's one thread, which serves every client:
     * hand the request to the supervisor's loop and return at once, never block; answer later, from any
     * thread, through {@code responder}. A handler that throws gets its request answered with an internal error,
     * and the server goes on.
     */
    void handle(ControlRequest request, Responder responder);
}
