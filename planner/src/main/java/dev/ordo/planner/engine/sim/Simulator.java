package dev.ordo.planner.engine.sim;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Engine;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Signal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A make-believe process layer: it carries out an {@link Engine}'s effects with processes that take
 * random time, fail, crash, fork, ignore SIGTERM, and answer probes, all drawn from a seeded random
 * and a fake clock. A job's {@code emits} events are emitted from inside it ({@code ordo emit
 * --no-wait}) when it is up: a service once it is running, a task just before its main process ends. The same seed gives the same run. Used by the engine's property tests and by
 * {@code ordo bench engine}; no threads, no real processes.
 */
public final class Simulator {

    /**
     * How the processes behave: probabilities from 0 to 1, durations in milliseconds.
     *
     * @param spawnFailure a process cannot be started at all
     * @param failure a pre-start, post-stop or task process exits 1 (others' failures are ignored anyway)
     * @param crash a service's main process ends on its own some time after it started
     * @param stubborn a process ignores the kill signal and needs SIGKILL
     * @param probeFailure a readiness probe fails; {@code probeSilence} it never answers (timeout)
     * @param maxRun the longest a process runs before it exits on its own
     */
    public record Behaviour(double spawnFailure, double failure, double crash, double stubborn, double probeFailure,
                            double probeSilence, long maxRun) {

        /** Everything works, quickly. */
        public static final Behaviour CALM = new Behaviour(0, 0, 0, 0, 0, 0, 20);
        /** Failures of every kind, now and then. */
        public static final Behaviour ROUGH = new Behaviour(0.03, 0.1, 0.25, 0.2, 0.1, 0.05, 300);
    }

    private static final class Proc {
        final int pid;
        final int group;
        final String job;
        final String instance;
        final Phase phase;
        final boolean stubborn;
        boolean dead;

        Proc(int pid, int group, String job, String instance, Phase phase, boolean stubborn) {
            this.pid = pid;
            this.group = group;
            this.job = job;
            this.instance = instance;
            this.phase = phase;
            this.stubborn = stubborn;
        }
    }

    /** Something due at a time; {@code proc} and {@code probe} make it void when they went away first. */
    private record Due(long at, long seq, Input input, Proc proc, String probe, int generation) {
    }

    private final Engine engine;
    private final Map<String, Job> jobs = new HashMap<>();
    private final SplittableRandom random;
    private final Behaviour behaviour;
    private final PriorityQueue<Due> agenda =
            new PriorityQueue<>(Comparator.comparingLong(Due::at).thenComparingLong(Due::seq));
    private final Map<Integer, Proc> procs = new HashMap<>();
    private final Set<Long> cancelled = new HashSet<>();
    private final Map<String, Integer> probes = new HashMap<>();
    private final Map<Long, Integer> replies = new HashMap<>();
    private final List<Effect> effects;
    private final List<Input> inputs;
    private Consumer<Effect> observer = e -> { };
    private long seq;
    private long now;
    private int nextPid = 100;
    private long steps;
    /** Jobs whose main process can never be started ({@code ordo plan --fail JOB}). */
    private Set<String> failing = Set.of();
    /** Jobs whose conditions and asserts do not hold on the make-believe machine. */
    private Set<String> unmet = Set.of();
    /** Requests of the emit commands jobs send themselves: negative, apart from the caller's. */
    private long nextEmit = -1;

    /**
     * @param record keep every input and effect (tests); off for long runs
     */
    public Simulator(Collection<Job> jobs, long seed, Behaviour behaviour, boolean record) {
        this(jobs, Set.of(), seed, behaviour, record);
    }

    /**
     * @param boot the jobs the boot will start, for the engine (see {@link Engine}'s constructor)
     * @param record keep every input and effect (tests); off for long runs
     */
    public Simulator(Collection<Job> jobs, Set<String> boot, long seed, Behaviour behaviour, boolean record) {
        this(jobs, boot, seed, behaviour, record, dev.ordo.planner.engine.SkipPolicy.NONE);
    }

    /** @param skip what the engine skips, as on a machine ordo does not own (see {@link Engine}'s constructor) */
    public Simulator(Collection<Job> jobs, Set<String> boot, long seed, Behaviour behaviour, boolean record,
                     dev.ordo.planner.engine.SkipPolicy skip) {
        for (Job j : jobs) this.jobs.putIfAbsent(j.name(), j);
        this.random = new SplittableRandom(seed);
        this.behaviour = behaviour;
        this.engine = new Engine(jobs, () -> now, Engine.DEFAULT_ENV, boot, skip);
        this.effects = record ? new ArrayList<>() : null;
        this.inputs = record ? new ArrayList<>() : null;
    }

    public Engine engine() {
        return engine;
    }

    public long now() {
        return now;
    }

    /** Inputs fed to the engine so far, in order (only when recording). */
    public List<Input> inputs() {
        return inputs;
    }

