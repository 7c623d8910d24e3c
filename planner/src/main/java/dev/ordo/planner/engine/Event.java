package dev.ordo.planner.engine;

import dev.ordo.planner.rules.EventFacts;
import java.util.ArrayList;
import java.util.List;

/** An event in the queue, with what holds it (U§2.1). Package-private: the world sees effects. */
final class Event implements EventFacts {

    enum Progress { PENDING, HANDLING, FINISHED }

    final long id;
    final String name;
    /** {@code KEY=VALUE}, in order; positional arguments match by position. */
    final List<String> env;
    /** Operator leaves and jobs holding the event; it finishes when this is back to 0. */
    int blockers;
    boolean failed;
    Progress progress = Progress.PENDING;
    /** The job waiting in starting/stopping for this event, or null. */
    Instance emitter;
    /**
     * The instance whose event this is (a job event, or an {@code emit} from inside a job), or null:
     * a job it starts is in the boot order after it, and stops before it at shutdown.
     */
    Instance producer;
    /** {@code emit} commands waiting for the event to finish. */
    final List<Long> emitRequests = new ArrayList<>(1);

    Event(long id, String name, List<String> env) {
        this.id = id;
        this.name = name;
        this.env = List.copyOf(env);
    }

    /** The value of the variable at {@code position}, or null when there are fewer. */
    @Override
    public String name() {
        return name;
    }

    @Override
    public String valueAt(int position) {
        if (position >= env.size()) return null;
        String kv = env.get(position);
        int eq = kv.indexOf('=');
        return eq < 0 ? "" : kv.substring(eq + 1);
    }

    /** The value of {@code key}, or null when the event does not carry it. */
    @Override
    public String value(String key) {
        for (String kv : env) {
            if (kv.length() > key.length() && kv.charAt(key.length()) == '=' && kv.startsWith(key)) {
                return kv.substring(key.length() + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return name + (env.isEmpty() ? "" : " " + String.join(" ", env));
    }
}
