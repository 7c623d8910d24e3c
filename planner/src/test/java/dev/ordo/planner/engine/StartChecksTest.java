package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.ConditionResult.FAILS;
import static dev.ordo.planner.engine.ConditionResult.HOLDS;
import static dev.ordo.planner.engine.ConditionResult.UNKNOWN;
import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.ConditionKind;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Unit;
import dev.ordo.planner.model.UnitCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Conditions and asserts when a start is due (systemd.unit(5), "Conditions and Asserts"), and the starts a
 * machine does not let ordo run (the early boot, systemd's own clients): what each means for the instance
 * and for those waiting on it.
 */
class StartChecksTest {

    static UnitCondition cond(ConditionKind kind, String parameter) {
        return new UnitCondition(kind, false, false, false, parameter, Harness.AT);
    }

    static UnitCondition assertion(ConditionKind kind, String parameter) {
        return new UnitCondition(kind, true, false, false, parameter, Harness.AT);
    }

    static UnitCondition negated(UnitCondition c) {
        return new UnitCondition(c.kind(), c.assertion(), c.trigger(), true, c.parameter(), c.source());
    }

    static UnitCondition trigger(UnitCondition c) {
        return new UnitCondition(c.kind(), c.assertion(), true, c.negate(), c.parameter(), c.source());
    }

    /** A systemd service with these conditions, pre-start and post-stop processes, and relations. */
    static Job unit(String name, List<UnitCondition> conditions, Relation... relations) {
        Job.Builder b = job(name).manual(true).process(exec(Phase.MAIN, "/usr/sbin/" + name));
        for (Relation r : relations) b.relation(r);
        return b.unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(),
                List.of(), conditions)).build();
    }

    static Relation rel(RelationKind kind, String target) {
        return Relation.declared(kind, target, Harness.AT);
    }

    private static final UnitCondition FOO = cond(ConditionKind.PATH_EXISTS, "/etc/foo");

    @Test
    void aUnitWithoutConditionsStartsWithoutATest() {
        Harness h = new Harness(unit("a", List.of()));
        h.command(Input.Command.start(h.request(), "a").noWait());
        assertTrue(h.spawning("a", Phase.MAIN));
        assertTrue(h.all.stream().noneMatch(e -> e instanceof Effect.TestConditions));
    }

    @Test
    void conditionsAreTestedAfterOrderingAndBeforePreStart() {
        Job a = job("a").manual(true).process(exec(Phase.PRE_START, "/bin/prepare")).process(exec(Phase.MAIN, "/a"))
                .unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(),
                        List.of(), List.of(FOO))).relation(rel(RelationKind.AFTER, "b")).build();
        Harness h = new Harness(a, unit("b", List.of()));
        h.command(Input.Command.start(h.request(), "b").noWait());
        h.command(Input.Command.start(h.request(), "a").noWait());
        assertTrue(h.all.stream().noneMatch(e -> e instanceof Effect.TestConditions), "a waits for b first");
        h.spawned("b", Phase.MAIN);
        assertTrue(h.last.contains(new Effect.TestConditions(1, "a", "", List.of(FOO))));
        assertEquals(JobState.STARTING, h.inst("a").state());
        assertFalse(h.spawning("a", Phase.PRE_START), "nothing runs before the answer");
        h.conditions("a", HOLDS);
        assertTrue(h.spawning("a", Phase.PRE_START));
    }

    @Test
    void anUnmetConditionSkipsTheUnitWithoutFailingIt() {
        Job a = job("a").manual(true).process(exec(Phase.PRE_START, "/bin/prepare")).process(exec(Phase.MAIN, "/a"))
                .process(exec(Phase.POST_STOP, "/bin/clean"))
                .unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(),
                        List.of(), List.of(FOO))).build();
        Harness h = new Harness(a);
        long start = h.command(Input.Command.start(h.request(), "a"));
        h.conditions("a", FAILS);
        assertTrue(h.all.stream().noneMatch(e -> e instanceof Effect.Spawn), "nothing runs, not even post-stop");
        assertEquals(List.of("starting JOB=a INSTANCE=", "stopping JOB=a INSTANCE= RESULT=ok",
                "stopped JOB=a INSTANCE= RESULT=ok"), h.emitted());
        assertTrue(h.all.contains(new Effect.Skipped("a", "", SkipReason.CONDITION,
                "ConditionPathExists=/etc/foo was not met")));
        assertTrue(h.logs().contains("a skipped: ConditionPathExists=/etc/foo was not met"));
        // systemctl start answers success for a unit whose condition failed.
        assertEquals(new Effect.Reply(start, true, "a stop/waiting, skipped: ConditionPathExists=/etc/foo was not met"),
                h.reply(start));
        assertEquals("a stop/waiting, skipped: ConditionPathExists=/etc/foo was not met", h.status("a"));
    }

    @Test
    void aSkippedUnitLetsWhatIsOrderedAfterItAndRequiresItStart() {
        Harness h = new Harness(unit("a", List.of(FOO)),
                unit("b", List.of(), rel(RelationKind.REQUIRES, "a"), rel(RelationKind.AFTER, "a")));
        h.command(Input.Command.start(h.request(), "b").noWait());
        assertFalse(h.spawning("b", Phase.MAIN), "b waits for a");
        h.conditions("a", FAILS);
        assertTrue(h.spawning("b", Phase.MAIN), "a skipped counts as done for b");
        h.spawned("b", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("b").state());
        assertFalse(h.exists("a"));
    }

    @Test
    void anUnmetAssertFailsTheStartAndWhatRequiresIt() {
        UnitCondition check = assertion(ConditionKind.PATH_EXISTS, "/etc/foo");
        Harness h = new Harness(unit("a", List.of(check)),
                unit("b", List.of(), rel(RelationKind.REQUIRES, "a"), rel(RelationKind.AFTER, "a")),
                unit("rescue", List.of()), unit("c", List.of(), rel(RelationKind.ON_FAILURE, "rescue")));
        long start = h.command(Input.Command.start(h.request(), "b"));
        h.conditions("a", FAILS);
        assertTrue(h.emitted().contains("stopped JOB=a INSTANCE= RESULT=failed PROCESS=assert"));
        assertTrue(h.emitted().contains("stopped JOB=b INSTANCE= RESULT=failed PROCESS=dependency"));
        assertEquals(new Effect.Reply(start, false, "Job failed to start: b: dependency failed: a (AssertPathExists=/etc/foo was not met) → b"), h.reply(start));
        assertEquals("a stop/waiting, failed: AssertPathExists=/etc/foo was not met", h.status("a"));
        assertTrue(h.all.stream().noneMatch(e -> e instanceof Effect.Spawn));
    }

    @Test
    void anAssertFailureStartsNoOnFailure() {
        Job a = job("a").manual(true).process(exec(Phase.MAIN, "/a")).relation(rel(RelationKind.ON_FAILURE, "rescue"))
                .unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(),
                        List.of(), List.of(assertion(ConditionKind.USER, "root")))).build();
        Harness h = new Harness(a, unit("rescue", List.of()));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.conditions("a", FAILS);
        assertFalse(h.exists("rescue"), "systemd's assert job result triggers no OnFailure=");
    }

    @Test
    void conditionsComeBeforeAsserts() {
        Harness h = new Harness(unit("a", List.of(FOO, assertion(ConditionKind.USER, "root"))));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.conditions("a", FAILS, FAILS);
        assertEquals("a stop/waiting, skipped: ConditionPathExists=/etc/foo was not met", h.status("a"));
    }

    @Test
    void aStopWhileTheTestRunsStopsAtOnceAndTheLateAnswerIsIgnored() {
        Harness h = new Harness(unit("a", List.of(FOO)));
        h.command(Input.Command.start(h.request(), "a").noWait());
        long stop = h.command(Input.Command.stop(h.request(), "a"));
        assertEquals(new Effect.Reply(stop, true, "a stop/waiting"), h.reply(stop));
        h.conditions("a", HOLDS);
        assertFalse(h.exists("a"));
        assertFalse(h.spawning("a", Phase.MAIN));
    }

    @Test
    void everyStartTestsAgain() {
        Harness h = new Harness(unit("a", List.of(FOO)));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.conditions("a", FAILS);
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.conditions("a", HOLDS);
        assertTrue(h.spawning("a", Phase.MAIN));
        assertEquals("a start/spawned", h.status("a"));
    }

    // --- The verdict (systemd's condition_test_list), with systemd.unit(5)'s words --------------------

    private static ConditionVerdict verdict(List<UnitCondition> cs, ConditionResult... rs) {
        List<Input.ConditionAnswer> as = new ArrayList<>();
        for (ConditionResult r : rs) as.add(new Input.ConditionAnswer(r, "why"));
        return ConditionVerdict.of(cs, as);
    }

    @Test
    void severalConditionsAreAnded() {
        // "If multiple conditions are specified, the unit will be executed if all of them apply (i.e. a logical
        // AND is applied)."
        UnitCondition bar = cond(ConditionKind.PATH_IS_DIRECTORY, "/bar");
        assertTrue(verdict(List.of(FOO, bar), HOLDS, HOLDS).met());
        assertEquals("ConditionPathIsDirectory=/bar was not met", verdict(List.of(FOO, bar), HOLDS, FAILS).text());
        assertTrue(verdict(List.of()).met(), "no conditions: met");
    }

    @Test
    void anExclamationMarkNegates() {
        // "If the absolute path name passed to ConditionPathExists= is prefixed with an exclamation mark ("!"), the
        // test is negated, and the unit is only started if the path does not exist."
        assertTrue(verdict(List.of(negated(FOO)), FAILS).met());
        assertEquals("ConditionPathExists=!/etc/foo was not met", verdict(List.of(negated(FOO)), HOLDS).text());
    }

    @Test
    void aTestThatCannotBeMadeIsNotMetEvenNegated() {
        // condition.c: a test that returns an error is "error", and condition_test_list counts it as failed.
        ConditionVerdict v = verdict(List.of(negated(FOO)), UNKNOWN);
        assertFalse(v.met());
        assertEquals("ConditionPathExists=!/etc/foo could not be tested: why", v.text());
    }

    @Test
    void oneTriggeringConditionMustHoldAndAllTheOthers() {
        // "If at least one triggering condition is defined for a unit, then the unit will be started if at least
        // one of the triggering conditions of the unit applies and all of the regular (i.e. non-triggering)
        // conditions apply."
        UnitCondition t1 = trigger(cond(ConditionKind.PATH_EXISTS, "/lib/systemd/system/dbus.service"));
        UnitCondition t2 = trigger(cond(ConditionKind.PATH_EXISTS, "/lib/systemd/system/dbus-broker.service"));
        assertTrue(verdict(List.of(t1, t2), FAILS, HOLDS).met());
        assertTrue(verdict(List.of(t1, t2, FOO), HOLDS, FAILS, HOLDS).met());
        assertEquals("ConditionPathExists=/etc/foo was not met", verdict(List.of(t1, t2, FOO), HOLDS, HOLDS, FAILS).text());
        assertEquals("none of the trigger conditions was met (ConditionPathExists=|/lib/systemd/system/dbus.service, "
                + "ConditionPathExists=|/lib/systemd/system/dbus-broker.service)", verdict(List.of(t1, t2), FAILS, UNKNOWN).text());
        // "the pipe symbol must be passed first, the exclamation second"
        assertEquals("ConditionPathExists=|!/etc/foo", trigger(negated(FOO)).text());
        assertTrue(verdict(List.of(trigger(negated(FOO))), FAILS).met());
    }

    @Test
    void anUnmetAssertIsAnAssertion() {
        // "The AssertArchitecture=, AssertVirtualization=, … options are similar to conditions but cause the start
        // job to fail (instead of being skipped)."
        ConditionVerdict v = verdict(List.of(FOO, assertion(ConditionKind.USER, "root")), HOLDS, FAILS);
        assertFalse(v.met());
        assertTrue(v.assertion());
        assertEquals("AssertUser=root was not met", v.text());
        assertNull(verdict(List.of(FOO), HOLDS).text());
    }

    // --- What the machine does not let ordo run -------------------------------------------------------

    private static Job target(String name, Relation... relations) {
        Job.Builder b = job(name).manual(true);
        for (Relation r : relations) b.relation(r);
        return b.unit(new Unit("target", null, true, false, false, null, null, List.of(), List.of(), List.of(),
                List.of(), List.of())).build();
    }

    @Test
    void withoutPid1TheEarlyBootIsSkippedAndTheRestOfTheBootGoesOn() {
        Job tmpfiles = unit("systemd-tmpfiles-setup.service", List.of());
        Job sysinit = target("sysinit.target", rel(RelationKind.WANTS, "systemd-tmpfiles-setup.service"),
                rel(RelationKind.AFTER, "systemd-tmpfiles-setup.service"));
        Job cron = unit("cron.service", List.of(), rel(RelationKind.REQUIRES, "sysinit.target"),
                rel(RelationKind.AFTER, "sysinit.target"));
        Job multi = target("multi-user.target", rel(RelationKind.WANTS, "cron.service"), rel(RelationKind.AFTER, "cron.service"),
                rel(RelationKind.REQUIRES, "sysinit.target"), rel(RelationKind.AFTER, "sysinit.target"));
        Set<String> boot = Set.of(tmpfiles.name(), sysinit.name(), cron.name(), multi.name());
        Harness h = new Harness(SkipPolicy.supervisor(false, false), boot, tmpfiles, sysinit, cron, multi);
        h.command(Input.Command.start(h.request(), "multi-user.target").noWait());
        assertFalse(h.spawning("systemd-tmpfiles-setup.service", Phase.MAIN));
        assertTrue(h.logs().contains("systemd-tmpfiles-setup.service skipped: early boot (sysinit.target) runs only when"
                + " ordo is PID 1; --early-boot runs it"));
        assertEquals(JobState.RUNNING, h.inst("sysinit.target").state(), "a target is not skipped");
        h.spawned("cron.service", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("multi-user.target").state());
        assertEquals(1, h.logs().stream().filter(l -> l.contains("skipped")).count(), "one line, once");
    }

    @Test
    void asPid1OrWhenToldTheEarlyBootRuns() {
        for (SkipPolicy p : List.of(SkipPolicy.supervisor(true, false), SkipPolicy.supervisor(false, true), SkipPolicy.NONE)) {
            Job tmpfiles = unit("systemd-tmpfiles-setup.service", List.of());
            Job sysinit = target("sysinit.target", rel(RelationKind.WANTS, "systemd-tmpfiles-setup.service"));
            Harness h = new Harness(p, Set.of(), tmpfiles, sysinit);
            h.command(Input.Command.start(h.request(), "sysinit.target").noWait());
            assertTrue(h.spawning("systemd-tmpfiles-setup.service", Phase.MAIN), p::toString);
        }
    }

    @Test
    void systemdsOwnClientsAreSkippedUnderOrdo() {
        Job logind = job("systemd-logind.service").manual(true).process(exec(Phase.MAIN, "/lib/systemd/systemd-logind"))
                .build();
        Job sessions = job("systemd-user-sessions.service").manual(true)
                .process(exec(Phase.MAIN, "/lib/systemd/systemd-user-sessions start")).build();
        Harness h = new Harness(SkipPolicy.supervisor(true, false), Set.of(), logind, sessions);
        h.command(Input.Command.start(h.request(), "systemd-logind.service").noWait());
        h.command(Input.Command.start(h.request(), "systemd-user-sessions.service").noWait());
        assertFalse(h.spawning("systemd-logind.service", Phase.MAIN));
        assertEquals("systemd-logind.service stop/waiting, skipped: systemd-logind works only under systemd as PID 1"
                + " (each session is a scope it asks systemd to make)", h.status("systemd-logind.service"));
        assertTrue(h.spawning("systemd-user-sessions.service", Phase.MAIN), "it does not need systemd");
        Harness plain = new Harness(logind);
        plain.command(Input.Command.start(plain.request(), "systemd-logind.service").noWait());
        assertTrue(plain.spawning("systemd-logind.service", Phase.MAIN), "the plan's engine runs everything");
    }
}
