package dev.ordo.executor.runtime;

import dev.ordo.executor.control.ControlRequest;
import dev.ordo.executor.control.Responder;
import java.io.IOException;

/**
 * Requests from the control socket, on the loop thread (the socket's own thread only queues them):
 * engine commands go to the engine with their responder kept until it answers; shutdown, reload and
 * log are the supervisor's own.
 */
final class CommandIntake {

    private final Supervisor sup;

    CommandIntake(Supervisor supervisor) {
        this.sup = supervisor;
    }

    /** On the loop thread: one request, as the control socket's thread queued it. */
    void request(ControlRequest request, Responder responder) {
        if (request.forEngine()) {
            if (request.cmd() == ControlRequest.Cmd.START || request.cmd() == ControlRequest.Cmd.RESTART) {
                sup.reloadStep.instantiate(request.name());
            }
            sup.feed(sup.pending.command(request, responder));
            return;
        }
        switch (request.cmd()) {
            case SHUTDOWN -> sup.shutdown(responder);
            case RELOAD -> sup.reloadStep.reload(responder);
            case LOG -> tail(request, responder);
            default -> responder.error("`" + request.cmd().word() + "` is not a command of the supervisor");
        }
    }

    /** {@code ordo log}: the last lines of a job's log, then (with follow) what it writes next. */
    private void tail(ControlRequest request, Responder responder) {
        String job = request.name();
        if (!sup.jobs.containsKey(job)) {
            responder.error("Unknown job: " + job);
            return;
        }
        String instance = request.instance() == null ? "" : request.instance();
        try {
            if (!request.follow()) {
                responder.lines(sup.logs.tail(job, instance, request.lines()));
                responder.ok("");
                return;
            }
            // The last lines and then what is written next, handed over under the log's lock: none missed or twice.
            // The last lines come all at once, inside follow(): taken whole (a long log is not cut off for being
            // long), then each new line as it is written.
            TailThenLines follower = new TailThenLines(responder);
            responder.onClose(sup.logs.follow(job, instance, request.lines(), follower));
            follower.tailDone();
        } catch (IOException e) {
            responder.error("cannot read the log of " + ConsoleOutput.label(job, instance) + ": " + e.getMessage());
        }
    }

    /** A follower that gathers what comes before {@link #tailDone} and hands it over in one go. */
    private static final class TailThenLines implements java.util.function.Consumer<String> {
        private final Responder responder;
        private java.util.List<String> tail = new java.util.ArrayList<>();

        TailThenLines(Responder responder) {
            this.responder = responder;
        }

        @Override
        public synchronized void accept(String line) {
            if (tail != null) tail.add(line);
            else responder.line(line);
        }

        synchronized void tailDone() {
            responder.lines(tail);
            tail = null;
        }
    }
}
