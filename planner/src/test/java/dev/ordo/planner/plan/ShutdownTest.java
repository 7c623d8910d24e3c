package dev.ordo.planner.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The plan's shutdown where it follows what the executor does (docs/semantics.md, Plans, Shutdown):
 * conditions keep the boot's matches, jobs started at shutdown emit their events, pull in and are
 * refused like any, and events are handled first come, first served. Every duration is 1 s.
 */
class ShutdownTest {

    private static Plan plan(String yaml) {
        return PlannerTest.plan(PlannerTest.yaml(yaml));
    }

    private static boolean waits(Step s, String id, EdgeKind kind) {
        return s.waitsFor().stream().anyMatch(w -> w.id().equals(id) && w.kind() == kind);
    }

    @Test
    void aConditionKeepsWhatItMatchedDuringTheBoot() {
        // `started a` came in the boot, `stopping a` completes the condition at shutdown (U§3.3).
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  c: {exec: /bin/c, task: true, start_on: started a and stopping a}
                """);
        assertNull(p.boot().step("c"), "c does not run in the boot");
        Step c = p.shutdown().step("c");
        assertNotNull(c, "c runs at shutdown: " + p.shutdown().steps());
        assertTrue(c.task());
        assertEquals(0, c.trigger(), 1e-9);
        assertEquals(EdgeKind.STOPPING, c.because().kind());
        assertEquals("a", c.because().by());
        // a's stopping is held until c is done.
        Step a = p.shutdown().step("a");
        assertTrue(waits(a, "c", EdgeKind.STOPPING), a.waitsFor().toString());
        assertEquals(c.up(), a.start(), 1e-9);
    }

    @Test
    void aConditionThatWaitsForTheBootOnlyWithoutTheBootsMatchDoesNotHoldAtShutdown() {
        // `started b` never came (b never starts): stopping a alone is not enough.
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  b: {exec: /bin/b, manual: true}
                  c: {exec: /bin/c, task: true, start_on: started b and stopping a}
                """);
        assertNull(p.shutdown().step("c"));
    }

    @Test
    void jobsStartedAtShutdownEmitTheirEventsAndStartOthers() {
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  c: {exec: /bin/c, task: true, start_on: stopping a, emits: [cleaned]}
                  d: {exec: /bin/d, task: true, start_on: cleaned}
                  e: {exec: /bin/e, task: true, start_on: stopped c}
                """);
        Step c = p.shutdown().step("c");
        Step d = p.shutdown().step("d");
        Step e = p.shutdown().step("e");
        assertNotNull(d, p.shutdown().steps().toString());
        assertNotNull(e, p.shutdown().steps().toString());
        assertEquals(c.up(), d.trigger(), 1e-9, "its emits happen when it is done");
        assertEquals(EdgeKind.EMITS, d.because().kind());
        assertEquals(c.up(), e.trigger(), 1e-9);
        assertEquals(EdgeKind.STOPPED, e.because().kind());
    }

    @Test
    void aServiceStartedAtShutdownReleasesTheEventWhenUpAndIsThenStopped() {
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  s: {exec: /bin/s, start_on: stopping a}
                  t: {exec: /bin/t, task: true, start_on: stopping s}
                """);
        Step a = p.shutdown().step("a");
        Step s = p.shutdown().step("s");
        assertTrue(s.task(), "a step the shutdown starts");
        assertEquals(1, s.up(), 1e-9, "up after its 1 s");
        assertTrue(waits(a, "s", EdgeKind.STOPPING));
        assertEquals(1, a.start(), 1e-9, "a is signalled once s is up, not once it stopped");
        // s is stopped when up: its own stopping starts t.
        Step t = p.shutdown().step("t");
        assertNotNull(t, p.shutdown().steps().toString());
        assertEquals(1, t.trigger(), 1e-9);
        assertEquals("s", t.because().by());
    }

    @Test
    void aJobStartedAtShutdownPullsInWhatItRequiresButNotWhatWasThere() {
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  w: {exec: /bin/w, task: true, manual: true}
                  c: {exec: /bin/c, task: true, start_on: stopping a, requires: [w, a]}
                """);
        Step w = p.shutdown().step("w");
        assertNotNull(w, p.shutdown().steps().toString());
        assertEquals(EdgeKind.REQUIRES, w.because().kind());
        assertEquals("c", w.because().by());
        assertEquals(1, p.shutdown().steps().stream().filter(x -> x.id().equals("a")).count(), "a does not start again");
    }

    @Test
    void aRequisiteThatIsStoppingRefusesTheStart() {
        // Every job not left to a stop_on is asked to stop at once: a is stopping when c's condition holds.
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  b: {exec: /bin/b, start_on: startup}
                  c: {exec: /bin/c, task: true, start_on: stopping b, requisite: [a]}
                """);
        assertNull(p.shutdown().step("c"), p.shutdown().steps().toString());
    }

    @Test
    void aRequisiteTheSameEventStartsIsOnItsWay() {
        // The requisite is decided once the event reached every job: r starts on it too.
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  c: {exec: /bin/c, task: true, start_on: stopping a, requisite: [r]}
                  r: {exec: /bin/r, task: true, start_on: stopping a}
                """);
        assertNotNull(p.shutdown().step("c"), p.shutdown().steps().toString());
        assertNotNull(p.shutdown().step("r"));
    }

    @Test
    void aRequisiteLeftToItsStopOnIsThereUntilThatComes() {
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  b: {exec: /bin/b, start_on: startup, stop_on: stopped a}
                  c: {exec: /bin/c, task: true, start_on: stopping a, requisite: [b]}
                """);
        assertNotNull(p.shutdown().step("c"), p.shutdown().steps().toString());
    }

    @Test
    void simultaneousEventsAreHandledFirstComeFirstServed() {
        // The Upstart sample's network-manager: `stop on stopping dbus or stopping hal`. stopping dbus
        // reaches every job before hal's own stopping (which it causes) is handled, so
        // network-manager stops on stopping dbus and holds dbus, not hal.
        Plan p = plan("""
                jobs:
                  dbus: {exec: /bin/dbus, start_on: startup}
                  hal: {exec: /bin/hal, start_on: started dbus, stop_on: stopping dbus}
                  nm: {exec: /bin/nm, start_on: started hal, stop_on: stopping dbus or stopping hal}
                """);
        Step nm = p.shutdown().step("nm");
        Step hal = p.shutdown().step("hal");
        Step dbus = p.shutdown().step("dbus");
        assertEquals("dbus", nm.because().by());
        assertFalse(waits(hal, "nm", EdgeKind.STOPPING), hal.waitsFor().toString());
        assertTrue(waits(dbus, "nm", EdgeKind.STOPPING), dbus.waitsFor().toString());
        assertTrue(waits(dbus, "hal", EdgeKind.STOPPING), dbus.waitsFor().toString());
        assertEquals(0, hal.start(), 1e-9);
        assertEquals(0, nm.start(), 1e-9);
    }

    @Test
    void whatAServicesStartedDoesAtOnceComesBeforeItIsStopped() {
        // s is started at shutdown; t has no process, so its `started` comes at once and u's
        // requisite s is still up. v's task has a process: its `started` comes after s is stopped.
        Plan p = plan("""
                jobs:
                  a: {exec: /bin/a, start_on: startup}
                  s: {exec: /bin/s, start_on: stopping a}
                  t: {task: true, start_on: started s}
                  u: {exec: /bin/u, task: true, start_on: started t, requisite: [s]}
                  v: {exec: /bin/v, task: true, start_on: started s}
                  x: {exec: /bin/x, task: true, start_on: started v, requisite: [s]}
                """);
        List<String> ids = p.shutdown().steps().stream().map(Step::id).toList();
        assertTrue(ids.contains("u"), ids.toString());
        assertTrue(ids.contains("v"), ids.toString());
        assertFalse(ids.contains("x"), ids.toString());
    }
}
