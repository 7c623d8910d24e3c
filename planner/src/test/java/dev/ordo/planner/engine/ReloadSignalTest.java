package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Template;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code ordo reload JOB}: the reload signal to the main process only (Upstart's {@code initctl reload}). */
class ReloadSignalTest {

    private static long reload(Harness h, String job, String... env) {
        return h.command(Input.Command.reload(h.request(), job, env));
    }

    @Test
    void theMainProcessGetsHupByDefaultAndOnlyIt() {
        Harness h = new Harness(job("web").process(exec(Phase.MAIN, "/bin/web")).build());
        h.command(Input.Command.start(h.request(), "web").noWait());
        int pid = h.spawned("web", Phase.MAIN);
        long r = reload(h, "web");
        assertEquals(new Effect.Reply(r, true, "web start/running, process " + pid), h.reply(r));
        assertTrue(h.last.contains(new Effect.SendSignal(pid, false, Signal.HUP)), h.last.toString());
        assertEquals(JobState.RUNNING, h.inst("web").state(), "a reload changes neither goal nor state");
        assertEquals(JobGoal.START, h.inst("web").goal());
    }

    @Test
    void theConfiguredSignalIsSent() {
        Job web = job("web").process(exec(Phase.MAIN, "/bin/web"))
                .kill(new Kill(Signal.TERM, Duration.ofSeconds(5), Signal.parse("USR1"))).build();
        Harness h = new Harness(web);
        h.command(Input.Command.start(h.request(), "web").noWait());
        int pid = h.spawned("web", Phase.MAIN);
        reload(h, "web");
        assertTrue(h.last.contains(new Effect.SendSignal(pid, false, Signal.parse("USR1"))), h.last.toString());
    }

    @Test
    void errorsNameWhatIsMissing() {
        Job web = job("web").process(exec(Phase.MAIN, "/bin/web")).process(exec(Phase.PRE_START, "/bin/prep")).build();
        Job tty = job("getty").process(exec(Phase.MAIN, "/bin/getty")).instance(new Template("$TTY", Harness.AT)).build();
        Harness h = new Harness(web, tty);

        long unknown = reload(h, "nope");
        assertEquals(new Effect.Reply(unknown, false, "Unknown job: nope"), h.reply(unknown));
        long idle = reload(h, "web");
        assertEquals(new Effect.Reply(idle, false, "Job is not running: web"), h.reply(idle));
        long noName = reload(h, "getty", "TTY=");
        assertEquals(new Effect.Reply(noName, false, "Unknown instance: getty has no instance named by an empty $TTY;"
                + " give the variables that name one"), h.reply(noName));
        long noTty = reload(h, "getty", "TTY=tty9");
        assertEquals(new Effect.Reply(noTty, false, "Unknown instance: tty9"), h.reply(noTty));

        // In pre-start there is no main process yet: nothing to signal.
        h.command(Input.Command.start(h.request(), "web").noWait());
        h.spawned("web", Phase.PRE_START);
        long early = reload(h, "web");
        assertEquals(new Effect.Reply(early, false, "Job is not running: web"), h.reply(early));
        assertFalse(h.last.stream().anyMatch(e -> e instanceof Effect.SendSignal), h.last.toString());
    }
}
