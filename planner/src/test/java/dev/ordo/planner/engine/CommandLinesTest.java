package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.ExecCommand;
import dev.ordo.planner.model.ExecPrefix;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Unit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The lines of a phase run one after the other, each a process; systemd's `-` forgives a failure. */
class CommandLinesTest {

    /** A systemd-style process from lines such as "-/bin/false"; a leading '-' is the prefix. */
    private static Process lines(Phase phase, String... lines) {
        List<ExecCommand> commands = new ArrayList<>();
        for (String l : lines) {
            boolean forgive = l.startsWith("-");
            commands.add(new ExecCommand(forgive ? EnumSet.of(ExecPrefix.IGNORE_FAILURE) : EnumSet.noneOf(ExecPrefix.class),
                    List.of(forgive ? l.substring(1) : l)));
        }
        return new Process(phase, List.of(lines), null, Harness.AT, commands);
    }

    private static Job.Builder unit(String name) {
        return Job.builder(name, Format.SYSTEMD, Harness.AT).manual(true)
                .unit(new Unit("service", "simple", true, false, false, null, null, List.of(), List.of(), List.of(), List.of()));
    }

    @Test
    void preStartLinesRunInTurnAndAForgivenFailureGoesOn() {
        Harness h = new Harness(unit("a.service").process(lines(Phase.PRE_START, "-/bin/false", "/bin/check", "/bin/more"))
                .process(lines(Phase.MAIN, "/bin/daemon")).build());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        assertEquals(0, h.spawn("a.service", Phase.PRE_START).line());
        h.runs("a.service", Phase.PRE_START, 1);
        assertEquals(1, h.spawn("a.service", Phase.PRE_START).line(), "the `-` line's failure is forgiven");
        h.runs("a.service", Phase.PRE_START, 0);
        assertEquals(2, h.spawn("a.service", Phase.PRE_START).line());
        assertFalse(h.spawning("a.service", Phase.MAIN), "main waits for the last pre-start line");
        h.runs("a.service", Phase.PRE_START, 0);
        h.spawned("a.service", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("a.service").state());
        assertFalse(h.inst("a.service").failed());
    }

    @Test
    void aFailingLineEndsThePhaseAndFailsTheStart() {
        Harness h = new Harness(unit("a.service").process(lines(Phase.PRE_START, "/bin/check", "/bin/never"))
                .process(lines(Phase.MAIN, "/bin/daemon")).build());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        h.runs("a.service", Phase.PRE_START, 3);
        assertFalse(h.spawning("a.service", Phase.PRE_START), "the second line never runs");
        assertFalse(h.spawning("a.service", Phase.MAIN));
        assertTrue(h.emitted().contains("stopped JOB=a.service INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=3"),
                h.emitted().toString());
    }

    @Test
    void aForgivenMainFailureIsACleanExit() {
        Harness h = new Harness(unit("a.service").process(lines(Phase.MAIN, "-/bin/daemon")).build());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        h.runs("a.service", Phase.MAIN, 1);
        assertTrue(h.emitted().contains("stopped JOB=a.service INSTANCE= RESULT=ok"), h.emitted().toString());
        // Without the prefix, the same exit fails the job.
        Harness g = new Harness(unit("a.service").process(lines(Phase.MAIN, "/bin/daemon")).build());
        g.command(Input.Command.start(g.request(), "a.service").noWait());
        g.runs("a.service", Phase.MAIN, 1);
        assertTrue(g.emitted().contains("stopped JOB=a.service INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=1"),
                g.emitted().toString());
    }

    @Test
    void aMissingProgramOnAForgivingLineIsForgivenToo() {
        Harness h = new Harness(unit("a.service").process(lines(Phase.PRE_START, "-/bin/missing"))
                .process(lines(Phase.MAIN, "/bin/daemon")).build());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        h.spawnFails("a.service", Phase.PRE_START);
        assertTrue(h.spawning("a.service", Phase.MAIN));
    }

