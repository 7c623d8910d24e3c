package dev.ordo.executor.runtime;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 5: {@code ordo run} killed with SIGKILL and started again on the same state directory finds the
 * main processes the dead one left (pid and start time from {@code state.json}) and adopts or stops them.
 */
class AdoptProcessTest extends ForkedRun {

    static final List<String> JOBS = List.of("dbus", "hal", "network-manager");

    final List<Process> others = new ArrayList<>();
    /** In every job's argv, so that copies can be counted in /proc; unique per test. */
    String marker;

    @AfterEach
    void killStrays() throws Exception {
        // JUnit runs this before ForkedRun's own @AfterEach: the supervisor goes first, or it could
        // start the jobs again.
        stopRun();
        for (long pid : markerPids()) signal(pid, "KILL");
        for (Process p : others) p.destroyForcibly();
    }

    Path config() throws IOException {
        marker = "ordo-adopt-" + tmp.getFileName();
        Path yaml = tmp.resolve("ordo.yaml");
        // sh stays the main process (no exec of its last command) and ends on TERM.
        String exec = "exec: sh -c 'trap \"exit 0\" TERM; while :; do sleep 1; done' " + marker;
        Files.writeString(yaml, "jobs:\n"
                + "  dbus:\n    " + exec + "-dbus\n    start_on: startup\n"
                + "  hal:\n    " + exec + "-hal\n    start_on: started dbus\n    stop_on: stopping dbus\n"
                + "  network-manager:\n    " + exec + "-nm\n    start_on: started hal\n    stop_on: stopping hal\n"
                + "    requires: [hal]\n    after: [hal]\n");
        return yaml;
    }

    void start(Path yaml, String... options) throws Exception {
        List<String> args = new ArrayList<>(List.of(options));
        args.add(yaml.toString());
        start(args);
    }

    String ordo(String... args) {
        StringWriter out = new StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--state-dir", state().toString()));
        Main.execute(all.toArray(String[]::new), new PrintWriter(out), new PrintWriter(new StringWriter()));
        return out.toString();
    }

