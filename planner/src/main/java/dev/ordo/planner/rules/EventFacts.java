package dev.ordo.planner.rules;

/**
 * An event as a condition's leaf sees it: a name and an ordered environment (U§1.6). The engine's queued
 * events and the plan's occurrences both answer it.
 */
public interface EventFacts {

    String name();

    /** The value of the variable at {@code position} (the positional form of a leaf), or null past the end. */
    String valueAt(int position);

    /** The value of {@code key}, or null when the event does not carry it. */
    String value(String key);

    /**
     * Whether the variable at {@code position} matches whatever the leaf asks (a plan's supposed failure
     * with no way given: {@code --fail JOB} fails "any way"). A real event never does.
     */
    default boolean anyValueAt(int position) {
        return false;
    }

    /** As {@link #anyValueAt}, by name. */
    default boolean anyValue(String key) {
        return false;
    }
}
