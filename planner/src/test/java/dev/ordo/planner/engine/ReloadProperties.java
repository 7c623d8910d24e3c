package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A reload in the middle of a generated run ({@link Scenario}), with processes failing in every way:
 * some jobs removed, some changed (every command renamed, so a spawn tells which definition it came
 * from), some added, at a random moment — while jobs start, stop, respawn and hold events.
 */
class ReloadProperties {

    private static final Source AT = new Source("reloaded.yaml", 1, 1);
    private static final long NEW_JOB_START = 100;

    record Reloading(Scenario scenario, List<Job> after, Set<String> removed, long at) {
    }

    static Reloading generate(long seed) {
        Scenario s = Scenario.generate(seed, 8);
        SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
        List<Job> after = new ArrayList<>();
        Set<String> removed = new TreeSet<>();
        for (Job j : s.jobs()) {
            int roll = r.nextInt(10);
            if (roll < 2) {
                removed.add(j.name());
            } else if (roll < 5) {
                Job.Builder b = j.toBuilder();
                for (Process p : j.processes().values()) {
                    b.process(Process.exec(p.phase(), String.join(" ", p.exec()) + "-v2", p.source()));
                }
                after.add(b.build());
            } else {
                after.add(j);
            }
        }
        int added = r.nextInt(3);
        for (int i = 0; i < added; i++) {
            after.add(Job.builder("n" + i, Format.YAML, AT).process(Process.exec(Phase.MAIN, "/bin/n" + i, AT))
                    .startOn(new EventExpr.Match("e" + r.nextInt(3), List.of(), AT)).build());
        }
        return new Reloading(s, List.copyOf(after), removed, r.nextInt(3000));
    }

    /**
     * Every command is answered exactly once; the states follow the table across the reload; a
     * process comes from the definition its instance lives under (the old one for an instance that
     * was there, until it starts again; the new one for an instance started after); a removed job
     * never starts again and ends with no instance, forgotten; everything comes to rest.
     */
    @Property(tries = 300)
    void aReloadKeepsEveryPromise(@ForAll long seed) {
        Reloading g = generate(seed);
        Scenario s = g.scenario();
        Simulator sim = new Simulator(s.jobs(), seed, Simulator.Behaviour.ROUGH, true);
        sim.boot();
        for (Scenario.Timed t : s.commands()) sim.at(t.at(), t.command());
        sim.at(g.at(), new Input.Reload(g.after(), Set.of()));
        boolean newJob = g.after().stream().anyMatch(j -> j.name().equals("n0"));
        if (newJob) sim.at(g.at() + 1, Input.Command.start(NEW_JOB_START, "n0").noWait());
        if (!sim.run(200_000)) fail("no quiescence for seed " + seed);

        for (Scenario.Timed t : s.commands()) {
            assertEquals(1, sim.replies().getOrDefault(t.command().request(), 0),
                    () -> "replies to " + t.command() + " (seed " + seed + ")");
        }
        if (newJob) assertEquals(1, sim.replies().getOrDefault(NEW_JOB_START, 0), "seed " + seed);

        Map<String, Job> before = byName(s.jobs());
        Map<String, Job> after = byName(g.after());
        Map<String, JobState> state = new HashMap<>();
        /** The definitions an instance's processes may come from. */
        Map<String, Set<Job>> defs = new HashMap<>();
        boolean reloaded = false;
        for (Effect e : sim.effects()) {
            if (e instanceof Effect.Reloaded) {
                reloaded = true;
            } else if (e instanceof Effect.StateChanged c) {
                String k = c.job() + "/" + c.instance();
                JobState was = state.getOrDefault(k, JobState.WAITING);
                if (was == c.state()) continue;
                assertTrue(EngineProperties.allowed(was).contains(c.state()),
                        () -> k + ": " + was + " -> " + c.state() + " (seed " + seed + ")");
                state.put(k, c.state());
                if (c.state() != JobState.STARTING) continue;
                boolean isReloaded = reloaded;
                assertTrue(!reloaded || !g.removed().contains(c.job()),
                        () -> "removed " + k + " started again (seed " + seed + ")");
                Job current = (reloaded ? after : before).get(c.job());
                if (was == JobState.WAITING) defs.put(k, new HashSet<>(Set.of(current)));
                else defs.get(k).add(current); // a restart takes the new one, a respawn keeps the old
                assertTrue(current != null, () -> k + " started without a definition (reloaded " + isReloaded + ")");
            } else if (e instanceof Effect.Spawn sp) {
                String k = sp.job() + "/" + sp.instance();
                Set<Job> allowed = defs.get(k);
                assertTrue(allowed != null && allowed.stream().anyMatch(j -> sp.command().equals(j.processes().get(sp.phase()))),
                        () -> k + " " + sp.phase() + " ran " + sp.command().exec() + ", not from " + allowed
                                + " (seed " + seed + ")");
            }
        }
        assertTrue(reloaded, "the reload happened");
        assertEquals(new TreeSet<>(after.keySet()), new TreeSet<>(sim.engine().jobs()),
                () -> "the engine knows the new configuration's jobs, and only those (seed " + seed + ")");
        for (Engine.InstanceView v : sim.engine().instances()) {
            assertTrue(v.state() == JobState.RUNNING && v.goal() == JobGoal.START && !after.get(v.job()).task(),
                    () -> "at rest every instance is a running service, not " + v + " (seed " + seed + ")");
        }
        for (Engine.EventView e : sim.engine().events()) {
            assertTrue(!e.name().equals("starting") && !e.name().equals("stopping"),
                    () -> "a blocking event is still held: " + e + " (seed " + seed + ")");
        }
    }

    /** The same run twice gives the same effects: a reload is as deterministic as the rest. */
    @Property(tries = 50)
    void aReloadIsDeterministic(@ForAll long seed) {
        assertEquals(run(seed), run(seed));
    }

    private static List<Effect> run(long seed) {
        Reloading g = generate(seed);
        Simulator sim = new Simulator(g.scenario().jobs(), seed, Simulator.Behaviour.ROUGH, true);
        sim.boot();
        for (Scenario.Timed t : g.scenario().commands()) sim.at(t.at(), t.command());
        sim.at(g.at(), new Input.Reload(g.after(), Set.of()));
        sim.run(200_000);
        return sim.effects();
    }

    private static Map<String, Job> byName(List<Job> jobs) {
        Map<String, Job> m = new HashMap<>();
        for (Job j : jobs) m.putIfAbsent(j.name(), j);
        return m;
    }
}
