package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.rules.EventFacts;
import java.util.List;
import java.util.Set;

/**
 * One event happening at a time in a plan: its name, its environment in order ({@code KEY=VALUE}),
 * who caused it (a step id, or null for a goal) and how.
 *
 * @param anyway variables whose value is unknown and taken to match any pattern (a failure "any way")
 * @param blocking a {@code starting}/{@code stopping} event of {@code producer}: jobs it starts hold it
 */
record Occurrence(String name, List<String[]> env, double time, String producer, EdgeKind kind, Source source,
                  Set<String> anyway, boolean blocking) implements EventFacts {

    @Override
    public String value(String key) {
        for (String[] kv : env) if (kv[0].equals(key)) return kv[1];
        return null;
    }

    @Override
    public String valueAt(int position) {
        return position < env.size() ? env.get(position)[1] : null;
    }

    @Override
    public boolean anyValueAt(int position) {
        return position < env.size() && anyway.contains(env.get(position)[0]);
    }

    @Override
    public boolean anyValue(String key) {
        return anyway.contains(key);
    }

    /** {@code started dbus}, {@code tty-added TTY=tty1}: the event as a person would write it. */
    String text() {
        StringBuilder b = new StringBuilder(name);
        boolean jobEvent = kind == EdgeKind.STARTING || kind == EdgeKind.STARTED || kind == EdgeKind.STOPPING
                || kind == EdgeKind.STOPPED;
        for (String[] kv : env) {
            if (jobEvent && kv[0].equals("JOB")) {
                b.append(' ').append(kv[1]);
                continue;
            }
            if (jobEvent && kv[0].equals("INSTANCE")) {
                if (!kv[1].isEmpty()) b.append(" INSTANCE=").append(kv[1]);
                continue;
            }
            if (jobEvent && kv[0].equals("RESULT") && kv[1].equals("ok")) continue;
            b.append(' ').append(kv[0]).append('=').append(kv[1]);
        }
        return b.toString();
    }
}
