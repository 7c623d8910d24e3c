package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.model.ConditionKind;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Unit;
import dev.ordo.planner.model.UnitCondition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A unit whose condition is not met is skipped, and what waits for it goes on as if it had started: over
 * generated unit trees (requires, wants and ordering between them, services and oneshots, conditions that
 * hold or not), every unit that is not skipped comes up, after everything it is ordered after has come up,
 * finished or been skipped; every skipped unit ran nothing and says why.
 */
class StartChecksProperties {

    private record Tree(List<Job> jobs, Set<String> unmet) {
    }

    private static Tree generate(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 3 + r.nextInt(8);
        List<Job> jobs = new ArrayList<>();
        Set<String> unmet = new HashSet<>();
        Job.Builder goal = job("goal.target").manual(true);
        for (int i = 0; i < n; i++) {
            String name = "u" + i + ".service";
            Job.Builder b = job(name).manual(true).process(exec(Phase.MAIN, "/usr/bin/u" + i));
            boolean oneshot = r.nextInt(3) == 0;
            if (oneshot) b.task(true);
            if (r.nextBoolean()) b.process(exec(Phase.PRE_START, "/usr/bin/pre" + i));
            for (int j = 0; j < i; j++) {
                String t = "u" + j + ".service";
                switch (r.nextInt(5)) {
                    case 0 -> b.relation(rel(RelationKind.REQUIRES, t)).relation(rel(RelationKind.AFTER, t));
                    case 1 -> b.relation(rel(RelationKind.WANTS, t)).relation(rel(RelationKind.AFTER, t));
                    case 2 -> b.relation(rel(RelationKind.AFTER, t));
                    default -> {
                    }
                }
            }
            List<UnitCondition> cs = new ArrayList<>();
            if (r.nextBoolean()) {
                cs.add(new UnitCondition(ConditionKind.PATH_EXISTS, false, false, r.nextBoolean(), "/etc/u" + i, Harness.AT));
                if (r.nextBoolean()) unmet.add(name);
            }
            b.unit(new Unit("service", oneshot ? "oneshot" : "simple", true, false, false, null, null, List.of(), List.of(),
                    List.of(), List.of(), cs));
            jobs.add(b.build());
            goal.relation(rel(RelationKind.WANTS, name));
        }
        jobs.add(goal.build());
        return new Tree(jobs, unmet);
    }

    private static Relation rel(RelationKind kind, String target) {
        return Relation.declared(kind, target, Harness.AT);
    }

    @Property(tries = 300)
    void aSkippedUnitLetsWhatWaitsForItGoOn(@ForAll long seed) {
        Tree t = generate(seed);
        Simulator sim = new Simulator(t.jobs(), seed, Simulator.Behaviour.CALM, true);
        sim.unmet(t.unmet());
        sim.at(0, Input.Command.start(1, "goal.target").noWait());
        assertTrue(sim.run(100_000), "comes to rest (seed " + seed + ")");
        List<Effect> fx = sim.effects();
        for (Job j : t.jobs()) {
            String name = j.name();
            int up = upAt(fx, j);
            if (t.unmet().contains(name)) {
                assertTrue(fx.stream().noneMatch(e -> e instanceof Effect.Spawn s && s.job().equals(name)),
                        () -> name + " was skipped and ran nothing (seed " + seed + ")");
                long status = 9_000 + t.jobs().indexOf(j);
                sim.at(sim.now(), Input.Command.status(status, name));
                sim.run(1000);
                String reply = sim.effects().stream().filter(e -> e instanceof Effect.Reply r && r.request() == status)
                        .map(e -> ((Effect.Reply) e).text()).findFirst().orElse("");
                assertTrue(reply.startsWith(name + " stop/waiting, skipped: ConditionPathExists="),
                        () -> reply + " (seed " + seed + ")");
                continue;
            }
            assertTrue(up >= 0, () -> name + " came up although only skipped units stood in its way (seed " + seed + ")");
            int started = firstSpawn(fx, name);
            for (Relation r : j.relations(RelationKind.AFTER)) {
                Job b = t.jobs().stream().filter(x -> x.name().equals(r.target())).findFirst().orElseThrow();
                int bDone = t.unmet().contains(b.name()) ? skippedAt(fx, b.name()) : upAt(fx, b);
                assertTrue(bDone >= 0 && bDone < started, () -> name + " started (" + started + ") after " + b.name()
                        + " was up or skipped (" + bDone + "), seed " + seed);
            }
        }
        assertEquals(t.unmet().size(), fx.stream().filter(e -> e instanceof Effect.Skipped).count());
    }

    /** Where a service came up (running) or a task finished (stopped, not failed); -1 if never. */
    private static int upAt(List<Effect> fx, Job j) {
        for (int i = 0; i < fx.size(); i++) {
            if (j.task() && fx.get(i) instanceof Effect.EventEmitted e && e.name().equals("stopped")
                    && e.env().contains("JOB=" + j.name()) && e.env().contains("RESULT=ok")) {
                return i;
            }
            if (!j.task() && fx.get(i) instanceof Effect.StateChanged c && c.job().equals(j.name())
                    && c.state() == JobState.RUNNING) {
                return i;
            }
        }
        return -1;
    }

    private static int skippedAt(List<Effect> fx, String job) {
        for (int i = 0; i < fx.size(); i++) if (fx.get(i) instanceof Effect.Skipped s && s.job().equals(job)) return i;
        return -1;
    }

    private static int firstSpawn(List<Effect> fx, String job) {
        for (int i = 0; i < fx.size(); i++) if (fx.get(i) instanceof Effect.Spawn s && s.job().equals(job)) return i;
        return Integer.MAX_VALUE;
    }
}
