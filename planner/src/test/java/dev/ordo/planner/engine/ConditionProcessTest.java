package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.ConditionResult.HOLDS;
import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static dev.ordo.planner.engine.StartChecksTest.cond;
import static dev.ordo.planner.engine.StartChecksTest.rel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.ConditionKind;
import dev.ordo.planner.model.ExecCommand;
import dev.ordo.planner.model.ExecPrefix;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Unit;
import dev.ordo.planner.model.UnitCondition;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The condition process, systemd's {@code ExecCondition=} (systemd.service(5)): "Optional commands that are
 * executed before the commands in ExecStartPre=. ... If the executable ... exits with a code between 1 and 254
 * (inclusive), the remaining commands are skipped and the unit will not be marked as failed. However, if ...
 * exits with 255 or abnormally (e.g. killed by a signal or hit a timeout), the unit will be marked as failed".
 */
class ConditionProcessTest {

    private static final UnitCondition FOO = cond(ConditionKind.PATH_EXISTS, "/etc/foo");

    /** A systemd service with a condition process of these lines ({@code -} where the line starts with it). */
    private static Job unit(String name, List<UnitCondition> conditions, String... lines) {
        List<String> exec = new ArrayList<>();
        List<ExecCommand> commands = new ArrayList<>();
        for (String l : lines) {
            boolean forgiving = l.startsWith("-");
            String word = forgiving ? l.substring(1) : l;
            exec.add(word);
            commands.add(new ExecCommand(forgiving ? Set.of(ExecPrefix.IGNORE_FAILURE) : Set.of(), List.of(word)));
        }
        return job(name).manual(true)
                .process(new Process(Phase.CONDITION, exec, null, Harness.AT, commands))
                .process(exec(Phase.PRE_START, "/bin/prepare")).process(exec(Phase.MAIN, "/usr/sbin/" + name))
                .process(exec(Phase.POST_STOP, "/bin/clean"))
                .unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(),
                        List.of(), conditions)).build();
    }

    private static Job dependant(String name, String on) {
        return job(name).manual(true).process(exec(Phase.MAIN, "/usr/sbin/" + name))
                .relation(rel(RelationKind.REQUIRES, on)).relation(rel(RelationKind.AFTER, on)).build();
    }

    @Test
    void itRunsAfterTheConditionsAndBeforePreStart() {
        Harness h = new Harness(unit("a", List.of(FOO), "/bin/check"));
        h.command(Input.Command.start(h.request(), "a").noWait());
        assertFalse(h.spawning("a", Phase.CONDITION), "the Condition*= tests come first");
        h.conditions("a", HOLDS);
        assertTrue(h.spawning("a", Phase.CONDITION));
        assertFalse(h.spawning("a", Phase.PRE_START));
        int pid = h.spawned("a", Phase.CONDITION);
        assertEquals("a start/starting, (condition) process " + pid, h.status("a"));
        h.exit(pid, 0);
        assertTrue(h.spawning("a", Phase.PRE_START), "exit 0: the start goes on");
        h.runs("a", Phase.PRE_START, 0);
        h.spawned("a", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("a").state());
    }

    @Test
    void anExitFrom1To254SkipsTheUnitWithoutFailingItAndRunsItsPostStop() {
        for (int code : new int[] {1, 77, 254}) {
            Harness h = new Harness(unit("a", List.of(), "/bin/check"), dependant("b", "a"));
            long start = h.command(Input.Command.start(h.request(), "b"));
            h.runs("a", Phase.CONDITION, code);
            String skipped = "skipped: ExecCondition= exited with status " + code;
            assertFalse(h.spawning("a", Phase.PRE_START), "the remaining commands are skipped");
            assertTrue(h.all.contains(new Effect.Skipped("a", "", SkipReason.CONDITION_PROCESS,
                    "ExecCondition= exited with status " + code)));
            // systemd enters stop-post after the condition process: ExecStopPost= runs, as for any stop.
            h.runs("a", Phase.POST_STOP, 0);
            assertEquals("a stop/waiting, " + skipped, h.status("a"));
            assertTrue(h.emitted().contains("stopped JOB=a INSTANCE= RESULT=ok"), "not failed");
            h.runs("b", Phase.MAIN, 0);
            assertTrue(h.emitted().contains("starting JOB=b INSTANCE="), "what requires it goes on, as after a condition");
            assertTrue(h.reply(start).ok());
        }
    }

    @Test
    void anExitOf255OrASignalFailsTheStartAndWhatRequiresIt() {
        Harness h = new Harness(unit("a", List.of(), "/bin/check"), dependant("b", "a"));
        long start = h.command(Input.Command.start(h.request(), "b"));
        h.runs("a", Phase.CONDITION, 255);
        assertTrue(h.emitted().contains("stopping JOB=a INSTANCE= RESULT=failed PROCESS=condition EXIT_STATUS=255"),
                h.emitted()::toString);
        assertEquals(new Effect.Reply(start, false, "Job failed to start: b: dependency failed: a (ExecCondition= exited with status 255) → b"), h.reply(start));
        assertFalse(h.spawning("b", Phase.MAIN));
        h.runs("a", Phase.POST_STOP, 0);
        assertEquals("a stop/waiting, failed: ExecCondition= exited with status 255", h.status("a"));

        Harness k = new Harness(unit("a", List.of(), "/bin/check"));
        k.command(Input.Command.start(k.request(), "a").noWait());
        k.killed(k.spawned("a", Phase.CONDITION), Signal.KILL);
        k.runs("a", Phase.POST_STOP, 0);
        assertEquals("a stop/waiting, failed: ExecCondition= was killed by signal KILL", k.status("a"));
    }

    @Test
    void itsLinesRunInTurnAndTheFirstThatDoesNotSucceedDecides() {
        Harness h = new Harness(unit("a", List.of(), "/bin/one", "-/bin/two", "/bin/three", "/bin/four"));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.runs("a", Phase.CONDITION, 0);
        assertEquals(1, h.spawn("a", Phase.CONDITION).line());
        h.runs("a", Phase.CONDITION, 1); // "-": the failure counts as success
        assertEquals(2, h.spawn("a", Phase.CONDITION).line());
        h.runs("a", Phase.CONDITION, 3);
        assertFalse(h.spawning("a", Phase.CONDITION), "the fourth line does not run");
        assertFalse(h.spawning("a", Phase.PRE_START));
        h.runs("a", Phase.POST_STOP, 0);
        assertEquals("a stop/waiting, skipped: ExecCondition= exited with status 3", h.status("a"));
    }

    @Test
    void aProgramThatCannotRunExits203AndSoSkipsTheUnit() {
        // systemd runs it as a process that exits EXIT_EXEC (203), which is between 1 and 254.
        Harness h = new Harness(unit("a", List.of(), "/bin/missing"));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.spawnFails("a", Phase.CONDITION);
        h.runs("a", Phase.POST_STOP, 0);
        assertEquals("a stop/waiting, skipped: ExecCondition= exited with status 203", h.status("a"));
        assertTrue(h.logs().contains("Failed to spawn a condition process: No such file or directory"));
    }

    @Test
    void aStopWhileItRunsSignalsItAndItsLateEndChangesNothing() {
        Harness h = new Harness(unit("a", List.of(), "/bin/check"));
        h.command(Input.Command.start(h.request(), "a").noWait());
        int pid = h.spawned("a", Phase.CONDITION);
        long stop = h.command(Input.Command.stop(h.request(), "a"));
        assertTrue(h.all.contains(new Effect.SendSignal(pid, true, Signal.TERM)), h.all::toString);
        h.runs("a", Phase.POST_STOP, 0);
        assertEquals(new Effect.Reply(stop, true, "a stop/waiting"), h.reply(stop));
        h.exit(pid, 0);
        assertFalse(h.exists("a"));
        assertFalse(h.spawning("a", Phase.PRE_START));
        assertFalse(h.spawning("a", Phase.MAIN));
    }

    @Test
    void aJobOfOrdoYamlSaysConditionProcess() {
        Job a = job("a").manual(true).process(exec(Phase.CONDITION, "/bin/check")).process(exec(Phase.MAIN, "/a")).build();
        Harness h = new Harness(a);
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.runs("a", Phase.CONDITION, 1);
        assertEquals("a stop/waiting, skipped: condition process exited with status 1", h.status("a"));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.runs("a", Phase.CONDITION, 0);
        assertTrue(h.spawning("a", Phase.MAIN), "every start runs it again");
    }

    @Test
    void theStatusAsDataSaysWhatTheLineSays() {
        // What --format json prints: the facts of the status line, from the engine, not parsed from its text.
        Harness h = new Harness(unit("a", List.of(), "/bin/check"), unit("b", List.of(), "/bin/check"));
        h.command(Input.Command.start(h.request(), "a").noWait());
        h.runs("a", Phase.CONDITION, 0);
        h.runs("a", Phase.PRE_START, 0);
        int pid = h.spawned("a", Phase.MAIN);
        long status = h.command(Input.Command.status(h.request(), "a"));
        assertEquals(List.of(new JobStatus("a", "a", "", JobGoal.START, JobState.RUNNING, false,
                java.util.Map.of("main", pid), null, null)), h.statuses(status));
        long start = h.command(Input.Command.start(h.request(), "b"));
        h.runs("b", Phase.CONDITION, 3);
        h.runs("b", Phase.POST_STOP, 0);
        assertEquals(List.of(new JobStatus("b", "b", "", JobGoal.STOP, JobState.WAITING, false, java.util.Map.of(), null,
                "ExecCondition= exited with status 3")), h.statuses(start));
        long list = h.command(Input.Command.list(h.request()));
        assertEquals(List.of("a", "b"), h.statuses(list).stream().map(JobStatus::name).toList());
        assertEquals("ExecCondition= exited with status 3", h.statuses(list).get(1).skipped());
        assertEquals(List.of(), h.statuses(h.command(Input.Command.status(h.request(), "nosuch"))), "an error has none");
    }
}
