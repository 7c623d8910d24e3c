package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor in this JVM with real processes, the real control socket and the real client commands.
 * Waits are on what can be observed (output lines, answers), with generous limits; no duration is asserted.
 */
class SupervisorTest extends SupervisorHarness {

    int index(String prefix) {
        List<String> l = lines();
        for (int i = 0; i < l.size(); i++) if (l.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no line `" + prefix + "` in\n" + output());
    }

    /** The index of the first effect matching, or -1. */
    static int first(List<Effect> list, java.util.function.Predicate<Effect> p) {
        for (int i = 0; i < list.size(); i++) if (p.test(list.get(i))) return i;
        return -1;
    }

    static int waiting(List<Effect> list, String job) {
        return first(list, e -> e instanceof Effect.StateChanged s && s.job().equals(job) && s.state() == JobState.WAITING
                && s.goal() == dev.ordo.planner.engine.JobGoal.STOP);
    }

    static int killed(List<Effect> list, int pid) {
        return first(list, e -> e instanceof Effect.SendSignal k && k.pid() == pid);
    }

    static int pid(String statusLine) {
        return Integer.parseInt(statusLine.substring(statusLine.lastIndexOf(' ') + 1).trim());
    }

    @Test
    void bootsInThePlansOrderAndShutsDownInItsShutdownOrder() throws Exception {
        List<Path> paths = List.of(TOP.resolve("samples/yaml/dbus-hal.yaml"), TOP.resolve("samples/yaml/nfs.yaml"));
        run(paths);
        for (String job : List.of("dbus", "hal", "network-manager", "nfs-server", "portmap")) awaitLine("[  OK  ] Started " + job);

        Run list = ordo("list");
        assertEquals(0, list.status(), list.err());
        Map<String, Integer> pids = new HashMap<>();
        for (String l : list.out().split("\n")) {
            assertTrue(l.matches("[a-z-]+ start/running, process \\d+"), l);
            pids.put(l.substring(0, l.indexOf(' ')), pid(l));
        }
        assertEquals(5, pids.size(), list.out());
        for (int pid : pids.values()) assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        // The plan orders these pairs, and the supervisor started them so.
        Plan plan = Planner.plan(ConfigLoader.load(paths, null), Planner.Request.defaults());
        for (String[] pair : new String[][] {{"dbus", "hal"}, {"hal", "network-manager"}, {"portmap", "nfs-server"}}) {
            assertTrue(plan.boot().step(pair[0]).start() < plan.boot().step(pair[1]).start(), "plan: " + pair[0] + " before " + pair[1]);
            assertTrue(index("[  OK  ] Started " + pair[0]) < index("[  OK  ] Started " + pair[1]), output());
        }
        // The state file is written shortly after a change (debounced): wait for it, do not race it.
        Path stateJson = state().resolve("state.json");
        long until = System.currentTimeMillis() + WAIT_MILLIS;
        while (!(Files.exists(stateJson) && Files.readString(stateJson).contains("\"job\":\"hal\""))
                && System.currentTimeMillis() < until) {
            Thread.sleep(20);
        }
        assertTrue(Files.readString(stateJson).contains("\"job\":\"hal\""));

        PlanCheck.bootAgrees(plan, effects());
        int shutdownFrom = effects().size();
        Run shutdown = ordo("shutdown");
        assertEquals(new Run(0, "", ""), shutdown);
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));

