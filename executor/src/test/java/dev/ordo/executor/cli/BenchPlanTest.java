package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `ordo bench plan` and its generated configurations (the figures themselves are never asserted). */
class BenchPlanTest {

    @Test
    void generatedConfigurationsAreDeterministicAndPlanWithoutErrors(@TempDir Path dir) throws IOException {
        for (SyntheticConfig c : List.of(SyntheticConfig.pure(300, 7), SyntheticConfig.mixed(300, 7))) {
            SyntheticConfig again = c.shape().equals("pure") ? SyntheticConfig.pure(300, 7) : SyntheticConfig.mixed(300, 7);
            assertEquals(c.yaml(), again.yaml(), c.shape());
            Path f = dir.resolve(c.shape() + ".yaml");
            Files.writeString(f, c.yaml());
            Config config = ConfigLoader.load(List.of(f), null);
            assertEquals(300, config.jobs().size(), c.shape());
            assertEquals(List.of(), config.diagnostics(), c.shape());
            Plan plan = Planner.plan(config, Planner.Request.defaults());
            assertTrue(plan.diagnostics().stream().noneMatch(d -> d.isError()), c.shape() + ": " + plan.diagnostics());
            // Every job of the pure shape starts; the mixed one starts more steps than jobs (instances).
            if (c.shape().equals("pure")) assertEquals(300, plan.boot().steps().size());
            else assertTrue(plan.boot().steps().size() > 250, "mixed: " + plan.boot().steps().size());
        }
    }

    @Test
    void pureEdgesPointBackwardsWithinTheWindow() {
        SyntheticConfig c = SyntheticConfig.pure(500, 3);
        for (String line : c.edges().split("\n")) {
            String[] ab = line.split(" ");
            int a = Integer.parseInt(ab[0].substring(1));
            int b = Integer.parseInt(ab[1].substring(1));
            assertTrue(a == b || (a < b && b - a <= SyntheticConfig.WINDOW), line);
        }
    }

    /** The benches fork ordo the way the launcher runs it; a flag added to one and not the other skews every figure. */
    @Test
    void theBenchesUseTheLaunchersJvmOptions() throws IOException {
        Path script = Path.of(System.getProperty("user.dir")).resolveSibling("ordo");
        String text = Files.readString(script);
        int start = text.indexOf("\nopts=(");
        assertTrue(start >= 0, "no opts=( in " + script);
        String opts = text.substring(start + "\nopts=(".length(), text.indexOf(')', start)).replaceAll("\\s+", " ").trim();
        assertEquals(BenchPlan.LAUNCHER_JAVA_OPTS, opts);
        assertTrue(opts.contains("-XX:-UsePerfData") && opts.contains("-XX:GuaranteedSafepointInterval=0"), opts);
    }

    @Test
    void printsOneRowPerShapeAndSize() {
        CheckCommandTest.Run r = CheckCommandTest.ordo("bench", "plan", "--sizes", "20,40", "--no-fresh", "--warmup", "0",
                "--iterations", "1");
        assertEquals(0, r.status(), r.err());
        assertEquals(4, r.out().lines().filter(l -> l.matches("\\| (pure|mixed) \\| \\d+ .*")).count(), r.out());
        CheckCommandTest.Run bad = CheckCommandTest.ordo("bench", "plan", "--shapes", "round", "--no-fresh");
        assertEquals(Main.USAGE, bad.status());
        assertTrue(bad.err().contains("unknown shape `round`"), bad.err());
    }
}
