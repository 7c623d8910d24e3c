package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo run} of a tiny unit tree whose commands only touch files in the test's directory: a condition
 * not met skips its unit, an assert not met fails it, and the early boot is skipped unless ordo is PID 1 or
 * is told {@code --early-boot}; what comes after goes on, and status says why.
 */
class StartChecksRunTest extends SupervisorHarness {

    private Path tree() throws IOException {
        return tree(tmp);
    }

    /** The tree under {@code tmp}/units; its commands touch files in {@code tmp}/out. */
    static Path tree(Path tmp) throws IOException {
        Path units = Files.createDirectories(tmp.resolve("units"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        String touch = "ExecStart=/usr/bin/touch " + out + "/";
        Files.writeString(units.resolve("default.target"), "[Unit]\nWants=app.service cond.service assert.service\n");
        Files.writeString(units.resolve("basic.target"), "[Unit]\nDescription=Basic System\n");
        Files.writeString(units.resolve("shutdown.target"), "[Unit]\nDescription=Shutdown\nDefaultDependencies=no\n");
        Files.writeString(units.resolve("sysinit.target"), "[Unit]\nDescription=System Initialization\n");
        Files.createDirectories(units.resolve("sysinit.target.wants"));
        Files.writeString(units.resolve("sysinit.target.wants/early.service"), "../early.service\n");
        Files.writeString(units.resolve("early.service"), "[Unit]\nDefaultDependencies=no\nBefore=sysinit.target\n"
                + "[Service]\nType=oneshot\n" + touch + "early\n");
        Files.writeString(units.resolve("cond.service"), "[Unit]\nConditionPathExists=" + out + "/absent\n"
                + "[Service]\nType=oneshot\nRemainAfterExit=yes\n" + touch + "cond\n");
        Files.writeString(units.resolve("assert.service"), "[Unit]\nAssertPathExists=" + out + "/absent\n"
                + "[Service]\nType=oneshot\nRemainAfterExit=yes\n" + touch + "assert\n");
        Files.writeString(units.resolve("app.service"), "[Unit]\nAfter=cond.service\nRequires=cond.service\n"
                + "ConditionPathIsDirectory=" + out + "\n[Service]\nType=oneshot\nRemainAfterExit=yes\n" + touch + "app\n");
        return units;
    }

    @Test
    void conditionsAssertsAndTheEarlyBootUnderARunningMachine() throws Exception {
        Path out = tmp.resolve("out");
        run(List.of(tree()));
        awaitLine("[  OK  ] Started app.service");
        assertTrue(Files.exists(out.resolve("app")), "a met condition runs its unit, after the skipped one it requires");
        assertFalse(Files.exists(out.resolve("cond")));
        assertFalse(Files.exists(out.resolve("assert")));
        assertFalse(Files.exists(out.resolve("early")), "the test's JVM is not PID 1");
        awaitLine("ordo: early.service skipped: early boot (sysinit.target) runs only when ordo is PID 1; --early-boot runs it");
        awaitLine("ordo: cond.service skipped: ConditionPathExists=" + out + "/absent was not met");
        awaitLine("[FAILED] Failed to start assert.service (an assert did not hold)");
        assertTrue(lines().stream().noneMatch(l -> l.contains("Finished early.service") || l.contains("Stopped cond.service")),
                () -> "a skipped unit is said once:\n" + output());
        Run status = ordo("status", "cond.service");
        assertEquals("cond.service stop/waiting, skipped: ConditionPathExists=" + out + "/absent was not met\n", status.out());
        assertEquals("assert.service stop/waiting, failed: AssertPathExists=" + out + "/absent was not met\n",
                ordo("status", "assert.service").out());
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }

    @Test
    void anExecConditionRunsFirstAndItsExitDecides() throws Exception {
        // systemd.service(5), ExecCondition=: 1 to 254 skips the unit without failing it, 255 fails it.
        Path units = Files.createDirectories(tmp.resolve("units"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path flag = out.resolve("flag");
        Files.writeString(units.resolve("gated.service"), "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
                + "ExecCondition=/bin/sh -c 'echo condition >> " + out + "/order'\n"
                + "ExecCondition=/usr/bin/test -e " + flag + "\n"
                + "ExecStartPre=/bin/sh -c 'echo pre >> " + out + "/order'\n"
                + "ExecStart=/bin/sh -c 'echo main >> " + out + "/order'\n");
        Files.writeString(units.resolve("broken.service"), "[Service]\nExecCondition=/bin/sh -c 'exit 255'\n"
                + "ExecStart=/bin/sleep 60\n");
        run(List.of(units));
        Run skipped = ordo("start", "gated.service");
        assertEquals(0, skipped.status(), "a skip is no failure: " + skipped.err());
        assertEquals("gated.service stop/waiting, skipped: ExecCondition= exited with status 1\n",
                ordo("status", "gated.service").out());
        assertEquals("condition\n", Files.readString(out.resolve("order")), "nothing after the condition ran");
        Files.writeString(flag, "");
        assertEquals(0, ordo("start", "gated.service").status());
        assertEquals("condition\ncondition\npre\nmain\n", Files.readString(out.resolve("order")));
        Run failed = ordo("start", "broken.service");
        assertEquals(1, failed.status());
        assertEquals("ordo: Job failed to start: broken.service: ExecCondition= exited with status 255\n", failed.err());
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }

    @Test
    void toldTheEarlyBootRuns() throws Exception {
        run(List.of(tree()), true);
        awaitLine("[  OK  ] Started app.service");
        assertTrue(Files.exists(tmp.resolve("out/early")), () -> output());
        supervisor.shutdown();
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }
}
