package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * One {@code Condition…=} or {@code Assert…=} line of a systemd unit (systemd.unit(5)): tested when the
 * unit's start job runs, after its ordering dependencies and before {@code ExecStartPre=}. A condition
 * that is not met skips the unit; an assert that is not met fails its start.
 *
 * @param assertion an {@code Assert…=} line (its failure fails the start) rather than a condition
 * @param trigger written with {@code |}: one triggering condition of the unit must hold, not all
 * @param negate written with {@code !}: the test's result is inverted (an error stays an error)
 * @param parameter what is tested, prefixes removed and specifiers expanded
 */
public record UnitCondition(ConditionKind kind, boolean assertion, boolean trigger, boolean negate, String parameter,
                            Source source) {

    /** The line as systemd writes it in its logs: {@code ConditionPathExists=|!/etc/foo}. */
    public String text() {
        return (assertion ? "Assert" : "Condition") + kind.word() + "=" + (trigger ? "|" : "") + (negate ? "!" : "")
                + parameter;
    }
}
