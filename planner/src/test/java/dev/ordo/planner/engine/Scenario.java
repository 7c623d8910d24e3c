package dev.ordo.planner.engine;

import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * A generated configuration and a list of timed commands, drawn from a seed.
 *
 * <p>Generated configurations have no deadlock by construction. Jobs are numbered; a job may wait
 * only on lower-numbered jobs while starting, and a stopping job only on higher-numbered jobs or on
 * jobs that are starting: start_on's {@code starting X}/{@code stopping X} leaves name higher jobs,
 * stop_on's {@code stopping X} lower ones, {@code after} targets are lower, {@code before} targets
 * higher. A job that hooks into another's start or stop ({@code starting X}/{@code stopping X} in its
 * start_on) is not ordered against anything: when such a job is started again while it is still
 * stopping, it waits for its old stop to finish, and stop ordering could then close a cycle that no
 * single relation shows. Nor do they loop for ever: everything that starts a job comes from a higher-numbered job
 * (start_on's {@code started/stopped X} name higher jobs, {@code requires}/{@code wants} lower ones),
 * so only respawns, which the simulation makes rarer each time, and commands start jobs again. {@code and} combines only events nobody waits for, so a partial match never holds a
 * blocking event, and commands emit events used in an {@code and} with {@code --no-wait}. Conflicts
 * are only between jobs that start by command.
 */
record Scenario(List<Job> jobs, List<Timed> commands) {

    record Timed(long at, Input.Command command) {
    }

    private static final Source AT = new Source("generated.yaml", 1, 1);
    private static final List<String> CUSTOM = List.of("e0", "e1", "e2");

    static Scenario generate(long seed, int maxJobs) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 2 + r.nextInt(Math.max(1, maxJobs - 1));
        Set<String> inAnd = new TreeSet<>();
        List<Job.Builder> builders = new ArrayList<>();
        boolean[] manual = new boolean[n];
        boolean[] templated = new boolean[n];
        boolean[] hook = new boolean[n];
        boolean[] tasks = new boolean[n];
        for (int i = 0; i < n; i++) tasks[i] = r.nextInt(3) == 0;
        for (int i = 0; i < n; i++) {
            Job.Builder b = Job.builder(name(i), Format.YAML, AT);
            boolean task = tasks[i];
            b.task(task);
            manual[i] = r.nextInt(5) == 0;
            if (manual[i]) b.manual(true);
            else b.startOn(expr(r, i, n, true, inAnd, tasks, hook));
            hook[i] = b.startOn() != null && b.startOn().matches().stream()
                    .anyMatch(m -> m.event().equals("starting") || m.event().equals("stopping"));
            if (r.nextInt(3) == 0) b.stopOn(expr(r, i, n, false, inAnd, tasks, hook));
            boolean main = r.nextInt(6) != 0;
            if (main) b.process(Process.exec(Phase.MAIN, "/bin/" + name(i), AT));
            // Sometimes two lines, run in turn (systemd's repeated ExecStartPre=, a YAML list).
            if (r.nextInt(10) < 3) b.process(r.nextInt(3) == 0
                    ? new Process(Phase.PRE_START, List.of("/bin/pre", "/bin/pre2"), null, AT)
                    : Process.exec(Phase.PRE_START, "/bin/pre", AT));
            if (r.nextInt(10) < 3) b.process(Process.exec(Phase.POST_START, "/bin/post", AT));
            if (r.nextInt(10) < 3) b.process(Process.exec(Phase.PRE_STOP, "/bin/prestop", AT));
            if (r.nextInt(10) < 5) b.process(Process.exec(Phase.POST_STOP, "/bin/poststop", AT));
            if (main && !task) {
                b.ready(switch (r.nextInt(8)) {
                    case 0 -> new Readiness.Fork();
                    case 6 -> new Readiness.Forking();
                    case 7 -> new Readiness.UpOnExit();
                    case 1 -> new Readiness.Daemon();
                    case 2 -> new Readiness.Stop();
                    case 3 -> new Readiness.Notify();
                    case 4 -> new Readiness.Tcp("127.0.0.1", 80, Duration.ofMillis(400));
                    default -> Readiness.NONE;
                });
            }
            if (main && r.nextInt(3) == 0) {
                boolean unlimited = r.nextInt(4) == 0;
                b.respawn(new Respawn(true, unlimited ? 0 : 1 + r.nextInt(3),
                        Duration.ofMillis(200 + r.nextInt(2000)), null));
            }
            if (r.nextInt(5) == 0) b.normalExit(ExitStatus.code(1));
            templated[i] = r.nextInt(5) == 0;
            if (templated[i]) b.instance(new Template("$N", AT));
            b.kill(new Kill(Signal.TERM, Duration.ofMillis(50 + r.nextInt(500)), Signal.HUP));
            for (int k = 0; k < i; k++) {
                int roll = r.nextInt(20);
                if (roll < 3) b.relation(Relation.declared(RelationKind.REQUIRES, name(k), AT));
                else if (roll < 5) b.relation(Relation.declared(RelationKind.WANTS, name(k), AT));
                if (!hook[i] && !hook[k] && r.nextInt(5) == 0) b.relation(Relation.declared(RelationKind.AFTER, name(k), AT));
                // Towards earlier jobs only: an on_failure/on_success chain ends.
                int more = r.nextInt(24);
                if (more == 0) b.relation(Relation.declared(RelationKind.REQUISITE, name(k), AT));
                else if (more == 1) b.relation(Relation.declared(RelationKind.ON_FAILURE, name(k), AT));
                else if (more == 2) b.relation(Relation.declared(RelationKind.ON_SUCCESS, name(k), AT));
            }
            builders.add(b);
        }
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                if (!hook[i] && !hook[k] && r.nextInt(10) == 0) {
                    builders.get(i).relation(Relation.declared(RelationKind.BEFORE, name(k), AT));
                }
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = i + 1; k < n; k++) {
                if (manual[i] && manual[k] && r.nextInt(3) == 0) {
                    builders.get(i).relation(Relation.declared(RelationKind.CONFLICTS, name(k), AT));
                }
            }
        }
        List<Job> jobs = new ArrayList<>();
        for (Job.Builder b : builders) jobs.add(b.build());

        List<Timed> commands = new ArrayList<>();
        int count = r.nextInt(9);
        for (int c = 0; c < count; c++) {
            long at = r.nextInt(3000);
            long request = c + 1;
            int j = r.nextInt(n);
            List<String> env = templated[j] || r.nextBoolean() ? List.of("N=" + (r.nextBoolean() ? "a" : "b")) : List.of();
            boolean wait = r.nextBoolean();
            Input.Command cmd = switch (r.nextInt(7)) {
                case 0, 1 -> new Input.Command(request, Input.Verb.START, name(j), null, env, wait, null);
                case 2 -> new Input.Command(request, Input.Verb.STOP, name(j), null, env, wait, null);
                case 3 -> new Input.Command(request, Input.Verb.RESTART, name(j), null, env, wait, null);
                case 4 -> {
                    String e = CUSTOM.get(r.nextInt(CUSTOM.size()));
                    yield new Input.Command(request, Input.Verb.EMIT, e, null, env, wait && !inAnd.contains(e), null);
                }
                case 5 -> new Input.Command(request, Input.Verb.STATUS, name(j), null, env, true, null);
                default -> new Input.Command(request, Input.Verb.LIST, null, null, List.of(), true, null);
            };
            commands.add(new Timed(at, cmd));
        }
        return new Scenario(List.copyOf(jobs), List.copyOf(commands));
    }

    static String name(int i) {
        return "j" + i;
    }

    private static EventExpr expr(SplittableRandom r, int i, int n, boolean start, Set<String> inAnd, boolean[] tasks,
                                  boolean[] hook) {
        int shape = r.nextInt(10);
        if (shape < 5) return leaf(r, i, n, start, true, tasks, hook);
        if (shape < 8) {
            EventExpr e = new EventExpr.Any(leaf(r, i, n, start, true, tasks, hook),
                    leaf(r, i, n, start, true, tasks, hook));
            return r.nextBoolean() ? e : new EventExpr.Any(e, leaf(r, i, n, start, true, tasks, hook));
        }
        EventExpr.Match a = leaf(r, i, n, start, false, tasks, hook);
        EventExpr.Match b = leaf(r, i, n, start, false, tasks, hook);
        for (EventExpr.Match m : List.of(a, b)) if (CUSTOM.contains(m.event())) inAnd.add(m.event());
        return new EventExpr.All(a, b);
    }

    /** One match; {@code blockingAllowed} false keeps to events nobody waits for. */
    private static EventExpr.Match leaf(SplittableRandom r, int i, int n, boolean start, boolean blockingAllowed,
                                        boolean[] tasks, boolean[] hook) {
        for (int attempt = 0; attempt < 10; attempt++) {
            int kind = r.nextInt(6);
            if (kind == 0 && start) return match("startup");
            if (kind <= 1) {
                String e = CUSTOM.get(r.nextInt(CUSTOM.size()));
                return r.nextInt(3) == 0 ? match(e, EventArg.equal("N", r.nextBoolean() ? "a" : "?")) : match(e);
            }
            if (kind <= 3 && !start && i > 0) {
                int k = r.nextInt(i);
                // A task's stop is part of its start: a later job must not hold it up from stop_on. Nor
                // may it hold a hook's stop: a hook started again by this job's own `stopping` would
                // wait for its old stop, which waits for this job (seed 3739: j1 start on stopping j2,
                // j2 stop on stopping j1 — a real deadlock, in Upstart too).
                String e = List.of("started", "stopped", "stopping")
                        .get(r.nextInt(blockingAllowed && !tasks[k] && !hook[k] ? 3 : 2));
                return match(e, EventArg.positional(name(k)));
            }
            if (kind <= 3 && start && i < n - 1) {
                int k = i + 1 + r.nextInt(n - 1 - i);
                return match(r.nextBoolean() ? "started" : "stopped", EventArg.positional(name(k)));
            }
            if (kind >= 4 && start && blockingAllowed && i < n - 1) {
                int k = i + 1 + r.nextInt(n - 1 - i);
                return match(r.nextBoolean() ? "starting" : "stopping", EventArg.positional(name(k)));
            }
        }
        return match(CUSTOM.get(r.nextInt(CUSTOM.size())));
    }

    private static EventExpr.Match match(String event, EventArg... args) {
        return new EventExpr.Match(event, List.of(args), AT);
    }
}
