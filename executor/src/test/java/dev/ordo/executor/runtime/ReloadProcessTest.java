package dev.ordo.executor.runtime;

import dev.ordo.executor.ProcessLines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ordo reload} and SIGHUP applying an edited configuration to real processes: a new job can be
 * started, a removed one gets TERM, runs its post-stop and is gone, a changed running one goes on
 * with its old command until {@code ordo restart}, then runs the new one.
 */
class ReloadProcessTest extends SupervisorHarness {

    static int pid(Run status) {
        String first = status.out().split("\n")[0];
        return Integer.parseInt(first.substring(first.lastIndexOf(' ') + 1).trim());
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Waits until {@code pid} runs {@code command}: a process just spawned may still be in exec, when the kernel shows
     * an empty command line for a moment. Another command (the old definition) never turns into it.
     */
    static void awaitCommand(long pid, String command) throws InterruptedException {
        eventually(() -> "process " + pid + " runs `" + command + "`; it runs `" + cmdline(pid) + "`",
                () -> cmdline(pid).equals(command));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    @Test
    void reloadAddsRemovesAndChangesJobsOfARunningSupervisor() throws Exception {
        Path mark = tmp.resolve("gone-post-stop");
        Path yaml = yaml("""
                jobs:
                  keep:
                    exec: sleep 1001
                    start_on: startup
                  gone:
                    exec: sleep 1002
                    start_on: startup
                    post_stop: {script: "touch %s"}
                  svc:
                    exec: sleep 1003
                    start_on: startup
                """.formatted(mark));
        run(List.of(yaml));
        for (String job : List.of("keep", "gone", "svc")) awaitLine("[  OK  ] Started " + job);
        int keep = pid(ordo("status", "keep"));
        int gone = pid(ordo("status", "gone"));
        int svc = pid(ordo("status", "svc"));

        yaml("""
                jobs:
                  keep:
                    exec: sleep 1001
                    start_on: startup
                  svc:
                    exec: sleep 1004
                    start_on: startup
                  fresh:
                    exec: sleep 1005
                    start_on: never-emitted
                """);
        Run reload = ordo("reload");
        assertEquals(new Run(0, """
                added fresh
                removed gone (stopping)
                changed svc (running; new definition from its next start)
                new jobs start on their next start_on event; to start one now: ordo start JOB
                """, ""), reload);
        awaitLine("ordo: reload: removed gone (stopping)");

        // The removed job: TERM to its group, its post-stop, then it is gone and unknown.
        eventually(() -> "gone's process ended", () -> !alive(gone));
        assertTrue(effects().contains(new Effect.SendSignal(gone, true, Signal.TERM)), effects().toString());
        eventually(() -> "gone's post-stop ran", () -> Files.exists(mark));
        eventually(() -> "gone is forgotten", () -> ordo("status", "gone").status() == 4); // LSB: unknown
        assertEquals(new Run(1, "", "ordo: Unknown job: gone\n"), ordo("start", "gone"));

        // Unchanged and changed-but-running jobs: the very same processes.
        assertEquals(keep, pid(ordo("status", "keep")));
        assertEquals(svc, pid(ordo("status", "svc")));
        assertEquals("sleep 1003", cmdline(svc), "the old command until restarted");

        // The new job is known and can be started.
        Run start = ordo("start", "fresh");
        assertEquals(0, start.status(), start.err());
        awaitCommand(pid(ordo("status", "fresh")), "sleep 1005");

        // A restart takes the new definition.
        Run restart = ordo("restart", "svc");
        assertEquals(0, restart.status(), restart.err());
        int svc2 = pid(ordo("status", "svc"));
        assertTrue(svc2 != svc && !alive(svc), "a new process");
        awaitCommand(svc2, "sleep 1004");

        assertEquals(new Run(0, "", ""), ordo("shutdown"));
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
    }

    @Test
    void reloadOfAJobSignalsItsMainProcessWithItsReloadSignal() throws Exception {
        Path yaml = yaml("""
                jobs:
                  web:
                    exec: sh -c 'trap "echo got HUP" HUP; while :; do sleep 0.05; done'
                    start_on: startup
                  worker:
                    exec: sh -c 'trap "echo got USR1" USR1; trap "echo got HUP" HUP; while :; do sleep 0.05; done'
                    start_on: startup
                    kill: {reload: USR1}
                """);
        run(List.of(yaml));
        awaitLine("[  OK  ] Started web");
        awaitLine("[  OK  ] Started worker");
        int web = pid(ordo("status", "web"));
        Run r = ordo("reload", "web");
        assertEquals(new Run(0, "web start/running, process " + web + "\n", ""), r);
        eventually(() -> "web's log has the trap's line: " + ordo("log", "web"), () -> ordo("log", "web").out().equals("got HUP\n"));
        assertEquals(0, ordo("reload", "worker").status());
        eventually(() -> "worker's log has the trap's line: " + ordo("log", "worker"),
                () -> ordo("log", "worker").out().equals("got USR1\n"));
        assertEquals(web, pid(ordo("status", "web")), "the same process: a signal, not a restart");
        assertTrue(effects().contains(new Effect.SendSignal(web, false, Signal.HUP)), "to the main process, not its group");

        assertEquals(new Run(1, "", "ordo: Unknown job: nope\n"), ordo("reload", "nope"));
        assertEquals(new Run(2, "", "ordo: reload needs a JOB before its K=V arguments\n"), ordo("reload", "K=V"));
    }

    @Test
    void aReloadWithNothingChangedSaysSoAndTouchesNothing() throws Exception {
        run(List.of(yaml("jobs:\n  a:\n    exec: sleep 1011\n    start_on: startup\n")));
        awaitLine("[  OK  ] Started a");
        int a = pid(ordo("status", "a"));
        // A comment moves the job down a line: where it is written does not make it a change.
        yaml("# edited\njobs:\n  a:\n    exec: sleep 1011\n    start_on: startup\n");
        assertEquals(new Run(0, "no change\n", ""), ordo("reload"));
        assertEquals(a, pid(ordo("status", "a")));
    }

    @Test
    void aReloadDuringTheShutdownIsRefused() throws Exception {
        Path trapped = tmp.resolve("trapped");
        Path yaml = yaml("""
                jobs:
                  stubborn:
                    exec: sh -c "trap '' TERM; touch %s; while :; do sleep 1; done"
                    start_on: startup
                    kill: {timeout: 3s}
                """.formatted(trapped));
        run(List.of(yaml));
        eventually(() -> "the job ignores TERM", () -> Files.exists(trapped));
        Thread shutdown = new Thread(() -> ordo("shutdown"));
        shutdown.start();
        // The job holds the shutdown up for its kill timeout: the reload comes while it goes on.
        awaitLine("ordo: shutting down");
        yaml("jobs:\n  other:\n    exec: sleep 1031\n");
        assertEquals(new Run(1, "", "ordo: shutting down: the new configuration is not applied\n"), ordo("reload"));
        shutdown.join(WAIT_MILLIS);
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
        assertTrue(effects().stream().noneMatch(e -> e instanceof Effect.Spawn s && s.job().equals("other")));
    }

    @Test
    void sighupAppliesTheNewConfiguration() throws Exception {
        Path yaml = yaml("jobs:\n  a:\n    exec: sleep 1021\n    start_on: startup\n");
        Process run = ForkedOrdo.start(ForkedOrdo.command("run", "--state-dir", state().toString(), yaml.toString()));
        ProcessLines output = ProcessLines.of(run);
        try {
            output.awaitLine("[  OK  ] Started a");
            yaml("jobs:\n  a:\n    exec: sleep 1021\n    start_on: startup\n  b:\n    exec: sleep 1022\n");
            ForkedOrdo.signal(run.pid(), "HUP");
            output.awaitLine("ordo: reload: added b");
            Run start = ordo("start", "b");
            assertEquals(0, start.status(), start.err());
            awaitCommand(pid(ordo("status", "b")), "sleep 1022");
            ForkedOrdo.signal(run.pid(), "TERM");
            assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), output.text());
            assertEquals(0, run.exitValue(), output.text());
        } finally {
            if (run.isAlive()) {
                run.destroyForcibly();
                run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            }
        }
    }
}
