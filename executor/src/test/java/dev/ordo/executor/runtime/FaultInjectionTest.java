package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.ProcessLines;
import dev.ordo.executor.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * Issue 12, shown with real processes: a supervisor in its own JVM is killed with SIGKILL at a random point
 * of its boot, its shutdown or a reload, its {@code state.json} (and the previous copy) is damaged or not,
 * and it is started again on the same state directory; then every job runs exactly once (the process ordo
 * shows is the one copy), and after a clean shutdown nothing the jobs started is left.
 *
 * <p>The jobs: a simple service with a pre-start, a {@code ready: forking} launcher, a double-forking
 * {@code ready: daemon}, a systemd {@code Type=forking} unit with {@code PIDFile=}, and a control-group job
 * that a reload removes. Each service's process carries {@code RUN-job} in its argv, and every process
 * the jobs start carries {@code FAULT_RUN=RUN} in its environment: the test counts with these, not with
 * what ordo marks its processes with.
 */
class FaultInjectionTest {

    /** Where in the supervisor's life the SIGKILL comes. */
    enum FaultMoment { BOOT, SHUTDOWN, RELOAD }

    /** What happens to the state files between the kill and the restart. */
    enum StateDamage { NONE, TRUNCATED, GARBAGE, BOTH_GARBAGE, BOTH_GONE }

    /**
     * One crash.
     *
     * @param delayMillis from the moment (the supervisor's first line, the shutdown, the reload) to the kill
     * @param cut where a truncated file is cut, as a fraction of its length in thousandths
     */
    record Fault(FaultMoment moment, int delayMillis, StateDamage damage, int cut) {
    }

    static final List<String> JOBS = List.of("simple", "forking", "daemon", "pidfile.service", "extra");
    static final long SETTLE_MILLIS = 30_000;

    @Provide
    Arbitrary<List<Fault>> schedules() {
        Arbitrary<Fault> one = Combinators.combine(
                Arbitraries.of(FaultMoment.class),
                Arbitraries.integers().between(0, 1600),
                Arbitraries.of(StateDamage.class),
                Arbitraries.integers().between(0, 999)).as((m, d, s, c) -> new Fault(m, m == FaultMoment.BOOT ? d : d / 4, s, c));
        return one.list().ofMinSize(1).ofMaxSize(2);
    }

    // Real processes: a shrink would take minutes, and the schedule is in every failure message anyway.
    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void afterEveryCrashEachJobRunsOnceAndNothingOutlivesTheShutdown(@ForAll("schedules") List<Fault> schedule) throws Exception {
        try (FaultScene scene = new FaultScene(schedule)) {
            scene.start();
            for (Fault f : schedule) {
                scene.crash(f);
                scene.damage(f);
                scene.start();
            }
            scene.settled();
            scene.shutdown();
        }
    }

    /**
     * A state.json that is a link, or another user's, stops the restart before it touches anything (the
     * state directory is trusted only when nobody else can change it): the jobs keep running, one copy
     * each, until the file is put right and a restart adopts them.
     */
    @Example
    void aLinkedOrForeignStateFileStopsTheRestartAndLeavesTheJobsAlone() throws Exception {
        Assume.that("root".equals(System.getProperty("user.name"))); // to give the file to another user
        try (FaultScene scene = new FaultScene(List.of())) {
            scene.start();
            scene.settled();
            scene.kill();
            Path json = scene.state.resolve("state.json");
            Path elsewhere = scene.dir.resolve("elsewhere.json");
            Files.move(json, elsewhere);
            Files.createSymbolicLink(json, elsewhere);
            scene.refused(json + " is a link");
            Files.delete(json);
            Files.move(elsewhere, json);
            scene.start();
            scene.settled();
            scene.kill();
            Files.setAttribute(json, "unix:uid", 65534);
            scene.refused(json + " belongs to uid 65534");
            Files.setAttribute(json, "unix:uid", 0);
            scene.start();
            scene.settled();
            scene.shutdown();
        }
    }

    /** One try: its own directory, scripts, configuration and processes. */
    static final class FaultScene implements AutoCloseable {

        final List<Fault> schedule;
        final Path dir;
        final Path state;
        final String run;
        final Path yaml;
        final Path unit;
        final Set<String> expected = new TreeSet<>(JOBS);
        final StringBuilder history = new StringBuilder();
        Process ordo;
        ProcessLines out;

