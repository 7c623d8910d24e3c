package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.plan.Step;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Run = plan (issue "Run real services as shipped", item 1): {@code ordo run} boots the goal {@code ordo plan}
 * shows for the same input: default.target for systemd units (it started nothing before), or the
 * {@code --emit}/{@code --start} goal, with real processes.
 */
class RunIsPlanTest extends ForkedRun {

    /** The services a plan's boot starts (its up steps), by name. */
    static Set<String> planned(Path config, Goal goal) {
        Plan p = Planner.plan(ConfigLoader.load(List.of(config), null), new Planner.Request(goal, Map.of()));
        Set<String> out = new TreeSet<>();
        for (Step s : p.boot().steps()) if (!s.task()) out.add(s.id());
        return out;
    }

    Set<String> startedLines(int expected) throws InterruptedException {
        long end = System.currentTimeMillis() + WAIT_MILLIS;
        Set<String> started = new TreeSet<>();
        while (System.currentTimeMillis() < end) {
            started.clear();
            for (String l : lines()) {
                int at = l.indexOf("] Started ");
                if (at >= 0) started.add(l.substring(at + "] Started ".length()).replaceAll("  [0-9.]+s$", ""));
            }
            if (started.size() >= expected) break;
            Thread.sleep(20);
        }
        return started;
    }

    void shutdown() throws Exception {
        ForkedOrdo.signal(run.pid(), "TERM");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), output.text());
        assertEquals(0, run.exitValue(), output.text());
    }

    @Test
    void systemdUnitsBootTheirDefaultTargetAsThePlanShows() throws Exception {
        Path units = TOP.resolve("samples/systemd");
        Set<String> plan = planned(units, Planner.Request.defaults().goal());
        assertTrue(plan.contains("dbus.service") && plan.contains("network-manager.service"), plan.toString());
        start(List.of(units.toString()));
        awaitLine("ordo: running as pid");
        Set<String> started = startedLines(plan.size());
        assertEquals(plan, started, output.text());
        shutdown();
    }

    @Test
    void startBootsOnlyTheNamedJobAndWhatItPullsIn() throws Exception {
        Path yaml = TOP.resolve("samples/yaml");
        Goal goal = new Goal(List.of(new Goal.GoalEvent("nothing-listens", List.of())), List.of("network-manager"), List.of());
        Set<String> plan = planned(yaml, goal);
        assertEquals(Set.of("hal", "network-manager"), plan, "network-manager pulls in hal, nothing else starts");
        start(List.of(yaml.toString(), "--emit", "nothing-listens", "--start", "network-manager"));
        awaitLine("ordo: running as pid");
        assertEquals(plan, startedLines(plan.size()), output.text());
        shutdown();
        assertTrue(lines().stream().noneMatch(l -> l.contains("Started dbus")), output.text());
    }

    @Test
    void failIsForPlansAndAnUnknownGoalJobIsAUsageError() {
        StringWriter err = new StringWriter();
        int status = Main.execute(new String[] {"run", TOP.resolve("samples/yaml").toString(), "--fail", "dbus",
            "--state-dir", state().toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertEquals(2, status);
        assertTrue(err.toString().startsWith("ordo: --fail is for `ordo plan`"), err.toString());
        StringWriter err2 = new StringWriter();
        int unknown = Main.execute(new String[] {"run", TOP.resolve("samples/yaml").toString(), "--start", "dbuss",
            "--state-dir", state().toString()}, new PrintWriter(new StringWriter()), new PrintWriter(err2));
        assertEquals(2, unknown);
        assertEquals("ordo: --start dbuss: no such job in this configuration; did you mean `dbus`?\n", err2.toString());
    }
}
