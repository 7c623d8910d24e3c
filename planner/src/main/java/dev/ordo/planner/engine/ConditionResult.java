package dev.ordo.planner.engine;

/**
 * The bare result of testing one condition or assert on the machine, before its {@code !}: the process layer's
 * answer to {@link Effect.TestConditions}. {@code UNKNOWN} is systemd's "error" result: the test could not be
 * made, and the condition counts as not met whether or not it is negated (systemd's condition_test_list), so
 * that nothing passes silently.
 */
public enum ConditionResult {
    HOLDS,
    FAILS,
    UNKNOWN
}
