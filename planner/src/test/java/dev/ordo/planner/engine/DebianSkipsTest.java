package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.corpus.SharedCorpus;
import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.rules.EarlyBoot;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Debian 12's boot, simulated as {@code ordo run} would do it on a machine it does not own (not PID 1, no
 * {@code --early-boot}): nothing of the early boot runs, systemd's own clients are skipped, and the boot still
 * reaches its goal. Simulated only: a real run of this tree must be sealed (docs/notes of the shared corpus).
 */
class DebianSkipsTest {

    @Test
    void theEarlyBootIsSkippedAndTheBootStillReachesItsGoal() {
        Config c = ConfigLoader.load(List.of(), SharedCorpus.debian12());
        Set<String> boot = Planner.bootSet(c, Planner.Request.defaults());
        Simulator sim = new Simulator(c.jobs(), boot, 7, Simulator.Behaviour.CALM, true, SkipPolicy.supervisor(false, false));
        sim.boot();
        sim.at(0, Input.Command.start(-2, "graphical.target").noWait());
        assertTrue(sim.run(1_000_000));
        List<Effect> fx = sim.effects();
        Set<String> early = EarlyBoot.units(c.jobs());
        for (Effect e : fx) {
            if (e instanceof Effect.Spawn s) {
                assertTrue(!early.contains(s.job()), () -> s.job() + " is early boot and was run");
            }
        }
        assertTrue(fx.contains(new Effect.Skipped("systemd-tmpfiles-setup.service", "", SkipReason.EARLY_BOOT,
                EarlyBoot.skipText())));
        assertTrue(fx.contains(new Effect.Skipped("systemd-journald.service", "", SkipReason.EARLY_BOOT, EarlyBoot.skipText())));
        assertTrue(fx.stream().anyMatch(e -> e instanceof Effect.Skipped k && k.job().equals("systemd-logind.service")
                && k.reason() == SkipReason.NEEDS_SYSTEMD));
        assertTrue(fx.stream().anyMatch(e -> e instanceof Effect.Spawn s && s.job().equals("dbus.service")));
        for (String target : List.of("sysinit.target", "basic.target", "multi-user.target", "graphical.target")) {
            assertEquals(JobState.RUNNING, sim.engine().instance(target, "").orElseThrow().state(), target);
        }
    }
}