    @Test
    void aStopDuringTheStartLinesEndsTheSequence() {
        Harness h = new Harness(unit("a.service").process(lines(Phase.PRE_START, "/bin/one", "/bin/two"))
                .process(lines(Phase.MAIN, "/bin/daemon")).build());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        int pid = h.spawned("a.service", Phase.PRE_START);
        h.command(Input.Command.stop(h.request(), "a.service").noWait());
        h.exit(pid, 0);
        assertFalse(h.spawning("a.service", Phase.PRE_START));
        assertFalse(h.spawning("a.service", Phase.MAIN));
    }

    @Test
    void controlProcessesOfAUnitSeeTheMainPid() {
        Harness h = new Harness(unit("a.service").process(lines(Phase.MAIN, "/bin/daemon"))
                .process(lines(Phase.PRE_STOP, "/bin/kill", "/bin/wait")).build());
        h.command(Input.Command.start(h.request(), "a.service").noWait());
        assertFalse(h.spawn("a.service", Phase.MAIN).env().stream().anyMatch(e -> e.startsWith("MAINPID=")));
        int main = h.spawned("a.service", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "a.service").noWait());
        assertTrue(h.spawn("a.service", Phase.PRE_STOP).env().contains("MAINPID=" + main));
        h.runs("a.service", Phase.PRE_STOP, 1);
        // As systemd: a failing ExecStop= line (without `-`) skips the rest, and the stop goes on to the signal.
        assertFalse(h.spawning("a.service", Phase.PRE_STOP));
    }

    @Test
    void yamlListsRunInTurnToo() {
        Harness h = new Harness(job("t").task(true).process(new Process(Phase.MAIN, List.of("/bin/a", "/bin/b"), null, Harness.AT)).build());
        h.command(Input.Command.start(h.request(), "t").noWait());
        h.runs("t", Phase.MAIN, 0);
        assertEquals(1, h.spawn("t", Phase.MAIN).line());
        assertEquals(JobGoal.START, h.inst("t").goal());
        h.runs("t", Phase.MAIN, 0);
        assertTrue(h.emitted().contains("stopped JOB=t INSTANCE= RESULT=ok"), "done after the last line: " + h.emitted());
    }

    @Test
    void aOneshotThatRemainsIsUpWhenItsLastLineExitsAndStaysUpWithoutAProcess() {
        Harness h = new Harness(unit("setup.service").ready(new Readiness.UpOnExit())
                .process(lines(Phase.MAIN, "/bin/one", "/bin/two")).build(),
                unit("after.service").process(lines(Phase.MAIN, "/bin/daemon"))
                        .relation(Relation.declared(RelationKind.REQUIRES, "setup.service", Harness.AT))
                        .relation(Relation.declared(RelationKind.AFTER, "setup.service", Harness.AT)).build());
        h.command(Input.Command.start(h.request(), "after.service").noWait());
        h.runs("setup.service", Phase.MAIN, 0);
        assertEquals(JobState.SPAWNED, h.inst("setup.service").state(), "not up between its lines");
        assertFalse(h.spawning("after.service", Phase.MAIN));
        h.runs("setup.service", Phase.MAIN, 0);
        assertEquals(JobState.RUNNING, h.inst("setup.service").state());
        assertEquals(JobGoal.START, h.inst("setup.service").goal(), "it remains after its exit");
        assertTrue(h.inst("setup.service").pids().isEmpty());
        assertTrue(h.spawning("after.service", Phase.MAIN), "what is ordered after it starts now");
        int after = h.spawned("after.service", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "setup.service").noWait());
        h.killed(after, Signal.TERM); // what requires it stops first
        assertTrue(h.emitted().contains("stopped JOB=after.service INSTANCE= RESULT=ok"), h.emitted().toString());
        assertTrue(h.emitted().contains("stopped JOB=setup.service INSTANCE= RESULT=ok"), h.emitted().toString());
    }

    @Test
    void aOneshotThatRemainsFailsWhenItsExitFails() {
        Harness h = new Harness(unit("setup.service").ready(new Readiness.UpOnExit()).process(lines(Phase.MAIN, "/bin/one")).build());
        h.command(Input.Command.start(h.request(), "setup.service").noWait());
        h.runs("setup.service", Phase.MAIN, 2);
        assertTrue(h.emitted().contains("stopped JOB=setup.service INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=2"),
                h.emitted().toString());
    }

    @Test
    void reloadRunsTheReloadLinesWithTheMainPidAndAnswersWhenTheyEnd() {
        Harness h = new Harness(unit("web.service").process(lines(Phase.MAIN, "/usr/sbin/web"))
                .process(lines(Phase.RELOAD, "/usr/sbin/web -t", "/bin/kill -HUP $MAINPID")).build());
        h.command(Input.Command.start(h.request(), "web.service").noWait());
        int main = h.spawned("web.service", Phase.MAIN);
        long reload = h.command(Input.Command.reload(h.request(), "web.service"));
        assertTrue(h.spawn("web.service", Phase.RELOAD).env().contains("MAINPID=" + main));
        assertEquals(null, h.reply(reload), "answered when the reload has run");
        long again = h.command(Input.Command.reload(h.request(), "web.service"));
        assertEquals(new Effect.Reply(again, false, "Job is already reloading: web.service"), h.reply(again));
        h.runs("web.service", Phase.RELOAD, 0);
        h.runs("web.service", Phase.RELOAD, 0);
        assertEquals(new Effect.Reply(reload, true, "web.service start/running, process " + main), h.reply(reload));
        assertTrue(h.all.stream().noneMatch(e -> e instanceof Effect.SendSignal), "no signal: the lines do the reload");

        long failing = h.command(Input.Command.reload(h.request(), "web.service"));
        h.runs("web.service", Phase.RELOAD, 1);
        assertEquals(new Effect.Reply(failing, false, "Job failed to reload: web.service: reload process exited with status 1"),
                h.reply(failing));
        assertEquals(JobState.RUNNING, h.inst("web.service").state(), "a failed reload leaves the job running");
        assertEquals(main, h.inst("web.service").pids().get(Phase.MAIN));
    }

    @Test
    void aRespawnWaitsItsDelayInPostStopAndAStopEndsTheWait() {
        Job j = unit("r.service").process(lines(Phase.MAIN, "/bin/daemon"))
                .respawn(new dev.ordo.planner.model.Respawn(true, 5, java.time.Duration.ofSeconds(10), Harness.AT,
                        java.time.Duration.ofSeconds(3))).build();
        Harness h = new Harness(j);
        h.command(Input.Command.start(h.request(), "r.service").noWait());
        h.runs("r.service", Phase.MAIN, 1);
        assertEquals(JobState.POST_STOP, h.inst("r.service").state(), "waiting to respawn");
        assertEquals(JobGoal.START, h.inst("r.service").goal());
        assertFalse(h.spawning("r.service", Phase.MAIN), "not before RestartSec=");
        long timer = h.all.stream().filter(e -> e instanceof Effect.ArmTimer t && t.delayMillis() == 3000)
                .map(e -> ((Effect.ArmTimer) e).timer()).findFirst().orElseThrow();
        h.in(new Input.TimerFired(timer));
        assertTrue(h.spawning("r.service", Phase.MAIN), "started again after the delay");
        h.runs("r.service", Phase.MAIN, 1);
        assertEquals(JobState.POST_STOP, h.inst("r.service").state());
        h.command(Input.Command.stop(h.request(), "r.service").noWait());
        assertTrue(h.emitted().contains("stopped JOB=r.service INSTANCE= RESULT=ok"), "a stop ends the wait: " + h.emitted());
        assertFalse(h.spawning("r.service", Phase.MAIN));
    }
}
