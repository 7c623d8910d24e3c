package dev.ordo.planner.check;

import dev.ordo.planner.plan.Planner;


import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.load.ConfigLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What `systemd-analyze verify` finds by building a transaction (a missing Requires= target, an
 * ordering cycle it cannot break), ordo's checks find too, on the same files. The example half of
 * this test always runs; the comparison half runs where systemd-analyze is installed.
 */
class SystemdAnalyzeComparisonTest {

    @TempDir
    Path dir;

    private void units() throws IOException {
        Files.writeString(dir.resolve("x.service"),
                "[Unit]\nRequires=nonexistent.service\nAfter=nonexistent.service\n[Service]\nExecStart=/bin/true\n");
        Files.writeString(dir.resolve("a.service"), "[Unit]\nAfter=b.service\nRequires=b.service\n[Service]\nExecStart=/bin/true\n");
        Files.writeString(dir.resolve("b.service"), "[Unit]\nAfter=a.service\nRequires=a.service\n[Service]\nExecStart=/bin/true\n");
    }

    private List<Diagnostic> ordo() {
        return Planner.check(ConfigLoader.load(List.of(dir), null)).diagnostics();
    }

    @Test
    void ordoReportsTheMissingRequirementAndTheCycle() throws IOException {
        units();
        List<Diagnostic> ds = ordo();
        Diagnostic missing = ds.stream().filter(d -> d.code() == Code.UNKNOWN_JOB).findFirst().orElseThrow();
        assertEquals(dir.resolve("x.service") + ":2:10", missing.source().toString());
        assertEquals("Requires= names unit `nonexistent.service`, which is not defined here", missing.message());
        Diagnostic cycle = ds.stream().filter(d -> d.code() == Code.ORDERING_CYCLE).findFirst().orElseThrow();
        assertTrue(cycle.message().startsWith("ordering cycle a.service → b.service → a.service: "), cycle.message());
        assertEquals(2, ds.size(), ds::toString);
    }

    @Test
    void systemdAnalyzeFindsTheSameProblems() throws Exception {
        Path bin = Path.of("/usr/bin/systemd-analyze");
        Assumptions.assumeTrue(Files.isExecutable(bin), "systemd-analyze is not installed");
        units();
        Process p = new ProcessBuilder(bin.toString(), "verify", "--man=no", "x.service", "a.service", "b.service")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("Unit nonexistent.service not found."), out);
        assertTrue(out.contains("Found ordering cycle"), out);
        // ordo agrees on both, and names both units of the cycle.
        List<Diagnostic> ds = ordo();
        assertTrue(ds.stream().anyMatch(d -> d.code() == Code.UNKNOWN_JOB && d.message().contains("nonexistent.service")));
        assertTrue(ds.stream().anyMatch(d -> d.code() == Code.ORDERING_CYCLE && d.message().contains("a.service")
                && d.message().contains("b.service")));
    }
}
