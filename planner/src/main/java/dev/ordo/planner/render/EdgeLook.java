package dev.ordo.planner.render;

import dev.ordo.planner.plan.EdgeKind;

/**
 * How an edge kind is drawn in {@code ordo plan --format dot}: relations between jobs solid (a
 * requirement bold, an ordering green), what happened in the boot (an event that triggered or held a
 * step) dashed and labelled with the event, the reversed order of the shutdown dotted.
 *
 * @param labelled whether the edge carries its kind as a label: the events, whose colour is shared
 */
record EdgeLook(String color, String style, String penwidth, String arrowhead, boolean labelled) {

    static EdgeLook of(EdgeKind k) {
        return switch (k) {
            case REQUIRES -> new EdgeLook("#000000", "bold", "2", "normal", false);
            case BINDS_TO -> new EdgeLook("#000000", "bold", "2", "diamond", true);
            case REQUISITE -> new EdgeLook("#000000", "bold", "2", "tee", true);
            case WANTS -> new EdgeLook("#8c8c8c", "dashed", "1", "normal", false);
            case AFTER -> new EdgeLook("#2ca02c", "solid", "1", "normal", false);
            case BEFORE -> new EdgeLook("#2ca02c", "solid", "1", "empty", false);
            case STARTING, STARTED, STOPPING, STOPPED -> new EdgeLook("#1f77b4", "dashed", "1.2", "normal", true);
            case EVENT, EMITS -> new EdgeLook("#17becf", "dashed", "1.2", "normal", true);
            case HELD -> new EdgeLook("#ff7f0e", "dashed", "1.5", "normal", false);
            case REVERSE -> new EdgeLook("#9467bd", "dotted", "1.5", "normal", false);
            case GOAL -> new EdgeLook("#8c564b", "bold", "2", "normal", false);
            default -> new EdgeLook("#000000", "solid", "1", "normal", false);
        };
    }

    /** The event kinds: a step one of them triggered gets an edge from the step that caused it. */
    static boolean isEvent(EdgeKind k) {
        return switch (k) {
            case STARTING, STARTED, STOPPING, STOPPED, EVENT, EMITS -> true;
            default -> false;
        };
    }

    /** The orderings, whose edges implied by others are left out of the picture. */
    static boolean isOrdering(EdgeKind k) {
        return k == EdgeKind.AFTER || k == EdgeKind.BEFORE || k == EdgeKind.REVERSE;
    }
}
