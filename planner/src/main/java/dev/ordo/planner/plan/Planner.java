package dev.ordo.planner.plan;

import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.check.Checks;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes the plan for a goal (SEMANTICS §6): what starts, when, why, in which waves, the critical
 * path, what does not start and why, and the shutdown. Pure: the same config and request give the
 * same plan.
 */
public final class Planner {

    /**
     * What to plan.
     *
     * @param learned seconds from start to up by job name or step id (from the executor's history), or
     *     empty to use each job's declared {@code estimate} (and 1 where none is declared)
     */
    public record Request(Goal goal, Map<String, Double> learned) {

        public Request {
            learned = Map.copyOf(learned);
        }

        /** The default goal: emit {@code startup}; for systemd units also start {@code default.target}. */
        public static Request defaults() {
            return new Request(new Goal(List.of(), List.of(), List.of()), Map.of());
        }
    }

    private Planner() {
    }

    /** The goal a request means for this config: defaults filled in, aliases resolved to unit names. */
    public static Goal resolve(Config config, Goal goal) {
        List<Goal.GoalEvent> events = goal.events().isEmpty()
                ? List.of(new Goal.GoalEvent("startup", List.of())) : goal.events();
        Map<String, String> aliases = aliases(config);
        List<String> jobs = new ArrayList<>();
        for (String j : goal.jobs()) jobs.add(aliases.getOrDefault(j, j));
        if (goal.jobs().isEmpty() && aliases.containsKey("default.target")) jobs.add(aliases.get("default.target"));
        else if (goal.jobs().isEmpty() && config.job("default.target") != null) jobs.add("default.target");
        List<Goal.Failure> fail = new ArrayList<>();
        for (Goal.Failure f : goal.fail()) fail.add(new Goal.Failure(aliases.getOrDefault(f.job(), f.job()), f.how()));
        return new Goal(events, jobs, fail);
    }

    /** Every name a job can be called by: its own, and its systemd aliases. */
    public static Map<String, String> aliases(Config config) {
        Map<String, String> out = new TreeMap<>();
        for (Job j : config.jobs()) {
            out.put(j.name(), j.name());
            if (j.unit() != null) for (Named a : j.unit().aliases()) out.putIfAbsent(a.name(), j.name());
        }
        return out;
    }

    /** What only a plan shows: {@link #check} adds these to the configuration's own findings. */
    private static final Set<Code> PLAN_CODES = EnumSet.of(Code.DEADLOCK, Code.HELD_EVENT, Code.PULLED_IN_EARLY,
            Code.REVERSE_ORDER_DROPPED);

    /**
     * Everything {@code ordo check} reports: the configuration's own checks and what the plan for the
     * default goal shows (deadlocks, held events, early pull-ins and orderings the shutdown drops show
     * only in a plan, SEMANTICS §6).
     */
    public static CheckReport check(Config config) {
        CheckReport own = Checks.configuration(config);
        List<Diagnostic> out = new ArrayList<>(own.diagnostics());
        for (Diagnostic d : plan(config, Request.defaults()).diagnostics()) {
            if (PLAN_CODES.contains(d.code())) out.add(d);
        }
        return new CheckReport(config, out.stream().distinct().toList(), own.externalEvents());
    }

