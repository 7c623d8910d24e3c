package dev.ordo.executor.cli;


import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.executor.cli.CheckCommandTest.Run;
import dev.ordo.executor.control.ControlClient;
import dev.ordo.executor.control.ControlServer;
import dev.ordo.executor.control.ControlRequest;
import dev.ordo.executor.control.Responder;
import dev.ordo.planner.engine.Input;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a scripted supervisor on a real socket: requests, output, exit codes. */
class ClientCommandsTest {

    @TempDir
    Path state;

    final List<ControlRequest> seen = new CopyOnWriteArrayList<>();
    ControlServer server;

    @AfterEach
    void stop() {
        if (server != null) server.close();
    }

    void scripted(ControlRequest r, Responder a) {
        seen.add(r);
        switch (r.cmd()) {
            case START -> {
                if ("hal".equals(r.name())) a.ok("hal start/running, process 1234");
                else a.error("Unknown job: " + r.name());
            }
            case STOP -> a.error("Job has already been stopped: " + r.name());
            case RESTART -> a.ok(r.name() + " start/running, process 1235");
            case STATUS -> {
                switch (r.name()) {
                    case "dbus" -> a.ok("dbus start/running, process 99");
                    case "getty" -> a.ok("getty (tty1) start/running, process 7\ngetty (tty2) stop/waiting");
                    case "nosuch" -> a.error("Unknown job: nosuch");
                    case "broken" -> a.error("Env must be KEY=VALUE pairs");
                    default -> a.ok(r.name() + " stop/waiting");
                }
            }
            case LIST -> a.ok("dbus start/running, process 99\nhal stop/waiting");
            case EMIT -> a.error("Event failed");
            case RELOAD -> a.ok("");
            case SHUTDOWN -> a.ok("");
            case LOG -> {
                a.line("first");
                a.line("second");
                a.ok(""); // the supervisor ends the stream here; a real one follows until the client goes
            }
            default -> throw new AssertionError(r);
        }
    }

    void supervisor() throws IOException {
        server = ControlServer.start(ControlClient.socketIn(state), this::scripted, ControlServer.Limits.defaults(),
                m -> { });
    }

    Run client(String... args) {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--state-dir";
        all[args.length + 1] = state.toString();
        return ordo(all);
    }

    @Test
    void successPrintsTheAnswerAndExitsZero() throws Exception {
        supervisor();
        Run r = client("start", "hal");
        assertEquals(new Run(0, "hal start/running, process 1234\n", ""), r);
        assertEquals(new ControlRequest(1, ControlRequest.Cmd.START, "hal", null, List.of(), true, false, -1, null), seen.get(0));
        assertEquals(new Run(0, "hal start/running, process 1235\n", ""), client("restart", "hal", "--no-wait"));
        assertEquals(false, seen.get(1).waits());
        assertEquals(new Run(3, "hal stop/waiting\n", ""), client("status", "hal", "TTY=tty1"));
        assertEquals(List.of("TTY=tty1"), seen.get(2).env());
        assertEquals(new Run(0, "dbus start/running, process 99\nhal stop/waiting\n", ""), client("list"));
        assertEquals(new Run(0, "dbus start/running, process 99\nhal stop/waiting\n", ""), client("status"));
        assertEquals(ControlRequest.Cmd.LIST, seen.get(4).cmd());
        assertEquals(new Run(0, "", ""), client("reload"));
        assertEquals(new Run(0, "", ""), client("shutdown"));
        assertEquals(new Run(0, "first\nsecond\n", ""), client("log", "getty", "-i", "tty1", "-f", "-n", "20"));
        assertEquals(new ControlRequest(1, ControlRequest.Cmd.LOG, "getty", "tty1", List.of(), true, true, 20, null), seen.get(7));
    }

