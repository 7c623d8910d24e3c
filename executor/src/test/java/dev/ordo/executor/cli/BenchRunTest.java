package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The configuration {@code ordo bench run} boots: valid, and really ten levels deep. */
class BenchRunTest {

    @TempDir
    Path tmp;

    @Test
    void theGeneratedServicesCheckCleanAndBootLevelByLevel() throws Exception {
        Path yaml = tmp.resolve("bench.yaml");
        Files.writeString(yaml, BenchRun.yaml(1000, 10, 10));
        CheckReport report = Planner.check(ConfigLoader.load(List.of(yaml), null));
        assertEquals(0, report.errors() + report.warnings(), report.diagnostics().toString());
        assertEquals(1000, report.config().jobs().size());
        Plan plan = Planner.plan(report.config(), Planner.Request.defaults());
        for (int level = 1; level < 10; level++) {
            for (int j = 0; j < 10; j++) {
                assertTrue(plan.boot().step(BenchRun.name(level - 1, (95 + j) % 100)).start()
                        < plan.boot().step(BenchRun.name(level, 95)).start(), "level " + level);
            }
        }
        assertTrue(plan.boot().step(BenchRun.name(0, 0)).start() < plan.boot().step(BenchRun.name(9, 0)).start());
    }
}