    public static Plan plan(Config config, Request request) {
        Goal goal = resolve(config, request.goal());
        Map<String, Job> jobs = byName(config);

        // What a supervisor counts on in advance: the boot set without the failures supposed here.
        Set<String> promised = goal.fail().isEmpty() ? Set.of()
                : reach(config, jobs, new Goal(goal.events(), goal.jobs(), List.of()), Set.of()).triggeredJobs();
        BootRun reach = reach(config, jobs, goal, promised);
        Set<String> closure = reach.triggeredJobs();
        if (goal.fail().isEmpty()) promised = closure;
        BootRun waves = new BootRun(config, jobs, goal, BootRun.Mode.UNIT, s -> 1, closure).promising(promised).run();
        // With no estimate and nothing learned every duration is 1: the timed boot is the waves' boot,
        // computed by the same deterministic code from the same input, so it is not computed twice.
        boolean unit = request.learned().isEmpty() && config.jobs().stream().allMatch(j -> j.estimate() == null);
        BootRun timed = unit ? waves
                : new BootRun(config, jobs, goal, BootRun.Mode.TIMED, s -> duration(s.job, s.id, request), closure)
                        .promising(promised).run();

        Map<String, Integer> waveOf = new HashMap<>();
        for (StepStart s : waves.states()) if (s.succeeded) waveOf.put(s.id, (int) Math.round(s.start));
        List<StepStart> upAtEnd = new ArrayList<>();
        List<Step> steps = new ArrayList<>();
        for (StepStart s : timed.states()) {
            if (!s.succeeded) continue;
            steps.add(new Step(s.id, s.job.name(), s.instance, s.job.task(), waveOf.getOrDefault(s.id, 0), s.trigger,
                    s.start, s.up, sortedWaits(s.waits), s.because));
            if (!s.job.task()) upAtEnd.add(s);
        }
        Schedule boot = schedule(steps, timed.states().stream().filter(x -> x.succeeded)
                .collect(java.util.stream.Collectors.toMap(x -> x.id, x -> x.binding == null ? new Wait[0]
                        : new Wait[] {x.binding}, (a, b) -> a, TreeMap::new)));

        Explanation why = new Explanation(config, jobs, reach, timed, closure);
        // Everything `ordo check` finds without a plan belongs in the plan's report too.
        List<Diagnostic> diagnostics = new ArrayList<>(Checks.configuration(config).diagnostics());
        diagnostics.addAll(why.diagnostics());

        // The shutdown goes on from the conditions as the boot left them (U§3.3).
        ShutdownRun down = new ShutdownRun(upAtEnd, jobs, timed::tree, s -> 1, j -> duration(j, j.name(), request)).run();
        ShutdownRun downUnit = unit ? down : new ShutdownRun(upAtEnd, jobs, timed::tree, s -> 1, j -> 1).run();
        Map<String, Integer> downWave = new HashMap<>();
        for (ShutdownRun.StepStop s : downUnit.stopped()) if (s.done) downWave.put(s.id, (int) Math.round(s.start));
        for (ShutdownRun.StepStop s : downUnit.tasks()) if (s.done) downWave.put(s.id, (int) Math.round(s.start));
        List<Step> downSteps = new ArrayList<>();
        Map<String, Wait[]> downBinding = new TreeMap<>();
        List<ShutdownRun.StepStop> all = new ArrayList<>(down.stopped());
        all.addAll(down.tasks());
        for (ShutdownRun.StepStop s : all) {
            if (!s.done) continue;
            downSteps.add(new Step(s.id, s.job.name(), s.instance, !s.stopping, downWave.getOrDefault(s.id, 0),
                    s.trigger, s.start, s.up, sortedWaits(s.waits), s.because));
            downBinding.put(s.id, s.binding == null ? new Wait[0] : new Wait[] {s.binding});
        }
        diagnostics.addAll(why.shutdownDiagnostics(down));
        Schedule shutdown = schedule(downSteps, downBinding);

        diagnostics.sort(Diagnostic.ORDER);
        return new Plan(goal, boot, shutdown, why.notStarted(), diagnostics.stream().distinct().toList(),
                assumptions(config, request));
    }

    /**
     * The boot set for {@code request}: every job the boot starts or would start but for a deadlock
     * (the closure the plan's {@code after} waits are taken within). A supervisor gives it to the
     * engine, which then decides a requisite as the plan does: a job whose requisite is outside the set
     * is not in it either, and nothing it would have caused is.
     */
    public static Set<String> bootSet(Config config, Request request) {
        return new TreeSet<>(reach(config, byName(config), resolve(config, request.goal()), Set.of()).triggeredJobs());
    }

    /**
     * The reach run with requisites decided: a job whose requisite is not in the closure is refused
     * (it starts, pulls in and emits nothing), which may leave other requisites out in turn; run
     * again until nothing more is refused. The closure only shrinks, so this ends.
     *
     * @param promised jobs counted as there besides the closure (the boot set without supposed failures)
     */
    private static BootRun reach(Config config, Map<String, Job> jobs, Goal goal, Set<String> promised) {
        Set<String> refused = new TreeSet<>();
        BootRun run = new BootRun(config, jobs, goal, BootRun.Mode.REACH, s -> 0, Set.of()).run();
        while (true) {
            Set<String> more = BootRelations.requisiteOutside(run.triggeredJobs(), promised, jobs);
            if (!refused.addAll(more)) return run;
            run = new BootRun(config, jobs, goal, BootRun.Mode.REACH, s -> 0, Set.of()).refusing(refused).run();
        }
    }

