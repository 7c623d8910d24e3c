package dev.ordo.executor.control;

import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@link Responder} of one request on a {@link ClientConnection}: the first final reply counts, and
 * the close actions run once, when the request is answered or can no longer be.
 */
final class Answer implements Responder {

    final ControlRequest request;
    private final ClientConnection connection;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final List<Runnable> onClose = new ArrayList<>();
    private boolean closeRan;

    Answer(ControlRequest request, ClientConnection connection) {
        this.request = request;
        this.connection = connection;
    }

    @Override
    public long id() {
        return request.id();
    }

    @Override
    public UserPrincipal peer() {
        return connection.peer;
    }

    @Override
    public void line(String text) {
        if (!answered.get()) connection.send(ControlReply.line(request.id(), text == null ? "" : text));
    }

    @Override
    public void lines(List<String> texts) {
        if (!answered.get()) connection.queue(null, request.id(), texts);
    }

    @Override
    public void ok(String text) {
        finish(ControlReply.ok(request.id(), text == null ? "" : text));
    }

    @Override
    public void error(String message) {
        finish(ControlReply.error(request.id(), message == null ? "failed" : message));
    }

    private void finish(ControlReply r) {
        if (!answered.compareAndSet(false, true)) return;
        connection.send(r);
        connection.done(this);
        closed();
    }

    @Override
    public boolean open() {
        return !answered.get() && !connection.gone();
    }

    @Override
    public void onClose(Runnable action) {
        boolean now;
        synchronized (this) {
            now = closeRan;
            if (!now) onClose.add(action);
        }
        if (now) action.run();
    }

    void closed() {
        List<Runnable> run;
        synchronized (this) {
            if (closeRan) return;
            closeRan = true;
            run = new ArrayList<>(onClose);
            onClose.clear();
        }
        answered.set(true);
        for (Runnable r : run) {
            try {
                r.run();
            } catch (RuntimeException e) {
                connection.log("control: a close action failed: " + e);
            }
        }
    }
}