    Set<Long> listedPids() {
        Set<Long> pids = new TreeSet<>();
        for (String l : ordo("list").split("\n")) {
            if (l.contains(", process ")) pids.add(Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)));
        }
        return pids;
    }

    /** The live (not zombie) processes whose argv holds the marker: the copies of the jobs. */
    Set<Long> markerPids() throws IOException {
        Set<Long> pids = new TreeSet<>();
        if (marker == null) return pids;
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) continue;
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker) && !gone(Long.parseLong(name))) pids.add(Long.parseLong(name));
                } catch (IOException e) {
                    // Ended meanwhile.
                }
            }
        }
        return pids;
    }

    static boolean gone(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    static void signal(long pid, String name) throws Exception {
        ForkedOrdo.signal(pid, name);
    }

    /** Starts the jobs, waits until state.json names all three main pids, then kills ordo run with SIGKILL. */
    Set<Long> startAndKill(Path yaml) throws Exception {
        return startAndKill(yaml, JOBS);
    }

    /** Starts {@code jobs}, waits until state.json names each one's main process with its proof, then SIGKILL. */
    Set<Long> startAndKill(Path yaml, List<String> jobs) throws Exception {
        start(yaml);
        for (String job : jobs) awaitLine("[  OK  ] Started " + job);
        Set<Long> pids = listedPids();
        assertEquals(jobs.size(), pids.size(), ordo("list"));
        StateFile file = new StateFile(state().resolve("state.json"));
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (true) {
            SupervisorState s = file.read();
            Set<Long> inFile = new TreeSet<>();
            if (s != null) {
                for (SupervisorState.InstanceState i : s.instances()) {
                    if (i.mainStarted() != null && i.proof() != null && i.proof().exe() != null) inFile.add((long) i.mainPid());
                }
            }
            if (inFile.equals(pids)) break;
            assertTrue(System.nanoTime() < deadline, "state.json names " + inFile + ", not " + pids);
            Thread.sleep(20);
        }
        signal(run.pid(), "KILL");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS));
        assertEquals(pids, markerPids(), "the jobs outlive the killed supervisor");
        return pids;
    }

    @Test
    void aRestartAdoptsTheJobsAndShutsThemDownInOrder() throws Exception {
        Path yaml = config();
        Set<Long> pids = startAndKill(yaml);

        start(yaml);
        for (String job : JOBS) awaitLine("ordo: adopted " + job + " (pid ");
        assertEquals(pids, listedPids(), ordo("list"));
        // The boot is over after a quiet second: had it started anything, the copy would be there by now.
        Thread.sleep(1500);
        assertEquals(pids, markerPids(), "no second copy");
        assertTrue(lines().stream().noneMatch(l -> l.contains("Started")), String.join("\n", lines()));
        assertTrue(ordo("status", "hal").contains("start/running, process "), ordo("status", "hal"));

        signal(run.pid(), "TERM");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run ended");
        assertEquals(0, run.exitValue(), String.join("\n", lines()));
        assertTrue(index("[  OK  ] Stopped network-manager") < index("[  OK  ] Stopped hal"), String.join("\n", lines()));
        assertTrue(index("[  OK  ] Stopped hal") < index("[  OK  ] Stopped dbus"), String.join("\n", lines()));
        assertEquals(Set.of(), markerPids(), "every adopted job stopped");
        // The end is clean: no timer armed after the last stop (it was: internal error, RejectedExecutionException).
        assertTrue(lines().stream().noneMatch(l -> l.contains("internal error")), String.join("\n", lines()));
        assertEquals("ordo: shutdown complete", lines().get(lines().size() - 1), String.join("\n", lines()));
    }

    @Test
    void adoptedInstancesKeepTheirEnvironmentForTheirStopOn() throws Exception {
        marker = "ordo-adopt-" + tmp.getFileName();
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, "jobs:\n  getty:\n    instance: $TTY\n"
                + "    exec: sh -c 'trap \"exit 0\" TERM; while :; do sleep 1; done' " + marker + "\n"
                + "    start_on: tty-added\n    stop_on: tty-removed TTY=$TTY\n");
        start(yaml);
        awaitLine("ordo: running as pid");
        for (String tty : List.of("tty1", "tty2")) assertTrue(ordo("emit", "tty-added", "TTY=" + tty).isEmpty());
        awaitLine("[  OK  ] Started getty (tty1)");
        awaitLine("[  OK  ] Started getty (tty2)");
        Set<Long> pids = listedPids();
        assertEquals(2, pids.size(), ordo("list"));
        StateFile file = new StateFile(state().resolve("state.json"));
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (file.read() == null || file.read().instances().stream().filter(i -> i.mainStarted() != null).count() < 2) {
            assertTrue(System.nanoTime() < deadline, "state.json names both");
            Thread.sleep(20);
        }
        signal(run.pid(), "KILL");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS));

        start(yaml);
        awaitLine("ordo: adopted getty (tty1) (pid ");
        awaitLine("ordo: adopted getty (tty2) (pid ");
        String tty2 = ordo("status", "getty", "TTY=tty2");
        assertTrue(tty2.startsWith("getty (tty2) start/running, process "), tty2);
        // stop_on tty-removed TTY=$TTY: $TTY comes from each adopted process's own environment.
        ordo("emit", "tty-removed", "TTY=tty1");
        awaitLine("[  OK  ] Stopped getty (tty1)");
        assertEquals(tty2, ordo("status", "getty", "TTY=tty2"), "tty2's getty is untouched");
        assertEquals(1, markerPids().size(), "one getty left");
    }

    @Test
    void withOrphansStopTheyAreStoppedAndStartedFresh() throws Exception {
        Path yaml = config();
        Set<Long> old = startAndKill(yaml);

        start(yaml, "--orphans", "stop");
        for (String job : JOBS) awaitLine("[  OK  ] Started " + job);
        for (String job : JOBS) assertTrue(index("ordo: stopping " + job + " (pid ") < index("[  OK  ] Started dbus"));
        Set<Long> fresh = listedPids();
        assertEquals(3, fresh.size());
        for (long pid : old) {
            assertTrue(gone(pid), "old pid " + pid + " stopped");
            assertFalse(fresh.contains(pid));
        }
        Thread.sleep(1500);
        assertEquals(fresh, markerPids(), "one copy of each, the fresh one");
    }

    /**
     * Issue 12: a ready: forking job was saved with pid_started null (the daemon its launcher left is not
     * the process spawned), and a restart started a second copy; a daemon too.
     */
    @Test
    void forkingAndDaemonJobsAreSavedWhoTheyAreAndAdopted() throws Exception {
        marker = "ordo-adopt-" + tmp.getFileName();
        Path svc = Files.writeString(tmp.resolve("svc.sh"), "trap 'exit 0' TERM\nwhile :; do sleep 1; done\n");
        Path yaml = Files.writeString(tmp.resolve("ordo.yaml"), "jobs:\n"
                + "  forking:\n    exec: sh -c 'sh " + svc + " " + marker + "-forking & sleep 0.2'\n    ready: forking\n"
                + "  daemon:\n    exec: sh -c '(setsid sh " + svc + " " + marker + "-daemon &) ; exit 0'\n    ready: daemon\n");
        Set<Long> pids = startAndKill(yaml, List.of("forking", "daemon"));

        start(yaml);
        awaitLine("ordo: adopted forking (pid ");
        awaitLine("ordo: adopted daemon (pid ");
        assertEquals(pids, listedPids(), ordo("list"));
        awaitLine("ordo: the boot is over");
        assertEquals(pids, markerPids(), "no second copy");
        assertTrue(lines().stream().noneMatch(l -> l.contains("Started")), String.join("\n", lines()));
        signal(run.pid(), "TERM");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run ended");
        assertEquals(Set.of(), markerPids(), "both stopped");
    }

    /**
     * A process anyone can start with ordo's mark in its environment: one of a uid ordo does not run the job
     * as is not taken for it, nor signalled, and the job starts as if it were not there.
     */
    @Test
    void aForgedMarkOnAnotherUsersProcessIsLeftAlone() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to start a process as another user");
        Path yaml = config();
        Files.createDirectories(state());
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env",
                "UPSTART_JOB=dbus", "UPSTART_INSTANCE=", "INVOCATION_ID=0123456789abcdef0123456789abcdef", "ORDO_PROCESS=main",
                "ORDO_SUPERVISOR=" + state().toRealPath(), "sleep", "600"));
        Process stranger = new ProcessBuilder(cmd).start();
        others.add(stranger);
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!new String(Files.readAllBytes(Path.of("/proc/" + stranger.pid() + "/cmdline"))).startsWith("sleep")) {
            assertTrue(System.nanoTime() < deadline, "the stranger runs sleep");
            Thread.sleep(10);
        }
        start(yaml);
        for (String job : JOBS) awaitLine("[  OK  ] Started " + job);
        assertTrue(lines().contains("ordo: not taking pid " + stranger.pid() + " for dbus: it carries its mark but runs as uid 65534,"
                + " which ordo does not run it as; left alone"), String.join("\n", lines()));
        assertTrue(stranger.isAlive(), "not signalled");
        assertFalse(listedPids().contains(stranger.pid()));
        assertEquals(3, markerPids().size(), "each job started once, of its own");
    }

    /** A process of the test's own that has nothing to do with ordo (killed after the test). */
    Process stranger() throws IOException {
        Process p = new ProcessBuilder("sleep", "600").start();
        others.add(p);
        return p;
    }

    /** A state.json, as a dead supervisor would have left it, naming {@code pid} as dbus's main process. */
    void saveDbus(int pid, Instant started, SupervisorState.Proof proof) throws IOException {
        Files.createDirectories(state());
        new StateFile(state().resolve("state.json")).write(new SupervisorState(1, Instant.now(), List.of(
                new SupervisorState.InstanceState("dbus", "", JobGoal.START, JobState.RUNNING, pid, started, proof))));
    }

    /**
     * A state.json that names an unrelated process (it would take writing to the state directory, which ordo
     * refuses unless only its user can): pid, start time and uid are right, but the process carries no mark of
     * ordo's and runs another program, so it is not adopted, and `ordo stop` never reaches it.
     */
    @Test
    void aStateFileNamingAnUnrelatedProcessDoesNotMakeItOrdos() throws Exception {
        Path yaml = config();
        Process stranger = stranger();
        int pid = (int) stranger.pid();
        long ticks = dev.ordo.executor.posix.ProcessIdentity.of(pid).startTime();
        saveDbus(pid, Instant.now(), new SupervisorState.Proof(ticks, 0, "/usr/sbin/sshd", null));
        start(yaml);
        for (String job : JOBS) awaitLine("[  OK  ] Started " + job);
        assertTrue(lines().contains("ordo: not adopting dbus (pid " + pid + "): it carries no mark of ordo's and does not run the"
                + " executable saved (/usr/sbin/sshd)"), String.join("\n", lines()));
        ordo("stop", "dbus");
        awaitLine("[  OK  ] Stopped dbus");
        assertTrue(stranger.isAlive(), "never signalled");
    }

    @Test
    void aPidNowBelongingToAnotherProcessIsIgnored() throws Exception {
        Path yaml = config();
        Process stranger = stranger();
        int pid = (int) stranger.pid();
        Instant realStart = stranger.info().startInstant().orElseThrow();
        // As if dbus's old main process had ended and its pid been given to this sleep an hour later.
        long ticks = dev.ordo.executor.posix.ProcessIdentity.of(pid).startTime();
        saveDbus(pid, realStart.minusSeconds(3600), new SupervisorState.Proof(ticks / 2, 0, "/usr/bin/sleep", null));

        start(yaml);
        for (String job : JOBS) awaitLine("[  OK  ] Started " + job);
        assertTrue(lines().contains("ordo: not adopting dbus (pid " + pid + "): the pid belongs to another process now"),
                String.join("\n", lines()));
        assertTrue(stranger.isAlive(), "the stranger was not signalled");
        assertFalse(listedPids().contains((long) pid));
        assertEquals(3, markerPids().size());
    }

    /**
     * A job's output reaches its log through a pipe whose reader was the supervisor: killed, it leaves the pipe
     * without one. The new supervisor opens the adopted process's stdout again (/proc/PID/fd/1), so what the job
     * writes after the takeover is in its log (and it is not killed by SIGPIPE for writing).
     */
    @Test
    void anAdoptedJobsOutputGoesOnReachingItsLog() throws Exception {
        marker = "ordo-adopt-" + tmp.getFileName();
        Path flag = tmp.resolve("flag");
        Path yaml = tmp.resolve("ordo.yaml");
        // sh stays the main process (its argv holds the marker) and writes again once the flag is there.
        Files.writeString(yaml, "jobs:\n  talker:\n    exec: sh -c 'echo before; while [ ! -e " + flag + " ]; do sleep 0.1; done;"
                + " echo after; while :; do sleep 1; done' " + marker + "\n");
        start(yaml);
        awaitLine("[  OK  ] Started talker");
        Path log = state().resolve("logs/talker.log");
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        StateFile file = new StateFile(state().resolve("state.json"));
        while (!Files.exists(log) || !Files.readString(log).equals("before\n") || file.read() == null
                || file.read().instances().stream().noneMatch(i -> i.mainStarted() != null)) {
            assertTrue(System.nanoTime() < deadline, "the job wrote its first line and state.json names it");
            Thread.sleep(20);
        }
        Set<Long> pids = markerPids();
        signal(run.pid(), "KILL");
        assertTrue(run.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS));

        start(yaml);
        awaitLine("ordo: adopted talker (pid ");
        Files.writeString(flag, "");
        while (!Files.readString(log).equals("before\nafter\n")) {
            assertTrue(System.nanoTime() < deadline + WAIT_MILLIS * 1_000_000L, "the log: " + Files.readString(log));
            Thread.sleep(20);
        }
        assertEquals(pids, markerPids(), "the job lives on");
        assertTrue(ordo("status", "talker").startsWith("talker start/running, process "), ordo("status", "talker"));
    }
}
