package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.posix.ProcessFacts;
import dev.ordo.executor.posix.ProcessMark;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Resources;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What a restarted supervisor takes as its own ({@link Inheritance}), decided over made-up processes: never a
 * process the kernel shows to be another's, one main process per instance, and every copy of a job either
 * adopted or stopped.
 */
class InheritanceTest {

    static final String SUP = "/var/lib/ordo";
    static final int ROOT = 0;
    static final int SVC = 1000;
    /** A uid ordo never runs anything as. */
    static final int STRANGER = 2000;
    static final Inheritance.Accounts ACCOUNTS = new Inheritance.Accounts(ROOT, user -> user.equals("svc") ? SVC : -1);
    static final Map<String, Job> JOBS = Map.of(
            "db", Job.builder("db", Format.YAML, new Source("ordo.yaml", 1, 1)).build(),
            "web", Job.builder("web", Format.YAML, new Source("ordo.yaml", 2, 1))
                    .resources(new Resources(null, null, null, null, List.of(), "svc", null, null)).build());

    static String inv(int n) {
        return String.format("%032x", n);
    }

    static ProcessFacts proc(int pid, int ppid, long start, int uid, String job, Phase phase, String invocation) {
        ProcessMark m = job == null ? null : new ProcessMark(SUP, job, "", phase, invocation);
        return new ProcessFacts(pid, ppid, start, 'S', uid, "/usr/sbin/" + (job == null ? "other" : job), m);
    }

    static SupervisorState.InstanceState saved(String job, ProcessFacts f, int uid, String invocation, JobGoal goal) {
        return new SupervisorState.InstanceState(job, "", goal, JobState.RUNNING, f.pid(), Instant.EPOCH,
                new SupervisorState.Proof(f.startTime(), uid, "/usr/sbin/" + job, invocation));
    }

    static Inheritance find(SupervisorState saved, List<ProcessFacts> world, boolean adopt) {
        Map<Integer, ProcessFacts> byPid = new HashMap<>();
        for (ProcessFacts f : world) byPid.put(f.pid(), f);
        List<ProcessFacts> marked = world.stream().filter(f -> f.mark() != null).toList();
        return Inheritance.find(saved, marked, byPid::get, SUP, JOBS, ACCOUNTS, adopt);
    }

    static Set<Integer> heirPids(Inheritance i) {
        Set<Integer> s = new HashSet<>();
        for (Inheritance.Heir h : i.heirs()) s.add(h.main().pid());
        return s;
    }

    static Set<Integer> remainPids(Inheritance i) {
        Set<Integer> s = new HashSet<>();
        for (Inheritance.Remains r : i.remains()) s.add(r.process().pid());
        return s;
    }

    @Example
    void withNoStateFileEachJobIsFoundByItsMarkAndAStrangerWithItsMarkIsLeftAlone() {
        ProcessFacts db = proc(100, 1, 500, ROOT, "db", Phase.MAIN, inv(1));
        ProcessFacts worker = proc(101, 100, 510, ROOT, "db", Phase.MAIN, inv(1));
        ProcessFacts web = proc(200, 1, 600, SVC, "web", Phase.MAIN, inv(2));
        ProcessFacts forged = proc(300, 1, 700, STRANGER, "db", Phase.MAIN, inv(3));
        Inheritance i = find(null, List.of(db, worker, web, forged), true);
        assertEquals(Set.of(100, 200), heirPids(i), "the topmost of each start; web runs as its user");
        assertEquals(Set.of(), remainPids(i), "the worker goes with db; the stranger is not ordo's to stop");
        assertEquals(List.of("not taking pid 300 for db: it carries its mark but runs as uid 2000, which ordo does not run it as;"
                + " left alone"), i.notes());
    }

