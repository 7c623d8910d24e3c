package dev.ordo.executor.cli;

import dev.ordo.planner.plan.Plan;

/** The picture formats of a plan (dot, mermaid, svg). */
final class Renderers {

    private Renderers() {
    }

    static String render(String format, Plan plan) {
        throw new UnsupportedOperationException(format + " is being written");
    }
}