    /** Effects the engine produced so far, in order (only when recording). */
    public List<Effect> effects() {
        return effects;
    }

    /** How many replies each command got (the caller's commands, not the emits jobs send themselves). */
    public Map<Long, Integer> replies() {
        return replies;
    }

    /** Inputs handled so far. */
    public long steps() {
        return steps;
    }

    /** Sees every effect as it is carried out. */
    public void observe(Consumer<Effect> o) {
        observer = o;
    }

    /** From now on, the main process of these jobs cannot be started: each start attempt fails. */
    public void failing(Set<String> jobs) {
        failing = Set.copyOf(jobs);
    }

    /** From now on, no condition or assert of these jobs is met (every other job's are). */
    public void unmet(Set<String> jobs) {
        unmet = Set.copyOf(jobs);
    }

    public void boot() {
        apply(engine.boot());
    }

    /** Schedules an input (usually a command) at an absolute time. */
    public void at(long time, Input input) {
        agenda.add(new Due(Math.max(time, now), seq++, input, null, null, 0));
    }

    /** True when nothing more is due: every process left runs until it is told to stop. */
    public boolean quiet() {
        return agenda.isEmpty();
    }

    /**
     * Runs until nothing is due or {@code maxSteps} inputs were handled.
     *
     * @return true when it came to rest
     */
    public boolean run(long maxSteps) {
        long limit = maxSteps > Long.MAX_VALUE - steps ? Long.MAX_VALUE : steps + maxSteps;
        while (!agenda.isEmpty()) {
            if (steps >= limit) return false;
            Due d = agenda.poll();
            if (d.proc != null) {
                if (d.proc.dead) continue;
                if (d.input instanceof Input.Exited) {
                    d.proc.dead = true;
                    procs.remove(d.proc.pid);
                }
            }
            if (d.probe != null && probes.getOrDefault(d.probe, 0) != d.generation) continue;
            if (d.input instanceof Input.TimerFired t && cancelled.remove(t.timer())) continue;
            now = Math.max(now, d.at);
            feed(d.input);
        }
        return true;
    }

    private void feed(Input input) {
        steps++;
        // The newest definition answers "is it a task", as it does for the engine's new instances.
        if (input instanceof Input.Reload r) for (Job j : r.jobs()) jobs.put(j.name(), j);
        if (inputs != null) inputs.add(input);
        apply(engine.handle(input));
    }

    private void apply(List<Effect> out) {
        for (Effect e : out) {
            if (effects != null) effects.add(e);
            observer.accept(e);
            carryOut(e);
        }
    }

    private long soon() {
        return now + 1 + random.nextInt(5);
    }

    private long later() {
        return now + 1 + random.nextLong(Math.max(1, behaviour.maxRun));
    }

    private boolean chance(double p) {
        return p > 0 && random.nextDouble() < p;
    }

    private void carryOut(Effect e) {
        if (e instanceof Effect.Spawn s) {
            spawn(s);
        } else if (e instanceof Effect.SendSignal k) {
            kill(k);
        } else if (e instanceof Effect.ArmTimer t) {
            agenda.add(new Due(now + t.delayMillis(), seq++, new Input.TimerFired(t.timer()), null, null, 0));
        } else if (e instanceof Effect.CancelTimer t) {
            cancelled.add(t.timer());
        } else if (e instanceof Effect.StartProbe p) {
            String key = p.job() + "\u0000" + p.instance();
            int generation = probes.merge(key, 1, Integer::sum);
            if (chance(behaviour.probeSilence)) return;
            Input answer = chance(behaviour.probeFailure)
                    ? new Input.ProbeFailed(p.job(), p.instance(), "connection refused")
                    : new Input.Ready(p.job(), p.instance());
            agenda.add(new Due(later(), seq++, answer, null, key, generation));
        } else if (e instanceof Effect.TestConditions t) {
            // As the plan assumes: every condition and assert is met on the make-believe machine, unless told.
            boolean met = !unmet.contains(t.job());
            List<Input.ConditionAnswer> answers = new ArrayList<>();
            for (dev.ordo.planner.model.UnitCondition c : t.conditions()) {
                answers.add(new Input.ConditionAnswer(met != c.negate() ? dev.ordo.planner.engine.ConditionResult.HOLDS
                        : dev.ordo.planner.engine.ConditionResult.FAILS, "simulated"));
            }
            agenda.add(new Due(soon(), seq++, new Input.ConditionsTested(t.test(), answers), null, null, 0));
        } else if (e instanceof Effect.OpenSockets o) {
            // Sockets always open on the make-believe machine; no traffic ever comes to them.
            agenda.add(new Due(soon(), seq++, new Input.SocketsOpened(o.job(), o.instance()), null, null, 0));
        } else if (e instanceof Effect.StopProbe p) {
            probes.merge(p.job() + "\u0000" + p.instance(), 1, Integer::sum);
        } else if (e instanceof Effect.Reply r) {
            if (r.request() >= 0) replies.merge(r.request(), 1, Integer::sum);
        } else if (e instanceof Effect.StateChanged c && c.state() == dev.ordo.planner.engine.JobState.RUNNING
                && c.goal() == dev.ordo.planner.engine.JobGoal.START) {
            Job j = jobs.get(c.job());
            if (j != null && !j.task()) emits(j, c.instance(), now, null);
        }
    }

