package dev.ordo.executor.cli;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.engine.sim.Simulator;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.diag.Source;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints how fast the engine handles events: boots a configuration of {@code jobs} jobs (a fifth of
 * them services started by {@code startup} in ordered chains, the rest tasks each started by its own
 * event) and emits {@code events} events through the simulated process layer. Figures, not a test.
 *
 * <p>A command users run ({@code ordo bench engine}), kept out of the engine itself so that the engine
 * package holds rules only.
 */
@Command(name = "engine", mixinStandardHelpOptions = true,
        description = "Time the engine alone: boot simulated jobs and handle emitted events, no I/O.")
final class EngineBench implements Callable<Integer> {

    @Option(names = "--jobs", defaultValue = "10000", description = "Jobs (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--events", defaultValue = "100000", description = "Events emitted after the boot (default ${DEFAULT-VALUE}).")
    int events;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (jobs < 10 || events < 0) {
            spec.commandLine().getErr().println("ordo bench engine: --jobs takes 10 or more, --events 0 or more");
            return Main.USAGE;
        }
        run(out, jobs / 10, events / 10, false); // a warm-up at a tenth of the size
        run(out, jobs, events, true);
        out.flush();
        return 0;
    }

    private static void run(PrintWriter out, int jobCount, int eventCount, boolean print) {
        Source at = new Source("bench.yaml", 1, 1);
        List<Job> jobs = new ArrayList<>();
        int services = jobCount / 5;
        for (int i = 0; i < jobCount; i++) {
            String name = String.format("job%05d", i);
            Job.Builder b = Job.builder(name, Format.YAML, at).process(Process.exec(Phase.MAIN, "/bin/" + name, at));
            if (i < services) {
                b.startOn(new EventExpr.Match("startup", List.of(), at));
                if (i % 10 != 0) b.relation(Relation.declared(RelationKind.AFTER, String.format("job%05d", i - 1), at));
            } else {
                b.task(true).startOn(new EventExpr.Match("work", List.of(EventArg.positional(Integer.toString(i))), at));
            }
            jobs.add(b.build());
        }
        long[] handled = {0};
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        long c0 = cpu.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        Simulator sim = new Simulator(jobs, 42, Simulator.Behaviour.CALM, false);
        sim.observe(e -> {
            if (e instanceof Effect.EventEmitted) handled[0]++;
        });
        sim.boot();
        boolean bootQuiet = sim.run(Long.MAX_VALUE);
        long t1 = System.nanoTime();
        long c1 = cpu.getCurrentThreadCpuTime();
        long bootEvents = handled[0];
        for (int k = 0; k < eventCount; k++) {
            int task = services + (k * 7919) % Math.max(1, jobCount - services);
            sim.at(sim.now() + k / 10, new Input.Command(k + 1, Input.Verb.EMIT, "work", null,
                    List.of("N=" + task), false, null));
        }
        boolean quiet = sim.run(Long.MAX_VALUE);
        long t2 = System.nanoTime();
        long c2 = cpu.getCurrentThreadCpuTime();
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long heap = rt.totalMemory() - rt.freeMemory();
        if (!print) return;
        // CPU time of this thread: the engine is single-threaded, and wall time on a shared machine lies.
        double bootS = (c1 - c0) / 1e9;
        double runS = (c2 - c1) / 1e9;
        long runEvents = handled[0] - bootEvents;
        out.printf("jobs: %d (%d services, %d tasks); simulated processes, no I/O%n", jobCount, services,
                jobCount - services);
        out.printf("boot: %d events handled in %.2f s CPU, %.2f s wall (%.0f events/s)%s%n", bootEvents, bootS,
                (t1 - t0) / 1e9, bootEvents / bootS, bootQuiet ? "" : " NOT QUIET");
        out.printf("run: %d emitted + job events = %d events handled in %.2f s CPU, %.2f s wall"
                        + " (%.0f events/s), %d inputs%s%n", eventCount, runEvents, runS, (t2 - t1) / 1e9, runEvents / runS,
                sim.steps(), quiet ? "" : " NOT QUIET");
        out.printf("heap used after the run (engine and simulator alive): %.1f MB%n", heap / 1048576.0);
        if (sim.engine().instances().size() != services) out.println("unexpected: " + sim.engine().instances().size() + " instances left");
    }
}
