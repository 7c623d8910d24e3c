package dev.ordo.executor.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes, real signals, real sockets: what the process table promises the engine. */
class ProcessesTest {

    static final List<String> ENV = List.of("PATH=/usr/bin:/bin");
    static final AtomicLong TAGS = new AtomicLong();

    static Events events;
    static Processes processes;
    @TempDir
    static Path runtime;
    @TempDir
    Path tmp;

    @BeforeAll
    static void open() throws IOException {
        events = new Events();
        processes = Processes.open(runtime, e -> events.accept(e));
    }

    @AfterAll
    static void close() {
        processes.close();
    }

    static int start(SpawnRequest r) {
        SpawnResult res = processes.spawn(r);
        SpawnResult.Started s = assertInstanceOf(SpawnResult.Started.class, res, () -> res.toString());
        ProcessEvent.Launched ev = events.await(ProcessEvent.Launched.class, e -> e.tag() == r.tag());
        assertEquals(s.pid(), ev.pid());
        return s.pid();
    }

    static SpawnRequest request(String... argv) {
        return SpawnRequest.of(TAGS.incrementAndGet(), List.of(argv), ENV);
    }

    static void eventually(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what + " " + events.all());
            Thread.sleep(5);
        }
    }

    static String status(int pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field + ":")) return line.substring(field.length() + 1).trim();
        }
        throw new AssertionError("no " + field + " in /proc/" + pid + "/status");
    }

    static void kill(int pid) {
        assertTrue(processes.signal(pid, Signal.KILL));
        events.exit(pid);
    }

    @Test
    @SuppressWarnings("removal")
    void spawnGivesANewSessionTheCwdTheEnvOnlyFds012AndCleanSignals() throws Exception {
        // SIG_IGN in the supervisor must not leak (nohup, `&`); Java threads block SIGQUIT.
        sun.misc.Signal hup = new sun.misc.Signal("HUP");
        sun.misc.SignalHandler old = sun.misc.Signal.handle(hup, sun.misc.SignalHandler.SIG_IGN);
        int pid;
        try {
            pid = start(SpawnRequest.of(TAGS.incrementAndGet(), List.of("sleep", "30"), List.of("PATH=/bin", "FOO=bar baz"))
                    .withResources(new Resources(null, null, "/tmp", null, List.of(), null, null, null)));
        } finally {
            sun.misc.Signal.handle(hup, old);
        }
        ProcStat st = ProcStat.read(pid);
        assertEquals(pid, st.pgrp());
        assertEquals(pid, st.session());
        assertEquals(Path.of("/tmp"), Files.readSymbolicLink(Path.of("/proc/" + pid + "/cwd")));
        // posix_spawn returns once exec has begun; the kernel fills in the new environment a moment later.
        eventually("exec has finished", () -> comm(pid).equals("sleep") && !environ(pid).isEmpty());
        String environ = environ(pid);
        assertEquals(List.of("PATH=/bin", "FOO=bar baz"), Arrays.asList(environ.split("\0")));
        // Right after exec the dynamic loader still opens sleep's libraries (fd 3, for a moment); a descriptor that
        // leaked from the supervisor would stay, and this would time out.
        eventually("only fds 0, 1 and 2 are open", () -> {
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                return List.of("0", "1", "2").equals(fds.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertEquals(Path.of("/dev/null"), Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/0")));
        assertEquals(0L, Long.parseLong(status(pid, "SigBlk"), 16));
        // glibc keeps its internal signals 32 and 33 ignored in every posix_spawn child.
        assertEquals(0L, Long.parseLong(status(pid, "SigIgn"), 16) & ~0x180000000L, "SigIgn " + status(pid, "SigIgn"));
        kill(pid);
    }

    @Test
    void theProgramIsFoundOnTheJobsPathNotTheSupervisors() throws Exception {
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Path hello = bin.resolve("hello-ordo");
        Files.writeString(hello, "#!/bin/sh\necho \"hello $1 from $0\"\n");
        Files.setPosixFilePermissions(hello, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = tmp.resolve("job.log");
        Files.writeString(log, "before\n");
        SpawnRequest r = SpawnRequest.of(TAGS.incrementAndGet(), List.of("hello-ordo", "world"),
                List.of("PATH=/nonexistent:" + bin)).withStdio(Stdio.append(log));
        int pid = start(r);
        assertEquals(ExitStatus.code(0), events.exit(pid).status());
        assertEquals("before\nhello world from " + hello + "\n", Files.readString(log));

        SpawnResult res = processes.spawn(SpawnRequest.of(TAGS.incrementAndGet(), List.of("sleep", "1"), List.of("PATH=" + bin)));
        SpawnResult.Failed f = assertInstanceOf(SpawnResult.Failed.class, res);
        assertEquals(2, f.errno());
        assertEquals("sleep: No such file or directory (ENOENT)", f.reason());
    }

    @Test
    void spawnFailuresComeBackAtOnceWithTheErrnoText() throws Exception {
        SpawnRequest missing = request("no-such-program-ordo");
        SpawnResult.Failed f = assertInstanceOf(SpawnResult.Failed.class, processes.spawn(missing));
        assertEquals("no-such-program-ordo: No such file or directory (ENOENT)", f.reason());
        ProcessEvent.LaunchFailed ev = events.await(ProcessEvent.LaunchFailed.class, e -> e.tag() == missing.tag());
        assertEquals(2, ev.errno());
        assertEquals(f.reason(), ev.reason());

        SpawnRequest badCwd = request("true").withResources(new Resources(null, null, "/nonexistent-ordo", null, List.of(), null, null, null));
        f = assertInstanceOf(SpawnResult.Failed.class, processes.spawn(badCwd));
        assertEquals("working directory /nonexistent-ordo: No such file or directory (ENOENT)", f.reason());

        Path plain = tmp.resolve("plain");
        Files.writeString(plain, "#!/bin/sh\n");
        f = assertInstanceOf(SpawnResult.Failed.class, processes.spawn(request(plain.toString())));
        assertEquals(13, f.errno());
        assertEquals(plain + ": Permission denied (EACCES)", f.reason());

        // Passes the Java-side checks, so this error is posix_spawn's own, returned by the child's exec.
        Path garbage = tmp.resolve("garbage");
        Files.write(garbage, new byte[] {0x7f, 'E', 'L', 'F', 0, 0, 0, 0});
        Files.setPosixFilePermissions(garbage, PosixFilePermissions.fromString("rwxr-xr-x"));
        f = assertInstanceOf(SpawnResult.Failed.class, processes.spawn(request(garbage.toString())));
        assertEquals(8, f.errno());
        assertEquals("cannot start " + garbage + " in /: Exec format error (ENOEXEC)", f.reason());
    }

    @Test
    void exitCodesAndDeathsBySignalAreDecoded() {
        int seven = start(request("sh", "-c", "exit 7"));
        assertEquals(ExitStatus.code(7), events.exit(seven).status());
        int segv = start(request("sh", "-c", "kill -SEGV $$"));
        assertEquals(11, events.exit(segv).status().signal().number());
        assertFalse(processes.signal(seven, Signal.TERM), "a reaped pid is never signalled");
        assertFalse(processes.alive(seven));
    }

    @Test
    void killingTheGroupEscalatesPastAnIgnoredTerm() throws Exception {
        int pid = start(request("sh", "-c", "trap '' TERM; sleep 100 & sleep 100 & wait"));
        eventually("the two sleeps are in the group", () -> members(pid) == 3);
        assertTrue(processes.signalGroup(pid, Signal.TERM));
        Thread.sleep(200);
        assertEquals(3, members(pid), "TERM is ignored by all three");
        assertTrue(processes.groupAlive(pid));
        assertTrue(processes.signalGroup(pid, Signal.KILL));
        assertEquals(ExitStatus.signal(Signal.KILL), events.exit(pid).status());
        eventually("the group is empty", () -> !processes.groupAlive(pid));
        assertFalse(processes.signalGroup(pid, Signal.TERM), "an empty group is not signalled");
    }

    static long members(int pgid) {
        try (Stream<Path> ps = Files.list(Path.of("/proc"))) {
            return ps.map(p -> p.getFileName().toString()).filter(n -> n.chars().allMatch(Character::isDigit))
                    .map(n -> ProcStat.read(Integer.parseInt(n)))
                    .filter(s -> s != null && s.pgrp() == pgid && !s.zombie()).count();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDoubleForkingDaemonIsFollowedToItsRealPid() throws Exception {
        Path pidFile = tmp.resolve("daemon.pid");
        String daemon = String.join("\n",
                "import os, sys, time",
                "if os.fork(): os._exit(0)",
                "os.setsid()",
                "if os.fork(): os._exit(0)",
                "open(sys.argv[1] + '.tmp', 'w').write(str(os.getpid()))",
                "os.rename(sys.argv[1] + '.tmp', sys.argv[1])",
                "time.sleep(100)");
        int main = start(request("python3", "-c", daemon, pidFile.toString()).withFollow(Follow.DAEMON));
        ProcessEvent.LeftChild first = events.await(ProcessEvent.LeftChild.class, f -> f.pid() == main);
        ProcessEvent.LeftChild second = events.await(ProcessEvent.LeftChild.class, f -> f.pid() == first.child());
        eventually("the daemon wrote its pid", () -> Files.exists(pidFile));
        int real = Integer.parseInt(Files.readString(pidFile).trim());
        assertEquals(real, second.child());
        ProcessEvent.Reaped exit = events.exit(main);
        assertEquals(ExitStatus.code(0), exit.status());
        // The parent exits between the two forks; its exit is held until both steps are out.
        List<ProcessEvent> order = events.history();
        assertTrue(order.indexOf(second) < order.indexOf(exit), "steps first: " + order);
        // Counted at the second fork, the daemon may still have its middle parent for a moment.
        eventually("the subreaper adopted it", () -> {
            ProcStat st = ProcStat.read(real);
            return st != null && st.ppid() == ProcessHandle.current().pid();
        });
        assertTrue(processes.signal(real, Signal.TERM));
        assertEquals(ExitStatus.signal(Signal.TERM), events.exit(real).status());
    }

    @Test
    void aForkingMainIsFollowedToTheChildItLeaves() throws Exception {
        Path pidFile = tmp.resolve("child.pid");
        int main = start(request("sh", "-c", "sleep 100 & echo $! > " + pidFile + "; exit 0").withFollow(Follow.FORK));
        ProcessEvent.LeftChild f = events.await(ProcessEvent.LeftChild.class, e -> e.pid() == main);
        // Counted at the fork itself, so the pid file may not be written yet.
        assertEquals(readPid(pidFile), f.child());
        assertEquals(ExitStatus.code(0), events.exit(main).status());
        assertTrue(processes.alive(f.child()));
        // It stayed in the main process's group, which the table now knows through it.
        assertTrue(processes.signalGroup(main, Signal.KILL));
        assertEquals(ExitStatus.signal(Signal.KILL), events.exit(f.child()).status());
    }

    /** The pid tracing {@code pid} (0 when none), from /proc. */
    static int tracer(int pid) throws IOException {
        return Integer.parseInt(status(pid, "TracerPid"));
    }

    static int readPid(Path file) throws Exception {
        eventually(file + " is written", () -> {
            try {
                return Files.exists(file) && !Files.readString(file).trim().isEmpty();
            } catch (IOException e) {
                return false;
            }
        });
        return Integer.parseInt(Files.readString(file).trim());
    }

    @Test
    void aForkIsCountedWhileTheParentLivesOn() throws Exception {
        // Inference after the parent's exit could never see this one: the parent stays, as Upstart's
        // expect fork allows.
        Path pidFile = tmp.resolve("child.pid");
        int main = start(request("sh", "-c", "sleep 300 & echo $! > " + pidFile + "; wait").withFollow(Follow.FORK));
        ProcessEvent.LeftChild f = events.await(ProcessEvent.LeftChild.class, e -> e.pid() == main);
        assertEquals(readPid(pidFile), f.child());
        assertFalse(ProcStat.read(main).zombie(), "the parent still runs");
        assertTrue(processes.alive(f.child()));
        eventually("both are let go", () -> tracerOrZero(main) == 0 && tracerOrZero(f.child()) == 0);
        eventually("the child runs sleep", () -> comm(f.child()).equals("sleep"));
        assertTrue(processes.signalGroup(main, Signal.KILL));
        assertEquals(ExitStatus.signal(Signal.KILL), events.exit(main).status());
    }

    static int tracerOrZero(int pid) {
        try {
            return tracer(pid);
        } catch (IOException | AssertionError e) {
            return 0;
        }
    }

    @Test
    void aDaemonWhoseMiddleProcessIsReapedByItsParentIsFollowedThroughBothForks() throws Exception {
        // sh reaps the subshell itself, so after sh's exit only the grandchild is left to see.
        Path pidFile = tmp.resolve("daemon.pid");
        int main = start(request("sh", "-c", "(setsid sleep 300 & echo $! > " + pidFile + "); exit 0")
                .withFollow(Follow.DAEMON));
        ProcessEvent.LeftChild first = events.await(ProcessEvent.LeftChild.class, f -> f.pid() == main);
        ProcessEvent.LeftChild second = events.await(ProcessEvent.LeftChild.class, f -> f.pid() == first.child());
        int daemon = readPid(pidFile);
        assertEquals(daemon, second.child());
        ProcessEvent.Reaped exit = events.exit(main);
        assertEquals(ExitStatus.code(0), exit.status());
        List<ProcessEvent> order = events.history();
        assertTrue(order.indexOf(first) < order.indexOf(second) && order.indexOf(second) < order.indexOf(exit),
                "the Forked steps come before the exit they explain: " + order);
        eventually("the daemon runs sleep, untraced, adopted by the subreaper", () -> comm(daemon).equals("sleep")
                && tracerOrZero(daemon) == 0 && ProcStat.read(daemon).ppid() == ProcessHandle.current().pid());
        assertTrue(processes.signal(daemon, Signal.TERM));
        assertEquals(ExitStatus.signal(Signal.TERM), events.exit(daemon).status());
    }

    @Test
    void forksAfterTheCountAreNotFollowed() throws Exception {
        Path dir = tmp;
        String inner = "echo $$ > " + dir.resolve("d") + "; sleep 300 & echo $! > " + dir.resolve("e") + "; wait";
        int main = start(request("sh", "-c", "(exec setsid sh -c '" + inner + "' &); exit 0").withFollow(Follow.DAEMON));
        ProcessEvent.LeftChild first = events.await(ProcessEvent.LeftChild.class, f -> f.pid() == main);
        ProcessEvent.LeftChild second = events.await(ProcessEvent.LeftChild.class, f -> f.pid() == first.child());
        int daemon = readPid(dir.resolve("d"));
        int extra = readPid(dir.resolve("e"));
        assertEquals(daemon, second.child());
        events.exit(main);
        eventually("the extra child runs, untraced and not stopped", () -> comm(extra).equals("sleep")
                && tracerOrZero(extra) == 0 && ProcStat.read(extra).state() != 't' && ProcStat.read(extra).state() != 'T');
        assertTrue(events.all().stream().noneMatch(e -> e instanceof ProcessEvent.LeftChild f && (f.pid() == daemon || f.child() == extra)),
                "the third fork is not followed: " + events.all());
        assertTrue(processes.signalGroup(daemon, Signal.KILL));
        events.exit(daemon);
    }

    @Test
    void signalsReachATracedProcessAsIfNobodyWatched() throws Exception {
        Path got = tmp.resolve("got");
        int main = start(request("sh", "-c", "trap 'echo usr1 > " + got + "' USR1; kill -USR1 $$; sleep 300 & wait")
                .withFollow(Follow.FORK));
        ProcessEvent.LeftChild f = events.await(ProcessEvent.LeftChild.class, e -> e.pid() == main);
        assertEquals("usr1", Files.readString(got).trim(), "the trap ran before the fork");
        assertTrue(processes.signalGroup(main, Signal.KILL));
        events.exit(main);
        assertTrue(f.child() > 0);
    }

    @Test
    void orphansOfDescendantsAreReaped() throws Exception {
        Path pidFile = tmp.resolve("orphan.pid");
        int main = start(request("sh", "-c", "sleep 0.2 & echo $! > " + pidFile + "; exit 0"));
        events.exit(main);
        int orphan = Integer.parseInt(Files.readString(pidFile).trim());
        eventually("the orphan is reaped, not left a zombie", () -> ProcStat.read(orphan) == null);
        assertTrue(events.all().stream().noneMatch(e -> e instanceof ProcessEvent.LeftChild f && f.pid() == main),
                "nothing is followed without Follow");
    }

    @Test
    void aStoppedMainIsReportedAndExitsAfterResume() {
        int pid = start(request("sh", "-c", "kill -STOP $$; exit 3").withFollow(Follow.STOP));
        ProcessEvent.Halted s = events.await(ProcessEvent.Halted.class, e -> e.pid() == pid);
        assertEquals(Signal.STOP, s.signal());
        assertTrue(processes.resume(pid));
        assertEquals(ExitStatus.code(3), events.exit(pid).status());
    }

    @Test
    void readyFromSystemdNotifyReachesTheJobsSocket() {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")), "systemd-notify is not installed");
        int pid = start(request("systemd-notify", "--ready", "--status=hello").withNotify("web"));
        ProcessEvent.NotifyReady r = events.await(ProcessEvent.NotifyReady.class, e -> e.key().equals("web"));
        assertTrue(r.sender() > 0, "SO_PASSCRED gave the sender's pid");
        assertEquals("hello", events.await(ProcessEvent.NotifyStatus.class, e -> e.key().equals("web")).text());
        // It waits until its BARRIER=1 fd is closed; exit 0 means the receiver closed it.
        assertEquals(ExitStatus.code(0), events.exit(pid).status());
    }

    @Test
    void notifyDatagramsCarryMainPidAndEachJobHasItsOwnSocket() throws Exception {
        String send = "import os, socket; s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM);"
                + " s.sendto(('READY=1\\nMAINPID=%d' % os.getpid()).encode(), os.environ['NOTIFY_SOCKET'])";
        int a = start(request("python3", "-c", send).withNotify("a"));
        int b = start(request("sh", "-c", "echo \"$NOTIFY_SOCKET\"").withNotify("b")
                .withStdio(Stdio.append(tmp.resolve("b.log"))));
        assertEquals(a, events.await(ProcessEvent.NotifyMainPid.class, e -> e.key().equals("a")).pid());
        assertEquals(a, events.await(ProcessEvent.NotifyReady.class, e -> e.key().equals("a")).sender());
        events.exit(a);
        events.exit(b);
        String socketB = Files.readString(tmp.resolve("b.log")).trim();
        assertTrue(socketB.startsWith(runtime.resolve("notify").toString()), socketB);
        // Nobody else may list it; under a root supervisor others may pass it, to a socket of the job's own.
        boolean root = "root".equals(System.getProperty("user.name"));
        assertEquals(root ? "rwx-----x" : "rwx------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(runtime.resolve("notify"))));
        int again = start(request("sh", "-c", "echo \"$NOTIFY_SOCKET\"").withNotify("b")
                .withStdio(Stdio.append(tmp.resolve("b.log"))));
        events.exit(again);
        assertEquals(List.of(socketB, socketB), Files.readAllLines(tmp.resolve("b.log")), "one socket per key, kept");
    }

    @Test
    void umaskNiceAndLimitsAreInPlaceBeforeTheJobRuns() throws Exception {
        // The job reports what it was started with, so a post-spawn (racy) setting would show here.
        Path out = tmp.resolve("seen");
        Resources r = new Resources(027, 5, null, null,
                List.of(new Limit("nofile", 256L, 512L, null), new Limit("core", null, null, null)), null, null, 500);
        int pid = start(request("sh", "-c", "umask; ulimit -n; ulimit -Hn; ulimit -c; cat /proc/self/oom_score_adj;"
                + " cut -d' ' -f19 /proc/self/stat; exec sleep 30").withResources(r).withStdio(Stdio.append(out)));
        eventually("the job ran its checks", () -> lines(out).size() >= 6
                || events.all().stream().anyMatch(e -> e instanceof ProcessEvent.Reaped x && x.pid() == pid));
        assertEquals(List.of("0027", "256", "512", "unlimited", "500", "5"), lines(out));
        eventually("sleep runs", () -> comm(pid).equals("sleep"));
        assertEquals("0027", status(pid, "Umask"));
        String limits = Files.readString(Path.of("/proc/" + pid + "/limits"));
        assertTrue(limits.matches("(?s).*Max open files\\s+256\\s+512\\s+files.*"), limits);
        kill(pid);
    }

    @Test
    void userAndGroupAreSwitchedBeforeExec() throws Exception {
        Assumptions.assumeTrue(ProcStat.read(1) != null && "0".equals(status((int) ProcessHandle.current().pid(), "Uid").split("\\s+")[0]),
                "needs root");
        Assumptions.assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("nobody:")));
        int pid = start(request("sleep", "30").withResources(new Resources(null, null, null, null, List.of(), "nobody", null, null)));
        eventually("sleep runs", () -> comm(pid).equals("sleep"));
        assertEquals("65534", status(pid, "Uid").split("\\s+")[0]);
        kill(pid);
        SpawnResult.Failed f = assertInstanceOf(SpawnResult.Failed.class,
                processes.spawn(request("true").withResources(new Resources(null, null, null, null, List.of(), "no-such-user-ordo", null, null))));
        assertEquals("unknown user: no-such-user-ordo", f.reason());
    }

    @Test
    void outputCanGoToAGivenDescriptor() throws Exception {
        int[] fds = new int[2];
        assertEquals(0, Sys.C.pipe2(fds, Sys.O_CLOEXEC));
        try {
            int pid = start(request("sh", "-c", "echo out; echo err >&2").withStdio(Stdio.fd(fds[1])));
            events.exit(pid);
            Sys.C.close(fds[1]);
            jnr.ffi.Pointer buf = Sys.allocate(64);
            StringBuilder got = new StringBuilder();
            long n;
            while ((n = Sys.C.read(fds[0], buf, 64)) > 0) {
                byte[] b = new byte[(int) n];
                buf.get(0, b, 0, (int) n);
                got.append(new String(b, StandardCharsets.UTF_8));
            }
            assertEquals("out\nerr\n", got.toString());
        } finally {
            Sys.C.close(fds[0]);
        }
    }

    @Test
    void aProcessIdentityOutlivesItsPidOnlyAsLongAsTheProcess() {
        SpawnResult.Started s = (SpawnResult.Started) processes.spawn(request("sleep", "30"));
        ProcessIdentity id = s.identity();
        assertTrue(id.startTime() > 0);
        assertEquals(id, ProcessIdentity.of(s.pid()));
        assertEquals(id, ProcessIdentity.parse(id.toString()));
        assertTrue(id.exists());
        kill(s.pid());
        assertFalse(id.exists());
    }

    static List<String> lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p) : List.of();
        } catch (IOException e) {
            return new ArrayList<>();
        }
    }

    static String environ(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/environ"));
        } catch (IOException e) {
            return "";
        }
    }

    static String comm(int pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/comm")).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