    private void spawn(Effect.Spawn s) {
        Job failingJob = s.phase() == Phase.MAIN && failing.contains(s.job()) ? jobs.get(s.job()) : null;
        // As the plan's --fail: a service never comes up (its start fails); a task starts, then fails.
        if ((failingJob != null && !failingJob.task()) || chance(behaviour.spawnFailure)) {
            agenda.add(new Due(soon(), seq++, new Input.SpawnFailed(s.process(), "No such file or directory"), null, null, 0));
            return;
        }
        int pid = nextPid++;
        Proc p = new Proc(pid, pid, s.job(), s.instance(), s.phase(), chance(behaviour.stubborn));
        procs.put(pid, p);
        long t = soon();
        agenda.add(new Due(t, seq++, new Input.Spawned(s.process(), pid), null, null, 0));
        Job j = jobs.get(s.job());
        boolean task = j != null && j.task();
        // A line before the last of a phase runs to its end, as a task's does: the next line follows it.
        boolean lastLine = s.command() == null || s.line() + 1 >= s.command().lines();
        boolean exits = s.ready() instanceof Readiness.UpOnExit; // up when it has exited
        if (s.phase() != Phase.MAIN || task || !lastLine || exits) {
            int code = (failingJob != null && lastLine) || (s.phase() == Phase.PRE_START || s.phase() == Phase.POST_STOP || task || chance(0.5))
                    && chance(behaviour.failure) ? 1 : 0;
            long end = t + 1 + random.nextLong(Math.max(1, behaviour.maxRun));
            if (task && s.phase() == Phase.MAIN && j != null && lastLine) emits(j, s.instance(), end, p);
            exitLater(p, end, ExitStatus.code(code));
            return;
        }
        Proc service = p;
        Readiness r = s.ready();
        if (r instanceof Readiness.Fork || r instanceof Readiness.Forking || r instanceof Readiness.Daemon) {
            int forks = r instanceof Readiness.Daemon ? 2 : 1;
            Proc parent = p;
            for (int i = 0; i < forks; i++) {
                Proc child = new Proc(nextPid++, p.group, s.job(), s.instance(), Phase.MAIN, parent.stubborn);
                procs.put(child.pid, child);
                agenda.add(new Due(t + 1 + 2L * i, seq++, new Input.Forked(parent.pid, child.pid), parent, null, 0));
                exitLater(parent, t + 2 + 2L * i, ExitStatus.code(0));
                parent = child;
            }
            service = parent;
        } else if (r instanceof Readiness.Stop) {
            agenda.add(new Due(t + 1, seq++, new Input.Stopped(pid), p, null, 0));
        } else if (r instanceof Readiness.Notify) {
            agenda.add(new Due(t + 1, seq++, new Input.Ready(s.job(), s.instance()), p, null, 0));
        }
        if (chance(behaviour.crash)) {
            exitLater(service, t + 10 + random.nextLong(Math.max(1, 2 * behaviour.maxRun)),
                    ExitStatus.code(chance(0.5) ? 1 : 0));
        }
    }

    /** The job's {@code emits}, from inside it; void when {@code proc} is given and dies first. */
    private void emits(Job j, String instance, long at, Proc proc) {
        for (dev.ordo.planner.model.Named e : j.emits()) {
            Input.Command emit = new Input.Command(nextEmit--, Input.Verb.EMIT, e.name(), null, List.of(), false,
                    new Input.Caller(j.name(), instance));
            agenda.add(new Due(at, seq++, emit, proc, null, 0));
        }
    }

    private void exitLater(Proc p, long at, ExitStatus status) {
        agenda.add(new Due(at, seq++, new Input.Exited(p.pid, status), p, null, 0));
    }

    private void kill(Effect.SendSignal k) {
        if (k.signal().number() == Signal.CONT.number()) return;
        List<Proc> targets = new ArrayList<>();
        if (k.group()) {
            for (Proc p : procs.values()) if (p.group == k.pid() && !p.dead) targets.add(p);
            targets.sort(Comparator.comparingInt(p -> p.pid));
        } else {
            Proc p = procs.get(k.pid());
            if (p != null && !p.dead) targets.add(p);
        }
        boolean kill = k.signal().number() == Signal.KILL.number();
        for (Proc p : targets) {
            if (!kill && p.stubborn) continue;
            exitLater(p, soon(), ExitStatus.signal(k.signal()));
        }
    }
}