    @Example
    void aSavedProcessMustStillBeWhatWasSaved() {
        ProcessFacts db = proc(100, 1, 500, ROOT, "db", Phase.MAIN, inv(1));
        ProcessFacts unmarked = new ProcessFacts(200, 1, 600, 'S', SVC, "/usr/sbin/web", null);
        SupervisorState s = new SupervisorState(42, Instant.EPOCH, List.of(saved("db", db, ROOT, inv(9), JobGoal.START),
                saved("web", unmarked, SVC, null, JobGoal.START)));
        Inheritance i = find(s, List.of(db, unmarked), true);
        Map<Integer, String> source = new HashMap<>();
        for (Inheritance.Heir h : i.heirs()) source.put(h.main().pid(), h.source());
        assertEquals(Map.of(200, "left running by pid 42", 100, "found by its mark"), source,
                "web: no mark, but the saved executable, start time and uid (a daemon that wrote its title over its environment);"
                        + " db: not the start saved, but one of this supervisor's all the same");
        assertTrue(i.notes().contains("not adopting db (pid 100): it carries the mark of another start (db, " + inv(1) + ")"), i.notes().toString());
        assertEquals(Set.of(100), heirPids(find(s, List.of(db, new ProcessFacts(200, 1, 601, 'S', SVC, "/usr/sbin/web", null)), true)),
                "another start time: a recycled pid");
        assertEquals(Set.of(100), heirPids(find(s, List.of(db, new ProcessFacts(200, 1, 600, 'S', SVC, "/bin/sleep", null)), true)),
                "no mark and another program: nothing shows it is ordo's");
        assertEquals(Set.of(100), heirPids(find(s, List.of(db, new ProcessFacts(200, 1, 600, 'S', ROOT, "/usr/sbin/web", null)), true)),
                "another uid");
        assertEquals("state.json keeps no proof of what it was (written by an older ordo)", Inheritance.disbelief(
                new SupervisorState.InstanceState("db", "", JobGoal.START, JobState.RUNNING, 100, Instant.EPOCH), db, SUP, Set.of(ROOT)));
    }

    @Example
    void copiesAndUnfinishedStartsAreStopped() {
        Inheritance i = find(null, List.of(
                proc(100, 1, 500, ROOT, "db", Phase.MAIN, inv(1)), // an earlier start of db, left by an earlier crash
                proc(200, 1, 900, ROOT, "db", Phase.MAIN, inv(2)),
                proc(300, 1, 950, SVC, "web", Phase.PRE_START, inv(3)), // a start that never reached its main process
                proc(400, 1, 960, ROOT, "removed", Phase.MAIN, inv(4))), true);
        assertEquals(Set.of(200), heirPids(i), "the newest start");
        Map<Integer, String> why = new HashMap<>();
        for (Inheritance.Remains r : i.remains()) why.put(r.process().pid(), r.why());
        assertEquals(Map.of(100, "a second copy, from an earlier start",
                300, "its pre-start process, of a start or stop that was under way",
                400, "the job is no longer configured"), why);
    }

    @Example
    void aJobBeingStoppedAndOrphansStopAreStopped() {
        ProcessFacts db = proc(100, 1, 500, ROOT, "db", Phase.MAIN, inv(1));
        ProcessFacts web = proc(200, 1, 600, SVC, "web", Phase.MAIN, inv(2));
        SupervisorState s = new SupervisorState(42, Instant.EPOCH, List.of(saved("db", db, ROOT, inv(1), JobGoal.STOP)));
        Inheritance i = find(s, List.of(db, web), true);
        assertEquals(Set.of(200), heirPids(i));
        assertEquals(Set.of(100), remainPids(i));
        Inheritance none = find(s, List.of(db, web), false);
        assertEquals(Set.of(), heirPids(none));
        assertEquals(Set.of(100, 200), remainPids(none));
    }

