package dev.ordo.planner.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The effects of the input being handled, in the order they must be carried out: every part of the
 * engine adds to it, and {@link Engine#boot} and {@link Engine#handle} hand the list over. Each input
 * gets a fresh list, so a caller keeps the one it was given.
 */
final class Outbox {

    private List<Effect> effects = new ArrayList<>();

    /** A new input: a fresh list, so that the caller keeps the one it was given. */
    void begin() {
        effects = new ArrayList<>();
    }

    /** The effects of the input at hand, in order. */
    List<Effect> effects() {
        return effects;
    }

    void add(Effect e) {
        effects.add(e);
    }

    Effect.StateChanged stateChanged(Instance inst) {
        return new Effect.StateChanged(inst.cls.name, inst.name, inst.goal, inst.state);
    }

    void reply(long request, boolean ok, String text) {
        add(new Effect.Reply(request, ok, text));
    }

    /** A reply that succeeded, with the status of what it is about as data too. */
    void reply(long request, String text, java.util.List<JobStatus> statuses) {
        add(new Effect.Reply(request, true, text, statuses));
    }

    void log(String line) {
        add(new Effect.LogLine(line));
    }
}
