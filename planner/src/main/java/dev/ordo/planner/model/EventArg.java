package dev.ordo.planner.model;

/**
 * One argument of an event match: a positional value ({@code key == null}), {@code KEY=VALUE} or
 * {@code KEY!=VALUE}. Values are fnmatch(3) globs and may contain {@code $VAR} references.
 */
public record EventArg(String key, boolean negated, String value) {

    public EventArg {
        if (value == null) throw new IllegalArgumentException("value");
        if (key == null && negated) throw new IllegalArgumentException("a positional argument cannot be negated");
    }

    public static EventArg positional(String value) {
        return new EventArg(null, false, value);
    }

    public static EventArg equal(String key, String value) {
        return new EventArg(key, false, value);
    }

    public static EventArg notEqual(String key, String value) {
        return new EventArg(key, true, value);
    }

    public boolean isPositional() {
        return key == null;
    }
}