        FaultScene(List<Fault> schedule) throws IOException {
            this.schedule = schedule;
            this.dir = Files.createTempDirectory("ordo-fault");
            this.state = dir.resolve("state");
            this.run = "ordo-fault-" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
            Files.writeString(dir.resolve("daemon.sh"), """
                    # The service: $1 its name (in argv, where copies are counted), $2 a file for its pid, or nothing.
                    [ -n "$2" ] && echo $$ > "$2"
                    trap 'kill $! 2>/dev/null; exit 0' TERM
                    while :; do sleep 5 & wait $!; done
                    """);
            // Long enough that a supervisor started again after a kill can still find it running.
            Files.writeString(dir.resolve("launch.sh"), """
                    # A launcher: starts the service ($1, $2 as daemon.sh's), sets up, then exits.
                    sh "$(dirname "$0")/daemon.sh" "$1" "$2" &
                    sleep 1.2
                    """);
            this.yaml = dir.resolve("ordo.yaml");
            Files.writeString(yaml, config(true));
            this.unit = dir.resolve("pidfile.service");
            Files.writeString(unit, """
                    [Service]
                    Type=forking
                    PIDFile=%1$s/pidfile.pid
                    Environment=FAULT_RUN=%2$s
                    ExecStart=/bin/sh %1$s/launch.sh %2$s-pidfile.service %1$s/pidfile.pid
                    """.formatted(dir, run));
        }

        String config(boolean withExtra) {
            String env = "    env: {FAULT_RUN: " + run + "}\n";
            String daemon = "sh " + dir.resolve("daemon.sh") + " " + run;
            return "jobs:\n"
                    + "  simple:\n    exec: " + daemon + "-simple\n    pre_start: sleep 0.2\n    wants: [pidfile.service]\n" + env
                    + "  forking:\n    exec: sh " + dir.resolve("launch.sh") + " " + run + "-forking\n    ready: forking\n"
                    + "    start_on: started simple\n" + env
                    + "  daemon:\n    exec: sh -c '(setsid " + daemon + "-daemon &) ; exit 0'\n    ready: daemon\n"
                    + "    start_on: started simple\n" + env
                    + (withExtra ? "  extra:\n    exec: " + daemon + "-extra\n    kill: {mode: control-group}\n" + env : "");
        }

        void start() throws IOException, InterruptedException {
            List<String> cmd = ForkedOrdo.command("run", "--state-dir", state.toString(), yaml.toString(), unit.toString());
            ordo = ForkedOrdo.start(cmd);
            out = ProcessLines.of(ordo, SETTLE_MILLIS);
            history.append("\n--- ordo run (pid ").append(ordo.pid()).append(")");
        }

        void kill() throws InterruptedException {
            ordo.destroyForcibly(); // SIGKILL
            assertTrue(ordo.waitFor(SETTLE_MILLIS, TimeUnit.MILLISECONDS), "the killed supervisor is gone");
            out.join(1000);
            history.append("\n").append(out.text()).append("\n--- SIGKILL");
        }

        /** A start that must not happen: ordo run says {@code why} and ends with 2, and the jobs still run once each. */
        void refused(String why) throws Exception {
            start();
            assertTrue(ordo.waitFor(SETTLE_MILLIS, TimeUnit.MILLISECONDS), "ordo run refused to start");
            out.join(1000);
            assertEquals(2, ordo.exitValue(), out.text());
            assertTrue(out.text().contains(why), out.text());
            Map<String, List<Long>> services = services(processes());
            for (String job : expected) assertEquals(1, services.getOrDefault(job, List.of()).size(), job + ": " + services);
        }

        void crash(Fault f) throws Exception {
            String what = "\n--- " + f + " of pid " + ordo.pid();
            if (f.moment() == FaultMoment.BOOT) {
                out.awaitLine("ordo: running as pid");
            } else {
                settled();
                if (f.moment() == FaultMoment.SHUTDOWN) {
                    ForkedOrdo.signal(ordo.pid(), "TERM");
                } else {
                    // A reload that removes a job: its processes must be gone after the restart too.
                    Files.writeString(yaml, config(false));
                    expected.remove("extra");
                    ForkedOrdo.signal(ordo.pid(), "HUP");
                }
            }
            // Not a wait for anything: the point of the kill is the fault being injected.
            Thread.sleep(f.delayMillis());
            kill();
            history.append(what);
        }

        void damage(Fault f) throws IOException {
            Path json = state.resolve("state.json");
            Path prev = state.resolve("state.json.prev");
            switch (f.damage()) {
                case NONE -> {
                }
                case TRUNCATED -> {
                    if (Files.exists(json)) {
                        byte[] b = Files.readAllBytes(json);
                        Files.write(json, java.util.Arrays.copyOf(b, (int) ((long) b.length * f.cut() / 1000)));
                    }
                }
                case GARBAGE -> garbage(json, f.cut());
                case BOTH_GARBAGE -> {
                    garbage(json, f.cut());
                    garbage(prev, f.cut() + 1);
                }
                case BOTH_GONE -> {
                    Files.deleteIfExists(json);
                    Files.deleteIfExists(prev);
                }
            }
        }

        private static void garbage(Path file, int seed) throws IOException {
            if (!Files.exists(file)) return;
            byte[] b = new byte[1 + seed % 300];
            new Random(seed).nextBytes(b);
            Files.write(file, b);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }

        /**
         * Waits until every expected job runs exactly once (its one service process, no launcher left, and
         * ordo shows that process) and no other process of the jobs is left; fails with the counts if that
         * does not come.
         */
        void settled() throws InterruptedException, IOException {
            long deadline = System.nanoTime() + SETTLE_MILLIS * 1_000_000;
            while (true) {
                String problem = problem();
                if (problem == null) return;
                if (System.nanoTime() > deadline || !ordo.isAlive()) {
                    throw new AssertionError(problem + "\nschedule: " + schedule + history + "\n" + out.text());
                }
                Thread.sleep(50);
            }
        }

        /** What is not yet as it must be, or null. */
        String problem() throws IOException {
            List<ProcInfo> all = processes();
            Map<String, List<Long>> services = services(all);
            Map<String, List<Long>> launchers = byScript(all, "/launch.sh");
            Map<String, Long> listed = listed();
            for (String job : JOBS) {
                List<Long> s = services.getOrDefault(job, List.of());
                if (!expected.contains(job)) {
                    if (!s.isEmpty()) return job + " was removed, yet runs as " + s;
                    continue;
                }
                if (s.size() != 1) return job + " runs " + s.size() + " times: " + s;
                if (launchers.containsKey(job)) return job + "'s launcher is still there: " + launchers.get(job);
                if (!s.get(0).equals(listed.get(job))) return job + " runs as " + s.get(0) + ", ordo shows " + listed.get(job);
            }
            // Nothing else: only the services and the sleep each one waits on.
            Set<Long> ok = new TreeSet<>();
            for (List<Long> s : services.values()) ok.addAll(s);
            for (ProcInfo p : all) {
                if (!ok.contains(p.pid()) && !ok.contains(p.ppid())) return "left over: " + p;
            }
            return null;
        }

        /** Each job's service processes (daemon.sh with the job's name). */
        Map<String, List<Long>> services(List<ProcInfo> all) {
            return byScript(all, "/daemon.sh");
        }

        private Map<String, List<Long>> byScript(List<ProcInfo> all, String script) {
            Map<String, List<Long>> m = new TreeMap<>();
            for (ProcInfo p : all) {
                for (String job : JOBS) {
                    if (p.args().contains(run + "-" + job) && p.args().stream().anyMatch(a -> a.endsWith(script))) {
                        m.computeIfAbsent(job, k -> new ArrayList<>()).add(p.pid());
                    }
                }
            }
            return m;
        }

        /** What `ordo list` shows: job → main pid, for the instances start/running. */
        Map<String, Long> listed() {
            StringWriter text = new StringWriter();
            Main.execute(new String[] {"list", "--state-dir", state.toString()}, new PrintWriter(text), new PrintWriter(new StringWriter()));
            Map<String, Long> m = new HashMap<>();
            for (String l : text.toString().split("\n")) {
                int at = l.indexOf(" start/running, process ");
                if (at > 0) m.put(l.substring(0, at), Long.parseLong(l.substring(l.lastIndexOf(' ') + 1)));
            }
            return m;
        }

        /** A live process the jobs started (FAULT_RUN in its environment). */
        record ProcInfo(long pid, long ppid, List<String> args) {
        }

        List<ProcInfo> processes() throws IOException {
            String want = "\0FAULT_RUN=" + run + "\0";
            List<ProcInfo> out = new ArrayList<>();
            try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) continue;
                    try {
                        if (!("\0" + new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8)).contains(want)) continue;
                        String stat = Files.readString(p.resolve("stat"));
                        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                        if (f[0].equals("Z") || f[0].equals("X")) continue;
                        List<String> args = List.of(new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).split("\0"));
                        out.add(new ProcInfo(Long.parseLong(name), Long.parseLong(f[1]), args));
                    } catch (IOException | RuntimeException e) {
                        // ended meanwhile
                    }
                }
            }
            out.sort(Comparator.comparingLong(ProcInfo::pid));
            return out;
        }

        /** A clean shutdown: exit 0, and no process of the jobs left. */
        void shutdown() throws Exception {
            ForkedOrdo.signal(ordo.pid(), "TERM");
            assertTrue(ordo.waitFor(SETTLE_MILLIS, TimeUnit.MILLISECONDS), "ordo run ended");
            out.join(1000);
            assertEquals(0, ordo.exitValue(), "schedule: " + schedule + history + "\n" + out.text());
            awaitNone();
        }

        /** Adopted processes are not ordo's children: init may take a moment to reap them once they end. */
        void awaitNone() throws Exception {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!processes().isEmpty() && System.nanoTime() < deadline) Thread.sleep(50);
            assertEquals(List.of(), processes(), "nothing outlives the shutdown; schedule: " + schedule + history + "\n" + out.text());
        }

        @Override
        public void close() throws Exception {
            if (ordo != null && ordo.isAlive()) {
                ordo.destroyForcibly();
                ordo.waitFor(SETTLE_MILLIS, TimeUnit.MILLISECONDS);
            }
            for (ProcInfo p : processes()) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
            } catch (IOException e) {
                // a socket or log still being closed: the temporary directory is the system's to clean
            }
        }
    }
}
