package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.diag.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * Properties of the engine over generated configurations (see {@link Scenario}), run against the
 * simulated process layer with failures of every kind.
 */
class EngineProperties {

    private static final long MAX_STEPS = 200_000;

    private static Simulator run(long seed, Scenario s) {
        Simulator sim = new Simulator(s.jobs(), seed, Simulator.Behaviour.ROUGH, true);
        sim.boot();
        for (Scenario.Timed t : s.commands()) sim.at(t.at(), t.command());
        boolean quiet = sim.run(MAX_STEPS);
        if (!quiet) fail("no quiescence after " + MAX_STEPS + " steps for seed " + seed + ": " + s.jobs());
        return sim;
    }

    /** (5) Every command gets exactly one reply, and a configuration without deadlock comes to rest. */
    @Property(tries = 300)
    void everyCommandIsAnsweredOnceAndEverythingComesToRest(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, 8);
        Simulator sim = run(seed, s);
        for (Scenario.Timed t : s.commands()) {
            assertEquals(1, sim.replies().getOrDefault(t.command().request(), 0),
                    () -> "replies to " + t.command() + " (seed " + seed + ")");
        }
        assertEquals(s.commands().size(), sim.replies().size(), "no reply to a request nobody made");
        for (Engine.InstanceView v : sim.engine().instances()) {
            Job j = job(s, v.job());
            assertTrue(v.state() == JobState.RUNNING && v.goal() == JobGoal.START && !j.task(),
                    () -> "at rest every instance is a running service, not " + v + " (seed " + seed + ")");
        }
        for (Engine.EventView e : sim.engine().events()) {
            assertTrue(!e.name().equals("starting") && !e.name().equals("stopping"),
                    () -> "a blocking event is still held: " + e + " (seed " + seed + ")");
        }
        // The state file's lean summaries say what the full views say.
        List<Engine.InstanceSummary> fromViews = new ArrayList<>();
        for (Engine.InstanceView v : sim.engine().instances()) {
            fromViews.add(new Engine.InstanceSummary(v.job(), v.instance(), v.goal(), v.state(),
                    v.pids().getOrDefault(Phase.MAIN, 0)));
        }
        assertEquals(fromViews, sim.engine().summaries(), "seed " + seed);
    }

    /**
     * (2) An instance leaves starting (stopping) only after its starting (stopping) event finished, and
     * an event is finished only when every instance that took it reached its rest (a running service,
     * a stopped job), had its goal changed again, or failed.
     */
    @Property(tries = 300)
    void blockingEventsAreReleasedOnlyAtRest(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, 8);
        Simulator sim = run(seed, s);
        Map<String, Long> blockingEvent = new HashMap<>();
        Set<Long> finished = new HashSet<>();
        Map<String, JobState> state = new HashMap<>();
        Map<String, JobGoal> goal = new HashMap<>();
        Map<Long, List<String>> takers = new HashMap<>();
        Map<String, Map<Long, Boolean>> pending = new HashMap<>();
        Set<String> released = new HashSet<>();
        for (Effect e : sim.effects()) {
            if (e instanceof Effect.EventEmitted x && (x.name().equals("starting") || x.name().equals("stopping"))) {
                blockingEvent.put(key(x.env()) + "/" + x.name(), x.event());
            } else if (e instanceof Effect.EventTaken t) {
                String k = t.job() + "/" + t.instance();
                takers.computeIfAbsent(t.event(), z -> new ArrayList<>()).add(k);
                pending.computeIfAbsent(k, z -> new HashMap<>()).put(t.event(), false);
            } else if (e instanceof Effect.StateChanged c) {
                String k = c.job() + "/" + c.instance();
                JobState before = state.getOrDefault(k, JobState.WAITING);
                if (before != c.state() && (before == JobState.STARTING || before == JobState.STOPPING)) {
                    Long ev = blockingEvent.get(k + "/" + (before == JobState.STARTING ? "starting" : "stopping"));
                    assertTrue(ev != null && finished.contains(ev),
                            () -> k + " left " + before + " before its event finished (seed " + seed + ")");
                }
                boolean goalChanged = goal.containsKey(k) && goal.get(k) != c.goal();
                Map<Long, Boolean> held = pending.getOrDefault(k, Map.of());
                boolean rest = c.state() == JobState.WAITING
                        || (c.state() == JobState.RUNNING && c.goal() == JobGoal.START && !job(s, c.job()).task());
                for (Map.Entry<Long, Boolean> h : new ArrayList<>(held.entrySet())) {
                    if (rest || (goalChanged && h.getValue())) {
                        released.add(h.getKey() + " " + k);
                        held.remove(h.getKey());
                    } else if (goalChanged) {
                        h.setValue(true); // the goal change that came with taking the event
                    }
                }
                state.put(k, c.state());
                goal.put(k, c.goal());
            } else if (e instanceof Effect.EventFinished f) {
                finished.add(f.event());
                if (f.failed()) continue;
                for (String k : takers.getOrDefault(f.event(), List.of())) {
                    assertTrue(released.contains(f.event() + " " + k),
                            () -> f.name() + " #" + f.event() + " finished while " + k + " was not at rest, in "
                                    + state.get(k) + " (seed " + seed + ")");
                }
            }
        }
    }

    /** (3) post-stop runs exactly once in every cycle of an instance, and the states follow the table. */
    @Property(tries = 300)
    void postStopRunsOncePerCycleAndStatesFollowTheTable(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, 8);
        Simulator sim = run(seed, s);
        Map<String, JobState> state = new HashMap<>();
        Map<String, Integer> postStops = new HashMap<>();
        Map<String, Boolean> pastStarting = new HashMap<>();
        for (Effect e : sim.effects()) {
            if (e instanceof Effect.Spawn sp && sp.phase() == Phase.POST_STOP) {
                postStops.merge(sp.job() + "/" + sp.instance(), 1, Integer::sum);
            } else if (e instanceof Effect.StateChanged c) {
                String k = c.job() + "/" + c.instance();
                JobState before = state.getOrDefault(k, JobState.WAITING);
                if (before == c.state()) continue;
                assertTrue(allowed(before).contains(c.state()),
                        () -> k + ": " + before + " -> " + c.state() + " is not in the table (seed " + seed + ")");
                if (c.state() == JobState.PRE_START) pastStarting.put(k, true);
                if (c.state() == JobState.WAITING || (c.state() == JobState.STARTING && before == JobState.POST_STOP)) {
                    int expected = job(s, c.job()).processes().containsKey(Phase.POST_STOP) ? 1 : 0;
                    int got = postStops.getOrDefault(k, 0);
                    assertEquals(expected, got, () -> k + " ran post-stop " + got + " times in one cycle"
                            + (pastStarting.getOrDefault(k, false) ? " (past starting)" : "") + " (seed " + seed + ")");
                    postStops.remove(k);
                    pastStarting.remove(k);
                }
                state.put(k, c.state());
            }
        }
        for (Map.Entry<String, Integer> left : postStops.entrySet()) {
            assertTrue(left.getValue() <= 1, () -> left + " (seed " + seed + ")");
        }
    }

    /**
     * (7) The stop order reverses {@code after}: when an instance is signalled (leaves stopping for
     * killed), no instance of a job ordered after it is on its way down, whatever sent it there (an
     * explicit stop, a requires or binds_to reaching it, its stop_on, a failure). Generated
     * configurations never let the signalled job hold the dependant's own event, the one case where
     * the engine lets go (see {@link Scenario}).
     */
    @Property(tries = 2000)
    void aJobIsSignalledOnlyOnceEveryStoppingJobOrderedAfterItIsAtRest(@ForAll long seed) {
        stopOrderReversesAfter(seed);
    }

    /**
     * Seeds that broke (7) before the fix: j3 is ordered after j2 and its stop_on names j2 ({@code
     * stopped j2}, {@code e0 and stopped j2}), but something else stopped j3 at the same time as j2;
     * the stop_on exempted the pair from the reversed order, and j2 was signalled while j3 was stopping.
     */
    @Example
    void theSeedsThatFoundTheStopOrderBug() {
        stopOrderReversesAfter(7101);
        stopOrderReversesAfter(13866);
    }

    private static void stopOrderReversesAfter(long seed) {
        Scenario s = Scenario.generate(seed, 8);
        Simulator sim = run(seed, s);
        Map<String, Set<String>> orderedAfter = new HashMap<>();
        for (Job j : s.jobs()) {
            for (dev.ordo.planner.model.Relation r : j.relations()) {
                if (r.kind() == dev.ordo.planner.model.RelationKind.AFTER) {
                    orderedAfter.computeIfAbsent(r.target(), z -> new HashSet<>()).add(j.name());
                } else if (r.kind() == dev.ordo.planner.model.RelationKind.BEFORE) {
                    orderedAfter.computeIfAbsent(j.name(), z -> new HashSet<>()).add(r.target());
                }
            }
        }
        Map<String, Effect.StateChanged> now = new HashMap<>();
        for (Effect e : sim.effects()) {
            if (!(e instanceof Effect.StateChanged c)) continue;
            String k = c.job() + "/" + c.instance();
            Effect.StateChanged before = now.put(k, c);
            if (c.state() != JobState.KILLED || before == null || before.state() != JobState.STOPPING) continue;
            for (Effect.StateChanged d : now.values()) {
                if (!orderedAfter.getOrDefault(c.job(), Set.of()).contains(d.job())) continue;
                assertTrue(d.goal() != JobGoal.STOP || d.state() == JobState.WAITING,
                        () -> k + " was signalled while " + d.job() + "/" + d.instance() + ", ordered after it, was "
                                + d.goal().word() + "/" + d.state().word() + " (seed " + seed + ")");
            }
        }
    }

    /** (6) The same configuration, commands and process behaviour give the same effects. */
    @Property(tries = 100)
    void sameInputsGiveSameEffects(@ForAll long seed) {
        Scenario s = Scenario.generate(seed, 8);
        List<Effect> first = run(seed, s).effects();
        List<Effect> second = run(seed, Scenario.generate(seed, 8)).effects();
        assertEquals(first, second);
    }

    /**
     * (4) A respawning service is stopped exactly on the exit the rules say: the count starts at 1 on
     * the first respawn of a window anchored there, and the job stops when it passes the limit.
     */
    @Property(tries = 300)
    void respawnLimitStopsOnTheRightAttempt(@ForAll @IntRange(min = 0, max = 4) int limit,
                                            @ForAll @IntRange(min = 0, max = 3000) int intervalMs,
                                            @ForAll @LongRange(min = 1, max = 1_000_000) long seed) {
        Source at = new Source("r.yaml", 1, 1);
        Job j = Job.builder("r", Format.YAML, at).respawn(new Respawn(true, limit, Duration.ofMillis(intervalMs), null))
                .process(Process.exec(Phase.MAIN, "/bin/r", at)).build();
        long[] now = {5_000_000};
        Engine engine = new Engine(List.of(j), () -> now[0]);
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        long process = spawnOf(engine.handle(Input.Command.start(1, "r").noWait()));
        Long anchor = null;
        int count = 0;
        for (int exit = 1; exit <= 40; exit++) {
            int pid = 100 + exit;
            engine.handle(new Input.Spawned(process, pid));
            now[0] += r.nextInt(1500);
            List<Effect> out = engine.handle(new Input.Exited(pid, ExitStatus.code(1)));
            boolean expectStop;
            if (limit == 0 || intervalMs == 0) {
                expectStop = false;
            } else if (anchor != null && now[0] - anchor < intervalMs) {
                count++;
                expectStop = count > limit;
            } else {
                anchor = now[0];
                count = 1;
                expectStop = false;
            }
            boolean stopped = out.contains(new Effect.LogLine("r respawning too fast, stopped"));
            int e = exit;
            assertEquals(expectStop, stopped, () -> "exit " + e + " of limit " + limit + " in " + intervalMs + "ms");
            if (stopped) {
                assertTrue(engine.instances().isEmpty());
                return;
            }
            process = spawnOf(out);
        }
    }

    private static long spawnOf(List<Effect> out) {
        for (Effect e : out) if (e instanceof Effect.Spawn s && s.phase() == Phase.MAIN) return s.process();
        return fail("no spawn in " + out);
    }

    private static String key(List<String> env) {
        String job = null;
        String instance = "";
        for (String kv : env) {
            if (kv.startsWith("JOB=") && job == null) job = kv.substring(4);
            else if (kv.startsWith("INSTANCE=")) {
                instance = kv.substring(9);
                break;
            }
        }
        return job + "/" + instance;
    }

    private static Job job(Scenario s, String name) {
        for (Job j : s.jobs()) if (j.name().equals(name)) return j;
        return fail("no job " + name);
    }

    static Set<JobState> allowed(JobState from) {
        return switch (from) {
            case WAITING -> EnumSet.of(JobState.STARTING);
            case STARTING -> EnumSet.of(JobState.PRE_START, JobState.STOPPING);
            case PRE_START -> EnumSet.of(JobState.SPAWNED, JobState.STOPPING);
            case SPAWNED -> EnumSet.of(JobState.POST_START, JobState.STOPPING);
            case POST_START -> EnumSet.of(JobState.RUNNING, JobState.STOPPING);
            case RUNNING -> EnumSet.of(JobState.PRE_STOP, JobState.STOPPING);
            case PRE_STOP -> EnumSet.of(JobState.RUNNING, JobState.STOPPING);
            case STOPPING -> EnumSet.of(JobState.KILLED);
            case KILLED -> EnumSet.of(JobState.POST_STOP);
            case POST_STOP -> EnumSet.of(JobState.WAITING, JobState.STARTING);
        };
    }
}
