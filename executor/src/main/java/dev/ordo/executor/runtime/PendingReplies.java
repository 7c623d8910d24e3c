package dev.ordo.executor.runtime;

import dev.ordo.executor.control.ControlRequest;
import dev.ordo.executor.control.Responder;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Input;
import java.util.HashMap;
import java.util.Map;

/**
 * The link between the control socket and the engine: each client request becomes an engine command
 * with a number unique in the supervisor (two clients may both send id 1), and the engine's one
 * {@link Effect.Reply} for it goes back to the client that asked. Thread-safe.
 */
public final class PendingReplies {

    /** A client waiting for the engine's answer, and how it wants it. */
    private record Waiting(Responder responder, boolean json, boolean list) {
    }

    private final Map<Long, Waiting> waiting = new HashMap<>();
    private long next;

    /**
     * The engine command for {@code request} ({@link ControlRequest#forEngine()} must hold), remembered so that
     * {@link #answer} finds {@code responder}.
     */
    public synchronized Input.Command command(ControlRequest request, Responder responder) {
        long n = ++next;
        waiting.put(n, new Waiting(responder, request.json(), request.cmd() == ControlRequest.Cmd.LIST));
        return request.toCommand(n);
    }

    /** Sends the engine's reply to its client. False if the reply is for no command of ours. */
    public boolean answer(Effect.Reply reply) {
        Waiting w;
        synchronized (this) {
            w = waiting.remove(reply.request());
        }
        if (w == null) return false;
        // An error is a sentence whatever the format: the client prints it on stderr and exits non-zero.
        if (reply.ok()) w.responder().ok(w.json() ? StatusJson.render(reply.statuses(), w.list()) : reply.text());
        else w.responder().error(reply.text());
        return true;
    }

    /** Commands not answered yet. */
    public synchronized int size() {
        return waiting.size();
    }
}