    /** LSB's codes, as systemctl status gives them: scripts can ask "is it running?" (was 0 for a stopped job). */
    @Test
    void statusExitsZeroWhenRunningThreeWhenNotFourWhenUnknown() throws Exception {
        supervisor();
        assertEquals(0, client("status", "dbus").status());
        assertEquals(3, client("status", "hal").status());
        assertEquals(3, client("status", "getty").status(), "one of its instances is not running");
        assertEquals(new Run(4, "", "ordo: Unknown job: nosuch\n"), client("status", "nosuch"));
        assertEquals(1, client("status", "broken").status(), "a failure to answer is no status");
        assertEquals(0, client("status").status(), "the list of every job is a listing");
    }

    @Test
    void aFailedCommandExitsOneWithTheSupervisorsWords() throws Exception {
        supervisor();
        assertEquals(new Run(1, "", "ordo: Unknown job: hla\n"), client("start", "hla"));
        assertEquals(new Run(1, "", "ordo: Job has already been stopped: hal\n"), client("stop", "hal", "--no-wait"));
        assertEquals(new Run(1, "", "ordo: Event failed\n"), client("emit", "tty-added", "TTY=tty1", "--no-wait"));
        assertEquals(new ControlRequest(1, ControlRequest.Cmd.EMIT, "tty-added", null, List.of("TTY=tty1"), false, false, -1, null),
                seen.get(2));
    }

    /** The logs outlive the supervisor: `ordo log` reads the files when none runs (it said "no supervisor"). */
    @Test
    void logReadsTheFilesWhenNoSupervisorRuns() throws Exception {
        Path logs = Files.createDirectories(state.resolve("logs"));
        Files.writeString(logs.resolve("web.log.1"), "old 1\nold 2\n");
        Files.writeString(logs.resolve("web.log"), "new 1\nnew 2\n");
        Files.writeString(logs.resolve("getty-tty1.log"), "login:\n");
        assertEquals(new Run(0, "old 1\nold 2\nnew 1\nnew 2\n", ""), client("log", "web"));
        assertEquals(new Run(0, "new 2\n", ""), client("log", "web", "-n", "1"));
        assertEquals(new Run(0, "login:\n", ""), client("log", "getty", "-i", "tty1"));
        assertEquals(new Run(0, "new 2\n", "ordo: no supervisor at " + state + ": the log as it is; nothing writes to it to follow\n"),
                client("log", "web", "-n", "1", "-f"));
        assertEquals(new Run(2, "", "ordo: no supervisor at " + state + ", and no log of api in " + logs + "\n"),
                client("log", "api"));
    }

    @Test
    void noSupervisorIsSaidPlainly() throws Exception {
        Run r = client("status", "hal");
        assertEquals(new Run(2, "", "ordo: no supervisor at " + state + " (is `ordo run` running?)\n"), r);
        // A socket left behind by a supervisor that died: the file is there, nobody listens.
        supervisor();
        Path socket = ControlClient.socketIn(state);
        Files.move(socket, state.resolve("kept"));
        server.close();
        Files.move(state.resolve("kept"), socket);
        assertEquals(r, client("status", "hal"));
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        supervisor();
        assertEquals(new Run(2, "", "ordo: start needs a JOB (it is left out only inside a job)\n"), client("start"));
        assertEquals(new Run(2, "", "ordo: start needs a JOB (it is left out only inside a job)\n"),
                client("start", "K=V"));
        assertEquals(new Run(2, "", "ordo: status needs a JOB before its K=V arguments\n"), client("status", "K=V"));
        assertEquals(new Run(2, "", "ordo: --lines must be 0 or more\n"), client("log", "hal", "-n", "-1"));
        Run r = client("emit");
        assertEquals(2, r.status());
        assertTrue(r.err().startsWith("ordo: Missing required parameter: 'EVENT'"), r.err());
        assertEquals(List.of(), seen, "nothing was sent");
    }

