package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Planner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ordo run} (the supervisor in this JVM) with real processes that do what real daemons do: fork
 * away, stop themselves, notify, ignore SIGTERM, come in instances. Waits are on observable things
 * (output lines, answers, /proc) with generous limits; no duration is asserted.
 */
class RealProcessesTest extends SupervisorHarness {

    static int first(List<Effect> list, Predicate<Effect> p) {
        for (int i = 0; i < list.size(); i++) if (p.test(list.get(i))) return i;
        return -1;
    }

    static int reached(List<Effect> list, String job, JobState state) {
        return first(list, e -> e instanceof Effect.StateChanged s && s.job().equals(job) && s.state() == state);
    }

    static int spawned(List<Effect> list, String job) {
        return first(list, e -> e instanceof Effect.Spawn s && s.job().equals(job));
    }

    static int pid(String statusLine) {
        return Integer.parseInt(statusLine.substring(statusLine.lastIndexOf(' ') + 1).trim());
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The process's state letter from /proc (R, S, T for stopped, Z...), or '-' when it is gone. */
    static char procState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            return '-';
        }
    }

    static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** The live (not zombie) processes of process group {@code pgid}. */
    static List<Long> group(long pgid) throws IOException {
        List<Long> members = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                String stat;
                try {
                    stat = Files.readString(p.resolve("stat"));
                } catch (IOException gone) {
                    continue;
                }
                String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                // after[0] is the state, after[1] ppid, after[2] pgrp
                if (!after[0].equals("Z") && Long.parseLong(after[2]) == pgid) members.add(Long.parseLong(name));
            }
        }
        return members;
    }

    /** The plan for the same configuration orders {@code before} ahead of {@code after}. */
    static void planOrders(List<Path> paths, String before, String after) {
        Plan plan = Planner.plan(ConfigLoader.load(paths, null), Planner.Request.defaults());
        assertTrue(plan.boot().step(before).start() < plan.boot().step(after).start(), "plan: " + before + " before " + after);
    }

    @Test
    void gettyInstancesComeAndGoWithTheirTerminal() throws Exception {
        List<Path> paths = List.of(TOP.resolve("samples/yaml/getty.yaml"));
        run(paths);
        assertEquals(0, ordo("emit", "tty-added", "TTY=tty1").status());
        assertEquals(0, ordo("emit", "tty-added", "TTY=tty2").status());
        awaitLine("[  OK  ] Started getty (tty1)");
        awaitLine("[  OK  ] Started getty (tty2)");

        Run list = ordo("list");
        assertEquals(0, list.status(), list.err());
        List<String> l = List.of(list.out().split("\n"));
        assertEquals(2, l.size(), list.out());
        assertTrue(l.get(0).matches("getty \\(tty1\\) start/running, process \\d+"), list.out());
        assertTrue(l.get(1).matches("getty \\(tty2\\) start/running, process \\d+"), list.out());
        int tty1 = pid(l.get(0));
        int tty2 = pid(l.get(1));
        // `ordo plan --emit tty-added TTY=tty1 --emit tty-added TTY=tty2` has the same two instances.
        PlanCheck.bootAgrees(PlanCheck.plan(paths, PlanCheck.goal(List.of("tty-added TTY=tty1", "tty-added TTY=tty2"), List.of())),
                effects());
        assertNotEquals(tty1, tty2);
        assertTrue(alive(tty1) && alive(tty2));

        assertEquals(0, ordo("emit", "tty-removed", "TTY=tty1").status());
        eventually(() -> "tty1's getty is gone", () -> !alive(tty1));
        eventually(() -> "list shows only tty2: " + ordo("list").out(),
                () -> ordo("list").out().equals("getty (tty2) start/running, process " + tty2 + "\n"));
        assertTrue(alive(tty2), "tty2's getty is untouched");
        // Not respawned: stop_on matched, so its goal is stop.
        assertTrue(effects().stream().filter(e -> e instanceof Effect.Spawn s && s.job().equals("getty")).count() == 2,
                effects().toString());
    }

    /** A classic daemon: fork, the parent exits; setsid; fork, the middle exits; the grandchild writes its pid file. */
    static final String PY_DAEMON = """
            import os, sys, time
            if os.fork(): os._exit(0)
            os.setsid()
            if os.fork(): os._exit(0)
            open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))
            os.rename(sys.argv[1] + '.tmp', sys.argv[1])
            time.sleep(300)
            """;

    /**
     * The interpreter itself, not a wrapper found first on PATH (a pyenv shim is a bash script that forks
     * helpers before it execs python): forks are counted from the first one, as Upstart counts them.
     */
    static final String PYTHON = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";

    @Test
    void aClassicDoubleForkingDaemonIsTrackedByItsRealPidAndStopped() throws Exception {
        Path pidFile = tmp.resolve("daemond.pid");
        Path script = tmp.resolve("daemond.py");
        Files.writeString(script, PY_DAEMON);
        Path yaml = yaml("""
                jobs:
                  daemond:
                    exec: %s %s %s
                    start_on: startup
                    ready: daemon
                  client:
                    exec: sleep infinity
                    start_on: startup
                    after: [daemond]
                """.formatted(PYTHON, script, pidFile));
        daemonIsTrackedAndStopped(yaml, "python3", pidFile);
    }

    /** sh reaps the subshell itself, so only one fork is left to see after sh exits: counted by ptrace. */
    @Test
    void aShellDoubleForkedDaemonIsTrackedByItsRealPidAndStopped() throws Exception {
        Path yaml = yaml("""
                jobs:
                  daemond:
                    exec: sh -c '(setsid sleep 300 &) ; exit 0'
                    start_on: startup
                    ready: daemon
                  client:
                    exec: sleep infinity
                    start_on: startup
                    after: [daemond]
                """);
        daemonIsTrackedAndStopped(yaml, "sleep", null);
    }

    void daemonIsTrackedAndStopped(Path yaml, String daemonComm, Path pidFile) throws Exception {
        run(List.of(yaml));
        eventually(() -> "daemond is started; status: " + ordo("status", "daemond").out() + " forks seen: "
                + effects().stream().filter(e -> !(e instanceof Effect.LogLine)).toList() + "\n" + output(),
                () -> lines().stream().anyMatch(l -> l.startsWith("[  OK  ] Started daemond")));
        awaitLine("[  OK  ] Started client");
        Run status = ordo("status", "daemond");
        assertEquals(0, status.status(), status.err());
        assertTrue(status.out().matches("daemond start/running, process \\d+\n"), status.out());
        int daemon = pid(status.out());
        assertEquals(daemonComm, comm(daemon), "the pid is the daemon's, not the shell's");
        assertTrue(alive(daemon));
        if (pidFile != null) {
            eventually(() -> "the daemon wrote its pid file", () -> Files.exists(pidFile));
            assertEquals(Files.readString(pidFile).trim(), Integer.toString(daemon), "status shows the pid the daemon wrote");
        }
        // Its parents exit; counted at the fork, it may still have its middle parent for a moment.
        eventually(() -> "the daemon is adopted by the supervisor (subreaper)",
                () -> ProcessHandle.of(daemon).flatMap(h -> h.parent()).map(h -> h.pid() == ProcessHandle.current().pid()).orElse(false));

        List<Effect> fx = effects();
        assertTrue(reached(fx, "daemond", JobState.RUNNING) < spawned(fx, "client"), fx.toString());
        planOrders(List.of(yaml), "daemond", "client");
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), null), fx);

        assertEquals(0, ordo("stop", "daemond").status());
        eventually(() -> "the daemon " + daemon + " is gone", () -> !alive(daemon));
        eventually(() -> "daemond is stopped", () -> ordo("status", "daemond").out().equals("daemond stop/waiting\n"));
        assertTrue(alive(pid(ordo("status", "client").out())), "client is only ordered after it, it keeps running");
    }

    @Test
    void aForkingServiceIsUpWhenItsLauncherExitsNotAtTheFork() throws Exception {
        // systemd's Type=forking: the launcher forks the service, finishes setting up, then exits.
        Path marker = tmp.resolve("set-up");
        Path yaml = yaml("""
                jobs:
                  forker:
                    exec: sh -c 'sleep 300 & sleep 0.3; touch %s; exit 0'
                    start_on: startup
                    ready: forking
                  after-forker:
                    exec: sh -c 'if [ -e %s ]; then echo saw-it; else echo too-early; fi; exec sleep 300'
                    start_on: startup
                    after: [forker]
                    console: output
                """.formatted(marker, marker));
        run(List.of(yaml));
        awaitLine("[  OK  ] Started forker");
        awaitLine("[  OK  ] Started after-forker");
        eventually(() -> "after-forker printed:\n" + output(), () -> output().contains("saw-it") || output().contains("too-early"));
        assertTrue(output().contains("saw-it"), "the dependant started after the launcher exited:\n" + output());
        Run status = ordo("status", "forker");
        assertTrue(status.out().matches("forker start/running, process \\d+\n"), status.out());
        int service = pid(status.out());
        assertEquals("sleep", comm(service), "the pid is the service the launcher left, not the launcher");
        List<Effect> fx = effects();
        assertTrue(reached(fx, "forker", JobState.RUNNING) < spawned(fx, "after-forker"), fx.toString());
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), null), fx);

        assertEquals(0, ordo("stop", "forker").status());
        eventually(() -> "the service " + service + " is gone", () -> !alive(service));
    }

    @Test
    void aJobThatStopsItselfIsUpOnlyThenAndGoesOnAfterSigcont() throws Exception {
        Path marker = tmp.resolve("raised");
        Path yaml = yaml("""
                jobs:
                  raiser:
                    exec: sh -c 'sleep 0.3; touch %s; kill -STOP $$; exec sleep 300'
                    start_on: startup
                    ready: stop
                  after-raiser:
                    exec: sh -c 'if [ -e %s ]; then echo saw-it; else echo too-early; fi; exec sleep 300'
                    start_on: startup
                    after: [raiser]
                    console: output
                """.formatted(marker, marker));
        run(List.of(yaml));
        awaitLine("[  OK  ] Started raiser");
        awaitLine("[  OK  ] Started after-raiser");
        int raiser = pid(ordo("status", "raiser").out());
        // After SIGCONT the shell goes on to exec sleep: it is no longer stopped and it is sleep now.
        eventually(() -> "raiser runs sleep: " + comm(raiser) + " " + procState(raiser), () -> comm(raiser).equals("sleep"));
        assertNotEquals('T', procState(raiser));
        eventually(() -> "after-raiser printed:\n" + output(), () -> output().contains("saw-it") || output().contains("too-early"));
        assertTrue(output().contains("saw-it"), "the dependant started after the SIGSTOP:\n" + output());

        List<Effect> fx = effects();
        int cont = first(fx, e -> e instanceof Effect.SendSignal k && k.pid() == raiser && k.signal().equals(Signal.CONT));
        assertTrue(cont >= 0, "sent SIGCONT: " + fx);
        assertTrue(reached(fx, "raiser", JobState.RUNNING) < spawned(fx, "after-raiser"), fx.toString());
        planOrders(List.of(yaml), "raiser", "after-raiser");
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), null), fx);
        assertTrue(ordo("status", "raiser").out().startsWith("raiser start/running, process " + raiser));
    }

    @Test
    void aDependantOfANotifyingJobStartsAfterReady() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")) || Files.isExecutable(Path.of("/bin/systemd-notify")),
                "systemd-notify is not installed");
        Path marker = tmp.resolve("notified");
        Path yaml = yaml("""
                jobs:
                  notifier:
                    exec: sh -c 'sleep 0.3; touch %s; systemd-notify --ready; exec sleep 300'
                    start_on: startup
                    ready: notify
                  after-notifier:
                    exec: sh -c 'if [ -e %s ]; then echo saw-it; else echo too-early; fi; exec sleep 300'
                    start_on: startup
                    after: [notifier]
                    console: output
                """.formatted(marker, marker));
        run(List.of(yaml));
        awaitLine("[  OK  ] Started notifier");
        awaitLine("[  OK  ] Started after-notifier");
        eventually(() -> "after-notifier printed:\n" + output(), () -> output().contains("saw-it") || output().contains("too-early"));
        assertTrue(output().contains("saw-it"), "the dependant started after READY=1:\n" + output());
        List<Effect> fx = effects();
        assertTrue(reached(fx, "notifier", JobState.RUNNING) < spawned(fx, "after-notifier"), fx.toString());
        planOrders(List.of(yaml), "notifier", "after-notifier");
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), null), fx);
    }

    @Test
    void aNotifyJobThatNeverSaysReadyFailsAfterItsTimeout() throws Exception {
        Path yaml = yaml("""
                jobs:
                  silent:
                    exec: sleep 300
                    start_on: startup
                    ready: {notify: true, timeout: 1s}
                """);
        run(List.of(yaml));
        eventually(() -> "silent spawned", () -> ordo("status", "silent").out().startsWith("silent start/spawned, process "));
        int pid = pid(ordo("status", "silent").out());
        eventually(() -> "silent fails: " + ordo("status", "silent"), () -> ordo("status", "silent").out()
                .equals("silent stop/waiting, failed: no READY=1 within 1s\n"));
        assertTrue(output().contains("silent sent no READY=1 within 1s, stopping it"), output());
        eventually(() -> "the process is gone", () -> !alive(pid));
        assertTrue(effects().stream().anyMatch(e -> e instanceof Effect.EventEmitted x && x.name().equals("stopped")
                && x.env().contains("RESULT=failed") && x.env().contains("PROCESS=ready")), effects().toString());
    }

    @Test
    void aJobIgnoringTermIsKilledAfterItsTimeout() throws Exception {
        Path yaml = yaml("""
                jobs:
                  stubborn:
                    exec: sh -c "trap '' TERM; while :; do sleep 1; done"
                    start_on: startup
                    kill: {timeout: 1s}
                """);
        run(List.of(yaml));
        awaitLine("[  OK  ] Started stubborn");
        int pid = pid(ordo("status", "stubborn").out());
        eventually(() -> "the loop has a sleep in its group", () -> {
            try {
                return group(pid).size() >= 2;
            } catch (IOException e) {
                return false;
            }
        });

        Run stop = ordo("stop", "stubborn");
        assertEquals(0, stop.status(), stop.err());
        eventually(() -> "the process group " + pid + " is gone", () -> {
            try {
                return group(pid).isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        eventually(() -> "stubborn is stopped", () -> ordo("status", "stubborn").out().equals("stubborn stop/waiting\n"));
        List<Effect> fx = effects();
        int term = first(fx, e -> e instanceof Effect.SendSignal k && k.pid() == pid && k.signal().equals(Signal.TERM));
        int kill = first(fx, e -> e instanceof Effect.SendSignal k && k.pid() == pid && k.signal().equals(Signal.KILL));
        assertTrue(term >= 0 && kill > term, "TERM then KILL: " + fx);
        PlanCheck.bootAgrees(PlanCheck.plan(List.of(yaml), null), fx);
        assertFalse(alive(pid));
    }
}
