package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * systemd units run with real processes as systemd runs their command lines: each line a process of
 * its own, prefixes obeyed, {@code $VAR}/{@code ${VAR}} expanded from {@code Environment=} and an
 * {@code EnvironmentFile=} read at the start, no shell unless the line names one, and
 * {@code RemainAfterExit=} keeping a oneshot up.
 */
class SystemdCommandLinesTest extends SupervisorHarness {

    private Path units(String name, String text) throws Exception {
        Path dir = tmp.resolve("units");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name), text);
        return dir;
    }

    @Test
    void aOneshotRunsItsLinesAsSystemdWouldAndRemainsUp() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path env = tmp.resolve("defaults");
        Files.writeString(env, "# as /etc/default files are\nOPTS=\"-n  x\"\nGREETING='hello  world'\n");
        Path dir = units("setup.service", String.join("\n",
                "[Service]",
                "Type=oneshot",
                "RemainAfterExit=yes",
                "Environment=OUT=" + out + " GREETING=overridden",
                "EnvironmentFile=-/nonexistent/ordo-test-defaults",
                "EnvironmentFile=" + env,
                "ExecStartPre=-/bin/false",
                "ExecStartPre=/bin/sh -c 'echo pre > \"$OUT/pre\"'",
                // `@`: the second word is argv[0]; sh prints it as $0.
                "ExecStart=@/bin/sh setup-argv0 -c 'echo \"$0\" > \"$OUT/argv0\"'",
                // $OPTS splits into words, ${GREETING} is one word with its blanks; %% is a literal %.
                "ExecStart=/bin/sh -c 'printf \"%%s|\" \"$@\" > \"$OUT/args\"' sh $OPTS ${GREETING} literal$$",
                // No shell: the redirection is an argument of echo, not a redirection.
                "ExecStart=/bin/echo > " + out.resolve("not-made"),
                ""));
        run(List.of(dir));
        Run start = ordo("start", "setup.service");
        assertEquals(0, start.status(), start.err() + start.out());
        assertEquals("pre", Files.readString(out.resolve("pre")).strip());
        assertEquals("setup-argv0", Files.readString(out.resolve("argv0")).strip());
        assertEquals("-n|x|hello  world|literal$|", Files.readString(out.resolve("args")));
        assertFalse(Files.exists(out.resolve("not-made")), "no shell ran the last line");
        Run status = ordo("status", "setup.service");
        assertEquals("setup.service start/running\n", status.out(), "up with no process: RemainAfterExit=yes");
    }

    @Test
    void aMissingEnvironmentFileFailsTheStartWithItsName() throws Exception {
        Path dir = units("needs.service", "[Service]\nEnvironmentFile=/nonexistent/ordo-test-env\nExecStart=/bin/sleep 60\n");
        run(List.of(dir));
        Run start = ordo("start", "needs.service");
        assertEquals(1, start.status(), start.out());
        assertTrue(start.err().contains("EnvironmentFile /nonexistent/ordo-test-env does not exist"), start.err());
    }

    @Test
    void aFailingPreStartLineStopsTheRest() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path dir = units("strict.service", String.join("\n",
                "[Service]",
                "ExecStartPre=/bin/sh -c 'exit 3'",
                "ExecStartPre=/usr/bin/touch " + out.resolve("second"),
                "ExecStart=/usr/bin/touch " + out.resolve("main"),
                ""));
        run(List.of(dir));
        Run start = ordo("start", "strict.service");
        assertEquals(1, start.status(), start.out());
        assertFalse(Files.exists(out.resolve("second")));
        assertFalse(Files.exists(out.resolve("main")));
    }

    @Test
    void aForkingServiceIsTheProcessItsPidFileNames() throws Exception {
        Path pidFile = tmp.resolve("daemon.pid");
        // Two processes are left behind; the lineage alone would take the older one, the decoy.
        Path dir = units("forky.service", String.join("\n",
                "[Service]",
                "Type=forking",
                "PIDFile=" + pidFile,
                "ExecStart=/bin/sh -c 'sleep 301 & sleep 0.05; sleep 300 & echo $! > " + pidFile + "; exit 0'",
                ""));
        run(List.of(dir));
        assertEquals(0, ordo("start", "forky.service").status());
        int named = Integer.parseInt(Files.readString(pidFile).strip());
        Run status = ordo("status", "forky.service");
        assertEquals("forky.service start/running, process " + named + "\n", status.out());
        assertEquals(0, ordo("stop", "forky.service").status());
        eventually(() -> "the daemon " + named + " is gone", () -> !RealProcessesTest.alive(named));
    }

    @Test
    void aStalePidFileNamingAnOlderProcessIsNotBelieved() throws Exception {
        Path pidFile = tmp.resolve("stale.pid");
        long older = ProcessHandle.current().parent().orElseThrow().pid(); // alive, and started before any launcher
        Files.writeString(pidFile, older + "\n");
        Path dir = units("stale.service", String.join("\n",
                "[Service]",
                "Type=forking",
                "PIDFile=" + pidFile,
                "ExecStart=/bin/sh -c 'sleep 300 & exit 0'",
                ""));
        run(List.of(dir));
        assertEquals(0, ordo("start", "stale.service").status());
        Run status = ordo("status", "stale.service");
        int pid = RealProcessesTest.pid(status.out());
        assertTrue(pid != older, status.out());
        assertEquals("sleep", RealProcessesTest.comm(pid), "the process the launcher left");
        assertEquals(0, ordo("stop", "stale.service").status());
        eventually(() -> "the daemon " + pid + " is gone", () -> !RealProcessesTest.alive(pid));
        assertTrue(RealProcessesTest.alive(older), "never signalled");
    }

    /** A variable of a process's initial environment, or null. */
    static String environ(long pid, String name) throws java.io.IOException {
        for (String kv : Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0")) {
            if (kv.startsWith(name + "=")) return kv.substring(name.length() + 1);
        }
        return null;
    }

    private static boolean root() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void theRuntimeDirectoryIsMadeForTheUserAndRemovedAtStop() throws Exception {
        assumeTrue(root() && Files.isDirectory(Path.of("/run")), "needs root to hand a directory to another user");
        String name = "ordo-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path runtime = Path.of("/run", name);
        Path out = Files.createDirectories(tmp.resolve("out"));
        try {
            Path dir = units("owned.service", String.join("\n",
                    "[Service]",
                    "User=nobody",
                    "RuntimeDirectory=" + name + "/sub",
                    "RuntimeDirectoryMode=0750",
                    // `+`: this line runs as root, whatever User= says; the main process runs as nobody.
                    "ExecStartPre=+/bin/sh -c 'echo \"$RUNTIME_DIRECTORY $(id -u)\" > " + out.resolve("pre") + "'",
                    "ExecStart=/bin/sh -c 'id -u > \"$RUNTIME_DIRECTORY/uid\"; exec sleep 300'",
                    ""));
            run(List.of(dir));
            assertEquals(0, ordo("start", "owned.service").status());
            Path sub = runtime.resolve("sub");
            assertEquals(sub + " 0", Files.readString(out.resolve("pre")).strip());
            eventually(() -> "the service wrote its uid", () -> {
                try {
                    return Files.readString(sub.resolve("uid")).endsWith("\n");
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            assertEquals("65534", Files.readString(sub.resolve("uid")).strip(), "written as nobody into its own directory");
            assertEquals("nobody", Files.getOwner(sub).getName());
            assertEquals("rwxr-x---", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(sub)));
            assertEquals(0, ordo("stop", "owned.service").status());
            eventually(() -> sub + " is removed at the stop", () -> !Files.exists(sub));
        } finally {
            deleteTree(runtime);
        }
    }

    @Test
    void aRuntimeDirectoryThatIsALinkIsRefusedAndWhatItPointsAtIsUntouched() throws Exception {
        assumeTrue(root() && Files.isDirectory(Path.of("/run")), "needs root to write /run");
        String name = "ordo-test-link-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
        Path link = Path.of("/run", name);
        Path target = Files.createDirectories(tmp.resolve("precious"));
        Files.createSymbolicLink(link, target);
        try {
            Path dir = units("linked.service", "[Service]\nUser=nobody\nRuntimeDirectory=" + name
                    + "\nExecStart=/bin/sleep 300\n");
            run(List.of(dir));
            Run start = ordo("start", "linked.service");
            assertEquals(1, start.status());
            assertTrue(start.err().contains("RuntimeDirectory " + link + " is a symbolic link; it is not followed"), start.err());
            assertEquals("root", Files.getOwner(target).getName(), "not chowned through the link");
        } finally {
            Files.deleteIfExists(link);
        }
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (java.util.stream.Stream<Path> s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(x);
        }
    }

    @Test
    void aNotifyServiceRunningAsAnotherUserReachesItsSocket() throws Exception {
        assumeTrue(root(), "needs root to run a service as another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")) || Files.isExecutable(Path.of("/bin/systemd-notify")),
                "systemd-notify is not installed");
        // redis-server.service: Type=notify with User=redis. The socket must be reachable by that user.
        Path dir = units("notifier.service", String.join("\n",
                "[Service]",
                "Type=notify",
                "User=nobody",
                "TimeoutStartSec=10",
                "ExecStart=/bin/sh -c 'systemd-notify --ready; exec sleep 300'",
                ""));
        // The state directory lies in the test's 0700 temporary directory (ordo's own /run/ordo lies in /run, 0755):
        // the start fails and says why, rather than waiting for a READY=1 that cannot come.
        run(List.of(dir));
        Run refused = ordo("start", "notifier.service");
        assertEquals(1, refused.status());
        assertTrue(refused.err().contains(tmp + " (mode rwx------) cannot be passed by nobody"), refused.err());
        supervisor.interrupt();
        supervisor.awaitExit(WAIT_MILLIS);
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        run(List.of(dir));
        Run start = ordo("start", "notifier.service");
        assertEquals(0, start.status(), start.err());
        assertTrue(start.out().startsWith("notifier.service start/running, process "), start.out());
        int pid = RealProcessesTest.pid(start.out());
        // Read once the process has finished its exec into sleep (an environment read mid-exec is empty), and
        // kept: a second read could fall into that exec (it did, in a full verify).
        java.util.concurrent.atomic.AtomicReference<String> notify = new java.util.concurrent.atomic.AtomicReference<>();
        eventually(() -> "the main process runs sleep with a readable environment", () -> {
            try {
                notify.set(environ(pid, "NOTIFY_SOCKET"));
                return notify.get() != null && RealProcessesTest.comm(pid).equals("sleep");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        Path socket = Path.of(notify.get());
        assertEquals("nobody", Files.getOwner(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)), "only that user may send");
        assertEquals(0, ordo("stop", "notifier.service").status());
    }

    /** The pid written to {@code file} once it is complete. */
    private static int awaitPid(Path file) throws Exception {
        eventually(() -> file + " holds a pid", () -> {
            try {
                return Files.readString(file).endsWith("\n");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        return Integer.parseInt(Files.readString(file).strip());
    }

    @Test
    void aStopReachesEveryProcessOfTheUnitEvenOneThatLeftItsGroup() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        // The child makes itself a session leader, out of the main process's group: only the start's mark finds it.
        Path child = tmp.resolve("child.sh");
        Files.writeString(child, "echo $$ > \"$1\"\nexec sleep 300\n");
        String start = "ExecStart=/bin/sh -c 'setsid /bin/sh " + child + " " + out + "/%N & exec sleep 300'";
        Path dir = units("group.service", "[Service]\n" + start.replace("%N", "group") + "\n");
        Files.writeString(dir.resolve("proc.service"), "[Service]\nKillMode=process\n" + start.replace("%N", "proc") + "\n");
        Files.writeString(dir.resolve("left.service"), "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
                + start.replace("%N", "left").replace("& exec sleep 300", "&") + "\n");
        run(List.of(dir));
        assertEquals(0, ordo("start", "group.service").status());
        assertEquals(0, ordo("start", "proc.service").status());
        assertEquals(0, ordo("start", "left.service").status());
        int inGroup = awaitPid(out.resolve("group"));
        int inProc = awaitPid(out.resolve("proc"));
        int inLeft = awaitPid(out.resolve("left"));
        try {
            assertEquals(0, ordo("stop", "group.service").status());
            eventually(() -> "KillMode=control-group: the setsid child " + inGroup + " is gone", () -> !RealProcessesTest.alive(inGroup));
            // A oneshot that remained: its main process is long gone, and the stop still ends what it left.
            assertEquals(0, ordo("stop", "left.service").status());
            eventually(() -> "what left.service left, " + inLeft + ", is gone", () -> !RealProcessesTest.alive(inLeft));
            assertEquals(0, ordo("stop", "proc.service").status());
            assertTrue(RealProcessesTest.alive(inProc), "KillMode=process leaves what the main process started");
        } finally {
            ProcessHandle.of(inProc).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(inGroup).ifPresent(ProcessHandle::destroyForcibly);
            ProcessHandle.of(inLeft).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void workingDirectoryMayBeMissingOrTheHomeAndAUserGetsItsVariables() throws Exception {
        assumeTrue(root(), "needs root to run a service as another user");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        Path dir = units("missing.service", "[Service]\nType=oneshot\nWorkingDirectory=-/nonexistent/ordo-dir\n"
                + "ExecStart=/bin/sh -c 'pwd > " + out + "/missing'\n");
        Files.writeString(dir.resolve("home.service"), "[Service]\nType=oneshot\nWorkingDirectory=~\n"
                + "ExecStart=/bin/sh -c 'pwd > " + out + "/home'\n");
        Files.writeString(dir.resolve("user.service"), "[Service]\nType=oneshot\nUser=nobody\nEnvironment=SHELL=/bin/own\n"
                + "ExecStart=/bin/sh -c 'echo $USER $LOGNAME $HOME $SHELL > " + out + "/user'\n");
        Files.writeString(dir.resolve("strict.service"), "[Service]\nType=oneshot\nWorkingDirectory=/nonexistent/ordo-dir\n"
                + "ExecStart=/bin/true\n");
        run(List.of(dir));
        assertEquals(0, ordo("start", "missing.service").status());
        assertEquals("/", Files.readString(out.resolve("missing")).strip(), "`-`: a missing directory is no error");
        assertEquals(0, ordo("start", "home.service").status());
        assertEquals(System.getProperty("user.home"), Files.readString(out.resolve("home")).strip(), "`~`: root's home");
        assertEquals(0, ordo("start", "user.service").status());
        String home = Files.readAllLines(Path.of("/etc/passwd")).stream().filter(l -> l.startsWith("nobody:"))
                .map(l -> l.split(":")[5]).findFirst().orElseThrow();
        assertEquals("nobody nobody " + home + " /bin/own", Files.readString(out.resolve("user")).strip(),
                "the user's variables, and the unit's own SHELL= over them");
        Run strict = ordo("start", "strict.service");
        assertEquals(1, strict.status());
        assertTrue(strict.err().contains("working directory /nonexistent/ordo-dir: No such file or directory"), strict.err());
    }

    @Test
    void anInstanceOfATemplateStartsByNameThoughNothingInTheTreeNamesIt() throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path dir = units("greet@.service", "[Service]\nType=oneshot\nRemainAfterExit=yes\n"
                + "ExecStart=/bin/sh -c 'echo %i > " + out + "/%i'\n");
        run(List.of(dir));
        Run start = ordo("start", "greet@world.service");
        assertEquals(0, start.status(), start.err());
        assertEquals("world", Files.readString(out.resolve("world")).strip());
        assertEquals("greet@world.service start/running\n", ordo("status", "greet@world.service").out());
        Run unknown = ordo("start", "nothere@x.service");
        assertEquals(1, unknown.status());
        assertTrue(unknown.err().contains("Unknown job: nothere@x.service"), unknown.err());
        // A reload keeps the instance asked for.
        assertEquals(0, ordo("reload").status());
        assertEquals("greet@world.service start/running\n", ordo("status", "greet@world.service").out());
    }

    @Test
    void aReadyFromAProcessOutsideTheJobIsIgnored() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/systemd-notify")) || Files.isExecutable(Path.of("/bin/systemd-notify")),
                "systemd-notify is not installed");
        // The sender (systemd-notify names its parent) is in a session of its own and not the main process's
        // child: not the job's, whoever it is.
        Path alien = tmp.resolve("alien.sh");
        // The sender stays alive while ordo looks at it (one already gone cannot be looked at, and is taken).
        Files.writeString(alien, "sh -c 'systemd-notify --ready; sleep 10'\ntrue\n");
        Path dir = units("alien.service", String.join("\n",
                "[Service]",
                "Type=notify",
                "TimeoutStartSec=2",
                "ExecStart=/bin/sh -c 'setsid /bin/sh " + alien + " & exec sleep 300'",
                ""));
        run(List.of(dir));
        Run start = ordo("start", "alien.service");
        assertEquals(1, start.status(), start.out());
        assertTrue(start.err().contains("no READY=1 within 2s"), start.err());
        assertTrue(output().contains("which is not the job's; ignored"), output());
    }

    @Test
    void supplementaryGroupsAddToTheUsersOwn() throws Exception {
        assumeTrue(root(), "needs root to run a service as another user");
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.setPosixFilePermissions(out, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        String daemonGid = Files.readAllLines(Path.of("/etc/group")).stream().filter(l -> l.startsWith("daemon:"))
                .map(l -> l.split(":")[2]).findFirst().orElseThrow();
        Path dir = units("grouped.service", "[Service]\nType=oneshot\nUser=nobody\nSupplementaryGroups=daemon\n"
                + "ExecStart=/bin/sh -c 'id -G > " + out + "/groups'\n");
        Files.writeString(dir.resolve("bad.service"), "[Service]\nType=oneshot\nSupplementaryGroups=no-such-group\n"
                + "ExecStart=/bin/true\n");
        run(List.of(dir));
        assertEquals(0, ordo("start", "grouped.service").status());
        List<String> groups = List.of(Files.readString(out.resolve("groups")).strip().split(" "));
        assertTrue(groups.contains(daemonGid), "the supplementary group: " + groups);
        assertTrue(groups.contains("65534"), "the user's own group: " + groups);
        Run bad = ordo("start", "bad.service");
        assertEquals(1, bad.status());
        assertTrue(bad.err().contains("unknown group in SupplementaryGroups=: no-such-group"), bad.err());
    }

    @Test
    void standardOutputAndErrorGoWhereTheUnitSays() throws Exception {
        // systemd.exec(5): append: adds at the end, truncate: empties first, file: writes from the start without
        // truncating; StandardError= left as it is follows standard output; null discards.
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("appended"), "before\n");
        Files.writeString(out.resolve("truncated"), "old text\n");
        Files.writeString(out.resolve("overwritten"), "0123456789\n");
        String both = "ExecStart=/bin/sh -c 'echo to-stdout; echo to-stderr >&2'\n";
        Path dir = units("appends.service", "[Service]\nType=oneshot\nStandardOutput=append:" + out + "/appended\n" + both);
        units("splits.service", "[Service]\nType=oneshot\nStandardOutput=truncate:" + out + "/truncated\n"
                + "StandardError=null\n" + both);
        units("overwrites.service", "[Service]\nType=oneshot\nStandardOutput=file:" + out + "/overwritten\n"
                + "ExecStart=/bin/echo abc\n");
        units("quiet.service", "[Service]\nType=oneshot\nStandardOutput=null\nStandardError=journal\n" + both);
        units("nowhere.service", "[Service]\nType=oneshot\nStandardOutput=append:" + out + "/missing/x.log\n" + both);
        run(List.of(dir));
        for (String unit : List.of("appends", "splits", "overwrites", "quiet")) {
            Run r = ordo("start", unit + ".service");
            assertEquals(0, r.status(), unit + ": " + r.err());
        }
        assertEquals("before\nto-stdout\nto-stderr\n", Files.readString(out.resolve("appended")));
        assertEquals("to-stdout\n", Files.readString(out.resolve("truncated")), "emptied, and standard error discarded");
        assertEquals("abc\n456789\n", Files.readString(out.resolve("overwritten")), "written from the start, not truncated");
        Path logs = state().resolve("logs");
        assertEquals("to-stderr\n", Files.readString(logs.resolve("quiet.service.log")), "journal is the job's log");
        assertFalse(Files.exists(logs.resolve("appends.service.log")) && Files.size(logs.resolve("appends.service.log")) > 0,
                "nothing of appends.service went to its log");
        Run missing = ordo("start", "nowhere.service");
        assertEquals(1, missing.status());
        assertEquals("ordo: Job failed to start: nowhere.service: main process could not be started: StandardOutput=append:"
                + out + "/missing/x.log: the directory " + out + "/missing does not exist\n", missing.err());
    }
}
