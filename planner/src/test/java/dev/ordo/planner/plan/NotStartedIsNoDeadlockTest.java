package dev.ordo.planner.plan;

import static dev.ordo.planner.plan.PlannerTest.plan;
import static dev.ordo.planner.plan.PlannerTest.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.model.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SEMANTICS §6: a job whose condition never holds is not started, and one that requires it is not started
 * either, with that reason: not started is not a deadlock. Only a circle that is the whole reason is one.
 */
class NotStartedIsNoDeadlockTest {

    static final Config DBUS_HAL = yaml("""
            jobs:
              dbus: {exec: x, start_on: startup}
              hal: {exec: x, start_on: started dbus, stop_on: stopping dbus}
              network-manager: {exec: x, start_on: started hal, stop_on: stopping hal, requires: [hal], after: [hal]}
            """);

    static String why(Plan p, String id) {
        return p.notStarted().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow().why();
    }

    static String reason(Plan p, String id) {
        return p.notStarted().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow().reason();
    }

    @Test
    void aRequiredJobWhoseEventNeverComesIsNotStartedNotDeadlocked() {
        // --fail dbus: hal's `started dbus` never comes; network-manager requires hal and starts on started hal.
        Plan p = plan(DBUS_HAL, new Goal(List.of(), List.of(), List.of(new Goal.Failure("dbus", null))));
        assertTrue(p.diagnostics().stream().noneMatch(d -> d.code() == Code.DEADLOCK), p.diagnostics()::toString);
        assertEquals("waits for `started dbus`, and `dbus` fails at its start (--fail dbus)", why(p, "hal"));
        assertEquals("waits for `started hal`, and `hal` does not start", why(p, "network-manager"));
        assertEquals("no-trigger", reason(p, "network-manager"));
    }

    @Test
    void aGoalThatNeverStartsTheFirstJobLeavesTheRestNotStarted() {
        // --emit tty-added only: no startup, so dbus does not start, nor what waits on it.
        Plan p = plan(DBUS_HAL, new Goal(List.of(new Goal.GoalEvent("tty-added", List.of("TTY=tty1"))), List.of(), List.of()));
        assertTrue(p.diagnostics().stream().noneMatch(d -> d.code() == Code.DEADLOCK), p.diagnostics()::toString);
        assertEquals("waits for `started dbus`, and `dbus` does not start", why(p, "hal"));
    }

    @Test
    void aCircleThatIsTheWholeReasonIsStillADeadlock() {
        // x starts only when y has, y only when x has: nothing outside is missing, the circle is the cause.
        Plan p = plan(yaml("""
                jobs:
                  x: {exec: x, start_on: started y}
                  y: {exec: x, start_on: started x}
                """));
        assertEquals(1, p.diagnostics().stream().filter(d -> d.code() == Code.DEADLOCK).count(), p.diagnostics()::toString);
        // ... and so is a job that only its puller would start, when that puller waits for it.
        Plan pulled = plan(yaml("""
                jobs:
                  x: {exec: x, manual: true}
                  y: {exec: x, start_on: started x, requires: [x]}
                """));
        assertEquals("deadlock", reason(pulled, "y"), pulled.notStarted()::toString);
    }
}