    /** Jobs by name, iterated in name order (the order of {@link Config#jobs()}), built once per plan. */
    private static Map<String, Job> byName(Config config) {
        Map<String, Job> m = new LinkedHashMap<>(config.jobs().size() * 2);
        for (Job j : config.jobs()) m.put(j.name(), j);
        return m;
    }

    static double duration(Job job, String id, Request request) {
        Double learned = request.learned().get(id);
        if (learned == null) learned = request.learned().get(job.name());
        if (learned != null) return learned;
        if (job.estimate() != null) return job.estimate().toNanos() / 1e9;
        return 1;
    }

    private static List<Wait> sortedWaits(List<Wait> waits) {
        if (waits.size() < 2) return waits; // nothing to sort or to merge
        TreeMap<String, Wait> unique = new TreeMap<>();
        for (Wait w : waits) unique.putIfAbsent(w.id() + "\u0000" + w.kind().label(), w);
        return new ArrayList<>(unique.values());
    }

    /** Sorts steps, groups waves, and walks the critical path back from the last step up. */
    private static Schedule schedule(List<Step> steps, Map<String, Wait[]> binding) {
        if (steps.isEmpty()) return Schedule.EMPTY;
        steps.sort(Comparator.comparingDouble(Step::start).thenComparing((Step x) -> x.id()));
        TreeMap<Integer, TreeSet<String>> byWave = new TreeMap<>();
        for (Step s : steps) byWave.computeIfAbsent(s.wave(), k -> new TreeSet<>()).add(s.id());
        List<List<String>> waves = new ArrayList<>();
        // Indexed by wave number: a wave in which nothing starts (its steps are held or deadlocked) stays,
        // empty, so that waves.get(w) is always wave w.
        for (int w = 0; w <= byWave.lastKey(); w++) {
            waves.add(new ArrayList<>(byWave.getOrDefault(w, new TreeSet<>())));
        }
        Map<String, Step> byId = new HashMap<>();
        for (Step s : steps) byId.put(s.id(), s);
        Step last = steps.get(0);
        for (Step s : steps) {
            if (s.up() > last.up() || (s.up() == last.up() && s.id().compareTo(last.id()) < 0)) last = s;
        }
        List<Schedule.PathStep> path = new ArrayList<>();
        Step cur = last;
        TreeSet<String> seen = new TreeSet<>();
        while (cur != null && seen.add(cur.id())) {
            // What set this step's start: the last thing it waited for, else what triggered it.
            Step prev = null;
            EdgeKind via = null;
            Wait[] b = binding.get(cur.id());
            if (b != null && b.length == 1 && cur.start() > cur.trigger() && byId.containsKey(b[0].id())) {
                prev = byId.get(b[0].id());
                via = b[0].kind();
            } else if (cur.because() != null && cur.because().by() != null && byId.containsKey(cur.because().by())) {
                prev = byId.get(cur.because().by());
                via = cur.because().kind();
            }
            if (prev != null && seen.contains(prev.id())) prev = null; // a stop that its own trigger waited for
            path.add(new Schedule.PathStep(cur.id(), cur.start(), cur.up(), prev == null ? null : via));
            cur = prev;
        }
        java.util.Collections.reverse(path);
        return new Schedule(steps, waves, path, last.up());
    }

    private static List<String> assumptions(Config config, Request request) {
        List<String> out = new ArrayList<>();
        boolean emits = config.jobs().stream().anyMatch(j -> !j.emits().isEmpty());
        if (emits) out.add("an event a job lists in `emits` happens when that job is up");
        out.add(request.learned().isEmpty()
                ? "a job takes its declared `estimate` to start, or 1 s where none is declared"
                : "a job takes the median of its recorded start durations, else its `estimate`, else 1 s");
        out.add("every job stops in 1 s at shutdown");
        boolean systemd = config.jobs().stream().anyMatch(j -> j.format() == Format.SYSTEMD);
        if (systemd) out.add("systemd units start when the goal pulls them in; conditions are taken to hold");
        return out;
    }
}