        List<Effect> fx = effects();
        PlanCheck.shutdownAgrees(plan, fx, shutdownFrom);
        // hal is down before dbus gets its signal; portmap is signalled only after nfs-server is down.
        assertTrue(waiting(fx, "hal") >= 0 && waiting(fx, "hal") < killed(fx, pids.get("dbus")), fx.toString());
        assertTrue(waiting(fx, "network-manager") < killed(fx, pids.get("hal")), fx.toString());
        assertTrue(waiting(fx, "nfs-server") >= 0 && waiting(fx, "nfs-server") < killed(fx, pids.get("portmap")), fx.toString());
        for (int pid : pids.values()) assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid);
        assertFalse(Files.exists(supervisor.files().socket()), "socket removed");
        assertTrue(Files.readString(state().resolve("state.json")).contains("\"instances\":[]"));
        assertEquals(2, ordo("list").status(), "no supervisor any more");
        assertTrue(Files.readString(state().resolve("history.jsonl")).contains("\"job\":\"portmap\""));
    }

    @Test
    void stoppingHalStopsNetworkManagerBeforeHalIsSignalled() throws Exception {
        // network-manager requires hal, is after it and stops on stopping hal: the requires reaches it
        // first, and hal must still wait for it (the reversed after order) before its own signal.
        run(List.of(TOP.resolve("samples/yaml/dbus-hal.yaml")));
        for (String job : List.of("dbus", "hal", "network-manager")) awaitLine("[  OK  ] Started " + job);
        int hal = pid(ordo("status", "hal").out());
        int nm = pid(ordo("status", "network-manager").out());
        int from = effects().size();

        Run stop = ordo("stop", "hal");
        assertEquals(new Run(0, "hal stop/waiting\n", ""), stop);
        List<Effect> fx = effects().subList(from, effects().size());
        assertTrue(killed(fx, nm) >= 0, fx.toString());
        assertTrue(waiting(fx, "network-manager") >= 0 && waiting(fx, "network-manager") < killed(fx, hal), fx.toString());
        awaitLine("[  OK  ] Stopped hal");
        assertTrue(index("[  OK  ] Stopped network-manager") < index("[  OK  ] Stopped hal"), output());
        assertTrue(ordo("status", "dbus").out().startsWith("dbus start/running"), "dbus is not after hal: left alone");
        assertFalse(ProcessHandle.of(hal).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(ProcessHandle.of(nm).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aRespawningJobStopsAtItsLimitAndStatusSaysSo() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  flappy:
                    exec: sh -c 'exit 1'
                    start_on: startup
                    respawn: {limit: 3, interval: 10s}
                """);
        run(List.of(yaml));
        awaitLine("[FAILED] flappy failed (respawning too fast)");
        long spawns = effects().stream().filter(e -> e instanceof Effect.Spawn s && s.job().equals("flappy")).count();
        assertEquals(4, spawns, "the first start and three respawns");
        Run status = ordo("status", "flappy");
        // Over the real socket: status and list say why it stopped, and how the last attempt ended.
        String why = "flappy stop/waiting, failed: respawn limit (3 in 10s), main process exited with status 1\n";
        assertEquals(new Run(3, why, ""), status); // LSB: not running
        assertEquals(new Run(0, why, ""), ordo("list"));
        assertTrue(output().contains("ordo: flappy respawning too fast, stopped"), output());
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), null), effects());
    }

    @Test
    void theBackupRunsWhenTheDatabaseReallyDiesOfSegv() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  hersql:
                    exec: sh -c 'sleep 0.2; kill -SEGV $$'
                    start_on: startup
                  hersql-backup:
                    task: true
                    start_on: stopping hersql RESULT=failed EXIT_SIGNAL=SEGV
                    exec: sh -c 'echo backing up'
                """);
        run(List.of(yaml));
        awaitLine("[FAILED] hersql failed (main process killed by SIGSEGV)");
        awaitLine("[  OK  ] Finished hersql-backup");
        assertEquals(new Run(0, "backing up\n", ""), ordo("log", "hersql-backup"));
        assertEquals(new Run(3, "hersql-backup stop/waiting\n", ""), ordo("status", "hersql-backup")); // LSB: not running
        // `ordo plan --fail hersql=SEGV` starts the backup; the run did the same, in the same order.
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), PlanCheck.goal(List.of("startup"), List.of("hersql=SEGV"))), effects());
    }

    @Test
    void aBackupThatTheWrongDeathDoesNotStart() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  hersql:
                    exec: sh -c 'exit 3'
                    start_on: startup
                  hersql-backup:
                    task: true
                    start_on: stopping hersql RESULT=failed EXIT_SIGNAL=SEGV
                    exec: sh -c 'echo backing up'
                """);
        run(List.of(yaml));
        awaitLine("[FAILED] hersql failed (main process exited with status 3)");
        assertEquals(new Run(0, "", ""), ordo("shutdown"));
        assertEquals(0, supervisor.awaitExit(WAIT_MILLIS));
        assertTrue(effects().stream().noneMatch(e -> e instanceof Effect.Spawn s && s.job().equals("hersql-backup")));
        // `ordo plan --fail hersql=3` starts nothing either.
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), PlanCheck.goal(List.of("startup"), List.of("hersql=3"))), effects());
    }

    @Test
    void reloadKeepsTheRunningConfigurationAndSaysWhy() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  dbus:
                    exec: sleep infinity
                    start_on: startup
                """);
        run(List.of(yaml));
        awaitLine("[  OK  ] Started dbus");
        assertEquals(new Run(0, "no change\n", ""), ordo("reload"));

        Files.writeString(yaml, """
                jobs:
                  dbus:
                    exec: sleep infinity
                    strat_on: startup
                """);
        Run bad = ordo("reload");
        // The error itself comes back to who asked, as `ordo check` shows it, not only to the supervisor's log.
        assertEquals(1, bad.status());
        assertEquals("ordo: the configuration has 1 error; the running one is kept\n", bad.err());
        assertTrue(bad.out().startsWith(yaml + ":4:5: error[ORD003]: unknown key `strat_on` in a job\n"), bad.out());
        assertTrue(bad.out().contains("hint: did you mean `start_on`?"), bad.out());
        assertTrue(output().contains("ordo: reload: "), output());
        assertTrue(ordo("status", "dbus").out().startsWith("dbus start/running"));
    }

    @Test
    void aSecondSupervisorOnTheSameDirectoryIsRefused() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, "jobs:\n  dbus:\n    exec: sleep infinity\n    start_on: startup\n");
        run(List.of(yaml));
        Run second = ordo("run", yaml.toString());
        assertEquals(2, second.status());
        assertEquals("ordo: " + state() + " is in use by ordo run (pid " + ProcessHandle.current().pid() + ")\n", second.err());
    }

    @Test
    void aConfigurationWithErrorsIsNotRun() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, "jobs:\n  dbus:\n    exec: sleep infinity\n    strat_on: startup\n");
        Run r = ordo("run", yaml.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().contains("strat_on"), r.out());
        assertEquals("ordo: not running a configuration with errors\n", r.err());
        assertFalse(Files.exists(state().resolve("lock")), "nothing was set up");
    }
}