    /** In a JVM of its own, as a user runs it: finds the supervisor through ORDO_STATE_DIR, loads no native code. */
    @Test
    void aClientCommandLoadsNoNativeCode() throws Exception {
        supervisor();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "start", "hal");
        pb.environment().put("ORDO_STATE_DIR", state.toString());
        pb.environment().remove("UPSTART_JOB");
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(0, p.exitValue(), out);
        List<String> lines = out.lines().collect(Collectors.toList());
        assertTrue(lines.contains("hal start/running, process 1234"), out);
        List<String> loaded = new ArrayList<>();
        for (String l : lines) if (l.startsWith("[") && l.contains("[class,load]")) loaded.add(l);
        assertTrue(loaded.size() > 100, "-verbose:class worked: " + loaded.size());
        List<String> forbidden = loaded.stream()
                .filter(l -> l.contains(" jnr.") || l.contains("dev.ordo.executor.posix.")
                        || l.contains("dev.ordo.executor.runtime.") || l.contains("dev.ordo.executor.control.ControlServer")
                        || l.contains("dev.ordo.planner.engine.Engine "))
                .collect(Collectors.toList());
        assertEquals(List.of(), forbidden);
        assertFalse(loaded.stream().anyMatch(l -> l.contains("com.fasterxml.jackson.databind.")),
                "jackson-core only: databind is slow to load");
        System.out.println("ordo start in a fresh JVM: " + ms + " ms, " + loaded.size() + " classes");

        // Inside a job, a command without a JOB is about the job itself.
        ProcessBuilder inside = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "restart", "--no-wait", "--state-dir", state.toString());
        inside.environment().put("UPSTART_JOB", "getty");
        inside.environment().put("UPSTART_INSTANCE", "tty1");
        inside.redirectErrorStream(true);
        Process q = inside.start();
        String said = new String(q.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(q.waitFor(30, TimeUnit.SECONDS));
        assertEquals("null start/running, process 1235\n", said);
        assertEquals(new ControlRequest(1, ControlRequest.Cmd.RESTART, null, null, List.of(), false, false, -1,
                new Input.Caller("getty", "tty1")), seen.get(1));
    }

    /** Refused for want of room, the client says why and that nothing was done (it said only "Broken pipe"). */
    @Test
    void aRefusedClientSaysWhyAndExitsTwo() throws Exception {
        server = ControlServer.start(ControlClient.socketIn(state), this::scripted,
                ControlServer.Limits.defaults().withConnections(1, 8, 8), m -> { });
        try (SocketChannel idle = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            idle.connect(UnixDomainSocketAddress.of(server.socket()));
            assertEquals(new Run(2, "", "ordo: too many idle connections (1); try again in 10s\n"), client("status", "hal"));
        }
        assertEquals(List.of(), seen, "nothing was asked");
    }

    /**
     * A user who may not use the socket is told so, not that there is no supervisor (which also sent
     * `ordo log` to read files it may not read either). As root without capabilities, so that the kernel's
     * own checks apply: first the socket's directory is closed to it, then the socket itself.
     */
    @Test
    void aUserWhoMayNotReachTheSocketIsToldPermissionDenied() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root to give the socket to another user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")));
        supervisor();
        Path socket = server.socket();
        UserPrincipal nobody = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(socket.getParent(), nobody);
        Files.setOwner(socket, nobody);
        String denied = "ordo: permission denied: " + socket + " (run as root or as the supervisor's user)\n";
        assertEquals(new Run(2, "", denied), withoutPrivilege("status", "hal"));
        assertEquals(new Run(2, "", denied), withoutPrivilege("log", "web"));
        Files.setPosixFilePermissions(socket.getParent(), PosixFilePermissions.fromString("rwx--x--x"));
        assertEquals(new Run(2, "", denied), withoutPrivilege("status", "hal"), "the directory is open, the socket is not");
        assertEquals(List.of(), seen);
    }

    /** `ordo ARGS --state-dir STATE` in a JVM of its own, as root without any capability (setpriv). */
    Run withoutPrivilege(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--bounding-set=-all", "--inh-caps=-all",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("--state-dir", state.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("UPSTART_JOB");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out, err);
    }
}
