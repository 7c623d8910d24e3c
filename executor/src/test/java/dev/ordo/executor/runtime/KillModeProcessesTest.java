package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** kill.mode of ordo.yaml with real processes: children that left the job's process group. */
class KillModeProcessesTest extends SupervisorHarness {

    private List<Integer> children(Path dir, int n) throws Exception {
        eventually(() -> n + " children wrote their pids", () -> {
            try (var s = Files.list(dir)) {
                return s.filter(p -> {
                    try {
                        return Files.readString(p).endsWith("\n");
                    } catch (java.io.IOException e) {
                        return false;
                    }
                }).count() == n;
            } catch (java.io.IOException e) {
                return false;
            }
        });
        List<Integer> pids = new ArrayList<>();
        try (var s = Files.list(dir)) {
            for (Path p : s.toList()) pids.add(Integer.parseInt(Files.readString(p).strip()));
        }
        return pids;
    }

    /** A child that writes its pid to the file its first argument names, then sleeps. */
    private Path child() throws java.io.IOException {
        Path child = tmp.resolve("child.sh");
        Files.writeString(child, "echo $$ > \"$1\"\nexec sleep 300\n");
        return child;
    }

    @Test
    void controlGroupStopsEveryChildThatCalledSetsidTheProcessGroupRuleDoesNot() throws Exception {
        Path cg = Files.createDirectories(tmp.resolve("cg"));
        Path pg = Files.createDirectories(tmp.resolve("pg"));
        Path child = child();
        String exec = "for i in 1 2 3 4 5 6 7 8 9 10; do setsid /bin/sh %s %s/$i & done; exec sleep 300";
        Path yaml = yaml("""
                jobs:
                  owned:
                    script: "%s"
                    kill: {mode: control-group}
                  upstart-rule:
                    script: "%s"
                """.formatted(exec.formatted(child, cg), exec.formatted(child, pg)));
        run(List.of(yaml));
        // Both start with the boot (no start_on: started by the run's goal).
        List<Integer> owned = children(cg, 10);
        List<Integer> left = children(pg, 10);
        try {
            assertEquals(0, ordo("stop", "owned").status());
            for (int pid : owned) eventually(() -> "child " + pid + " of owned is gone", () -> !RealProcessesTest.alive(pid));
            assertEquals(0, ordo("stop", "upstart-rule").status());
            // Upstart's rule reaches the main process's group only: a session leader of its own is not in it.
            for (int pid : left) assertTrue(RealProcessesTest.alive(pid), "child " + pid + " outside the group");
        } finally {
            for (int pid : left) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            for (int pid : owned) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void whereOrdoMakesCgroupsAProcessThatClearedItsEnvironmentAndLeftItsSessionGoesWithItsUnit() throws Exception {
        // The mark (INVOCATION_ID) is in the environment, which `env -i` clears; the cgroup is not left that way.
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path units = Files.createDirectories(tmp.resolve("units"));
        Path child = child();
        Files.writeString(units.resolve("escaper.service"), "[Service]\nExecStart=/bin/sh -c 'setsid env -i /bin/sh "
                + child + " " + out + "/1 & exec sleep 300'\n");
        run(List.of(units));
        org.junit.jupiter.api.Assumptions.assumeTrue(supervisor.processes.groups().active(),
                () -> supervisor.processes.groups().describe());
        assertEquals(0, ordo("start", "escaper.service").status());
        int pid = children(out, 1).get(0);
        try {
            String cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            assertTrue(cgroup.contains("/escaper.service/"), cgroup);
            assertTrue(!Files.readString(Path.of("/proc/" + pid + "/environ")).contains("INVOCATION_ID="), "no mark left");
            assertEquals(0, ordo("stop", "escaper.service").status());
            eventually(() -> "the child " + pid + " that escaped the mark is gone", () -> !RealProcessesTest.alive(pid));
        } finally {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }
}