    @Example
    void theMarkReadsBackFromAnEnvironment() {
        ProcessMark m = new ProcessMark(SUP, "getty", "tty1", Phase.POST_START, inv(7));
        List<String> env = new ArrayList<>(List.of("PATH=/bin", "UPSTART_JOB=getty", "UPSTART_INSTANCE=tty1"));
        m.variables().forEach((k, v) -> env.add(k + "=" + v));
        env.add("INVOCATION_ID=" + inv(8)); // a later entry of the same name does not count, as for getenv
        assertEquals(m, ProcessMark.parse((String.join("\0", env) + "\0").getBytes(StandardCharsets.UTF_8)));
        assertNull(ProcessMark.parse("UPSTART_JOB=getty\0INVOCATION_ID=xyz\0".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ProcessMark.isAdded("ORDO_SUPERVISOR=/x") && !ProcessMark.isAdded("UPSTART_JOB=getty"));
    }

    // ---------------------------------------------------------------------------------------------

    record World(List<ProcessFacts> processes, SupervisorState saved) {
    }

    @Provide
    Arbitrary<World> worlds() {
        Arbitrary<ProcessFacts> one = Combinators.combine(
                Arbitraries.integers().between(2, 40),
                Arbitraries.integers().between(1, 40),
                Arbitraries.longs().between(1, 5),
                Arbitraries.of(ROOT, SVC, STRANGER),
                Arbitraries.of("db", "web", "removed").injectNull(0.1),
                Arbitraries.of(Phase.MAIN, Phase.MAIN, Phase.PRE_START, Phase.POST_START),
                Arbitraries.integers().between(1, 6)).as((pid, ppid, start, uid, job, phase, n) -> proc(pid, ppid, start, uid, job, phase, inv(n)));
        return one.list().ofMaxSize(14).uniqueElements(ProcessFacts::pid).flatMap(ps -> {
            Arbitrary<SupervisorState.InstanceState> entry = Combinators.combine(
                    Arbitraries.of(ps.isEmpty() ? List.of(proc(99, 1, 1, ROOT, null, Phase.MAIN, inv(1))) : ps),
                    Arbitraries.of("db", "web", "removed"),
                    Arbitraries.of(ROOT, SVC),
                    Arbitraries.integers().between(1, 6),
                    Arbitraries.of(JobGoal.class),
                    Arbitraries.longs().between(0, 1)).as((f, job, uid, n, goal, skew) -> new SupervisorState.InstanceState(job, "",
                            goal, JobState.RUNNING, f.pid(), Instant.EPOCH, new SupervisorState.Proof(f.startTime() + skew, uid,
                            "/usr/sbin/" + job, inv(n))));
            return entry.list().ofMaxSize(4).injectNull(0.3)
                    .map(es -> new World(ps, es == null ? null : new SupervisorState(42, Instant.EPOCH, es)));
        });
    }

    @Property(tries = 1000)
    void nothingIsTakenThatTheKernelShowsIsAnothersAndEachInstanceEndsWithOneCopy(@ForAll("worlds") World w) {
        Inheritance i = find(w.saved(), w.processes(), true);
        Set<Integer> heirs = heirPids(i);
        Set<Integer> stopped = remainPids(i);
        Set<String> instances = new HashSet<>();
        for (Inheritance.Heir h : i.heirs()) {
            assertTrue(instances.add(h.job() + "/" + h.instance()), "one main process per instance: " + i.heirs());
            assertTrue(JOBS.containsKey(h.job()), "only a configured job is adopted");
            assertFalse(stopped.contains(h.main().pid()), "adopted and stopped");
            assertTrue(ACCOUNTS.of(JOBS.get(h.job())).contains(h.main().uid()) || savedWith(w.saved(), h.main()),
                    "a uid ordo runs the job as, or the one saved with it: " + h);
        }
        for (Inheritance.Remains r : i.remains()) {
            assertFalse(r.process().uid() == STRANGER, "a process of a uid ordo never uses is never signalled: " + r);
        }
        // Every main process of a configured job that ordo could have started is adopted, stopped, or part
        // of the start of the one adopted (a daemon's worker, a launcher's service): no second copy runs on.
        Set<String> adoptedStarts = new HashSet<>();
        for (Inheritance.Heir h : i.heirs()) if (h.invocation() != null) adoptedStarts.add(h.invocation() + h.job());
        for (ProcessFacts f : w.processes()) {
            ProcessMark m = f.mark();
            if (m == null || m.phase() != Phase.MAIN || !JOBS.containsKey(m.job()) || !ACCOUNTS.of(JOBS.get(m.job())).contains(f.uid())) continue;
            assertTrue(heirs.contains(f.pid()) || stopped.contains(f.pid()) || adoptedStarts.contains(m.invocation() + m.job()),
                    "left running without a supervisor: " + f + "\n" + i.heirs() + "\n" + i.remains());
        }
    }

    private static boolean savedWith(SupervisorState s, ProcessFacts f) {
        if (s == null) return false;
        for (SupervisorState.InstanceState e : s.instances()) {
            if (e.mainPid() == f.pid() && e.proof().uid() == f.uid() && e.proof().ticks() == f.startTime()) return true;
        }
        return false;
    }
}
