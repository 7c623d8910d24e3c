package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.KillMode;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Signal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which processes a stop signals, by KillMode= (systemd.kill(5)), and what a stop leaves behind. */
class KillModeTest {

    private static Harness unit(KillMode mode, boolean sendFinal) {
        Job j = Job.builder("s.service", Format.SYSTEMD, Harness.AT).manual(true)
                .process(Harness.exec(Phase.MAIN, "/usr/sbin/s"))
                .kill(new Kill(Signal.TERM, Duration.ofSeconds(7), Signal.HUP, mode, false, sendFinal, Signal.KILL)).build();
        return new Harness(j);
    }

    private static List<Effect> signals(Harness h) {
        return h.last.stream().filter(e -> e instanceof Effect.SendSignal || e instanceof Effect.SignalUnit).toList();
    }

    /** Starts the unit, stops it, returns the main pid; h.last holds the stop's effects. */
    private static int startAndStop(Harness h) {
        h.command(Input.Command.start(h.request(), "s.service").noWait());
        int pid = h.spawned("s.service", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "s.service").noWait());
        return pid;
    }

    private static long killTimer(Harness h) {
        for (int i = h.all.size() - 1; i >= 0; i--) if (h.all.get(i) instanceof Effect.ArmTimer t && t.delayMillis() == 7000) return t.timer();
        throw new AssertionError("no kill timer");
    }

    @Test
    void controlGroupSignalsTheWholeUnitThenTheFinalSignalThenWhatIsLeft() {
        Harness h = unit(KillMode.CONTROL_GROUP, true);
        int pid = startAndStop(h);
        assertEquals(List.of(new Effect.SignalUnit("s.service", "", pid, pid, Signal.TERM, null, 0)), signals(h));
        h.in(new Input.TimerFired(killTimer(h)));
        assertEquals(List.of(new Effect.SignalUnit("s.service", "", pid, pid, Signal.KILL, null, 0)), signals(h));
        h.killed(pid, Signal.KILL);
        // At the stopped state, whatever of that start is still there: the stop signal, the final one after the timeout.
        assertEquals(List.of(new Effect.SignalUnit("s.service", "", 0, 0, Signal.TERM, Signal.KILL, 7000)), signals(h));
        assertTrue(h.emitted().contains("stopped JOB=s.service INSTANCE= RESULT=ok"), h.emitted().toString());
    }

    @Test
    void processSignalsTheMainProcessAloneAndLeavesTheRest() {
        Harness h = unit(KillMode.PROCESS, true);
        int pid = startAndStop(h);
        assertEquals(List.of(new Effect.SendSignal(pid, false, Signal.TERM)), signals(h));
        h.in(new Input.TimerFired(killTimer(h)));
        assertEquals(List.of(new Effect.SendSignal(pid, false, Signal.KILL)), signals(h));
        h.killed(pid, Signal.KILL);
        assertEquals(List.of(), signals(h), "nothing for what is left");
    }

    @Test
    void mixedSignalsTheMainProcessThenKillsTheUnit() {
        Harness h = unit(KillMode.MIXED, true);
        int pid = startAndStop(h);
        assertEquals(List.of(new Effect.SendSignal(pid, false, Signal.TERM)), signals(h));
        h.in(new Input.TimerFired(killTimer(h)));
        assertEquals(List.of(new Effect.SignalUnit("s.service", "", pid, pid, Signal.KILL, null, 0)), signals(h));
    }

    @Test
    void noneSignalsNothingAndTheStopGoesOn() {
        Harness h = unit(KillMode.NONE, true);
        int pid = startAndStop(h);
        assertEquals(List.of(), signals(h));
        assertTrue(h.logs().contains("s.service main process (" + pid + ") left running: KillMode=none"), h.logs().toString());
        assertTrue(h.emitted().contains("stopped JOB=s.service INSTANCE= RESULT=ok"), h.emitted().toString());
    }

    @Test
    void withoutTheFinalSignalATimedOutStopLeavesTheProcess() {
        Harness h = unit(KillMode.CONTROL_GROUP, false);
        int pid = startAndStop(h);
        h.in(new Input.TimerFired(killTimer(h)));
        assertTrue(h.logs().contains("s.service main process (" + pid + ") left running: the stop timed out and SendSIGKILL=no"),
                h.logs().toString());
        assertTrue(h.emitted().contains("stopped JOB=s.service INSTANCE= RESULT=ok"), h.emitted().toString());
    }

    @Test
    void upstartsRuleIsTheProcessGroup() {
        Harness h = new Harness(Harness.job("j").process(Harness.exec(Phase.MAIN, "/bin/j")).build());
        h.command(Input.Command.start(h.request(), "j").noWait());
        int pid = h.spawned("j", Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "j").noWait());
        assertEquals(List.of(new Effect.SendSignal(pid, true, Signal.TERM)), signals(h));
    }
}
