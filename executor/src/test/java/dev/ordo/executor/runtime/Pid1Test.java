package dev.ordo.executor.runtime;

import dev.ordo.executor.ProcessLines;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ordo run} as PID 1 of a new PID namespace ({@code unshare --pid --fork --mount-proc}), watched
 * from outside through the host's /proc: orphans are reaped, a TERM shuts the tree down in order, and
 * a SIGHUP with a broken file keeps the running configuration. Needs root and a working unshare.
 */
class Pid1Test {

    static final long WAIT_MILLIS = 15_000;

    @TempDir
    Path tmp;

    Process unshare;
    ProcessLines output;

    @AfterEach
    void end() throws Exception {
        if (unshare != null && unshare.isAlive()) {
            // Killing PID 1 of the namespace kills everything in it.
            unshare.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            unshare.destroyForcibly();
            unshare.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    static boolean unshareWorks() {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        try {
            Process p = new ProcessBuilder("unshare", "--pid", "--fork", "--mount-proc", "true")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    List<String> lines() {
        return output.lines();
    }

    void awaitLine(String prefix) throws InterruptedException {
        output.awaitLine(prefix);
    }

    int index(String prefix) {
        return output.index(prefix);
    }

    /** Fields of /proc/PID/stat after the command name: [0] is the state, [1] the parent; null when gone. */
    static String[] stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return s.substring(s.lastIndexOf(')') + 2).split(" ");
        } catch (IOException e) {
            return null;
        }
    }

    static String cmdline(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** Host pids whose command line is {@code cmd}. */
    static List<Long> find(String cmd) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/proc"))) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (n.chars().allMatch(Character::isDigit) && cmdline(Long.parseLong(n)).equals(cmd)) pids.add(Long.parseLong(n));
            }
        }
        return pids;
    }

    static void eventually(String what, java.util.function.BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void asPid1ItReapsOrphansKeepsItsConfigOnABrokenReloadAndShutsDownInOrder() throws Exception {
        Assumptions.assumeTrue(unshareWorks(), "unshare --pid --fork --mount-proc needs root here");
        Path yaml = tmp.resolve("ordo.yaml");
        // The daemon's child outlives its parent: it is reparented to PID 1, the supervisor, which must reap it.
        String good = """
                jobs:
                  db:
                    exec: sleep 1001
                    start_on: startup
                  web:
                    exec: sleep 1002
                    start_on: startup
                    after: [db]
                  orphaner:
                    task: true
                    start_on: started web
                    exec: sh -c 'sh -c "sleep 2.5 &"; exit 0'
                """;
        Files.writeString(yaml, good);
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        cmd.addAll(ForkedOrdo.command("run", "--state-dir", tmp.resolve("state").toString(), yaml.toString()));
        unshare = ForkedOrdo.start(cmd);
        output = ProcessLines.of(unshare);

        awaitLine("[  OK  ] Started db");
        awaitLine("[  OK  ] Started web");
        awaitLine("[  OK  ] Finished orphaner");
        assertTrue(lines().stream().anyMatch(l -> l.startsWith("ordo: running as pid 1,")), String.join("\n", lines()));

        // The supervisor as the host sees it: the only child of unshare.
        List<ProcessHandle> kids = unshare.toHandle().children().toList();
        assertEquals(1, kids.size(), kids.toString());
        long supervisor = kids.get(0).pid();

        List<Long> orphans = find("sleep 2.5");
        assertEquals(1, orphans.size(), "the orphan, while it sleeps");
        long orphan = orphans.get(0);
        assertEquals(Long.toString(supervisor), stat(orphan)[1], "reparented to PID 1 of the namespace");
        // It ends after its sleep; the supervisor must reap it: gone, not a zombie.
        eventually("the orphan " + orphan + " is reaped (state " + (stat(orphan) == null ? "gone" : stat(orphan)[0]) + ")",
                () -> stat(orphan) == null);

        long db = find("sleep 1001").get(0);
        long web = find("sleep 1002").get(0);

        // A broken file on SIGHUP: the running configuration is kept, and the log says why.
        Files.writeString(yaml, good.replace("    start_on: startup\n    after", "    strat_on: startup\n    after"));
        ForkedOrdo.signal(supervisor, "HUP");
        awaitLine("ordo: reload: the configuration has 1 error; the running one is kept");
        assertTrue(stat(db) != null && stat(web) != null, "the jobs still run");

        ForkedOrdo.signal(supervisor, "TERM");
        assertTrue(unshare.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run and unshare ended");
        output.join(5000);
        assertEquals(0, unshare.exitValue(), String.join("\n", lines()));
        assertTrue(index("[  OK  ] Stopped web") < index("[  OK  ] Stopped db"), String.join("\n", lines()));
        awaitLine("ordo: shutdown complete");
        assertEquals(null, stat(db));
        assertEquals(null, stat(web));
        assertEquals(null, stat(supervisor));
    }

    /** As PID 1, ordo is the machine's init: the early boot (sysinit.target's units) runs without being told. */
    @Test
    void asPid1TheEarlyBootRuns() throws Exception {
        Assumptions.assumeTrue(unshareWorks(), "unshare --pid --fork --mount-proc needs root here");
        Path units = StartChecksRunTest.tree(tmp);
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc"));
        cmd.addAll(ForkedOrdo.command("run", "--state-dir", tmp.resolve("state").toString(), units.toString()));
        unshare = ForkedOrdo.start(cmd);
        output = ProcessLines.of(unshare);
        awaitLine("[  OK  ] Started app.service");
        assertTrue(Files.exists(tmp.resolve("out/early")), String.join("\n", lines()));
        assertTrue(lines().stream().noneMatch(l -> l.contains("early.service skipped")), String.join("\n", lines()));
        long supervisor = unshare.toHandle().children().toList().get(0).pid();
        ForkedOrdo.signal(supervisor, "TERM");
        assertTrue(unshare.waitFor(WAIT_MILLIS, TimeUnit.MILLISECONDS), "ordo run and unshare ended");
    }
}
