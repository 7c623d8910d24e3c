package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.ProcessFacts;
import dev.ordo.executor.posix.ProcessMark;
import dev.ordo.planner.engine.JobGoal;
import dev.ordo.planner.engine.JobState;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * What the dead supervisors of a state directory left running, and what of it the new one takes as its own:
 * the main process to adopt for each job instance, the processes to stop before the boot, and why the rest
 * is left alone. Decided from the newest readable {@code state.json} and from the live processes that carry
 * the directory's {@link ProcessMark}, so that a start the file had not caught up with yet, or a file lost
 * altogether, still ends with one copy of each job.
 *
 * <p>What is believed (docs/reliability.md, "Adoption: what ordo believes"):
 * <ul>
 * <li>A process the file names is its main process only if the kernel still shows what was saved: the same
 *     start time (so the same process, not a recycled pid) and the same real uid; and it carries the mark of
 *     that very start (the saved INVOCATION_ID) or, where it has overwritten its environment (a daemon that
 *     rewrites its title over it), runs the saved executable. Never a pid alone.</li>
 * <li>A process found by its mark alone proves nothing by that: any process may put any environment in its
 *     children. It is taken only if it runs as a uid that ordo runs the job as (ordo's own, or the job's
 *     {@code user}), which only that user or root can give a process: someone who could already signal,
 *     trace or replace the job's processes. Anything else marked is left alone, never signalled.</li>
 * </ul>
 * Pure: the processes are given, already read.
 */
final class Inheritance {

    /**
     * A main process to adopt.
     *
     * @param invocation the INVOCATION_ID of its start, or null when unknown (a process without its mark)
     * @param started whether its start was known to be over (past {@code spawned}): if not, it may be a
     *     launcher that will still leave its daemon behind ({@code ready: forking})
     * @param source how it was found, for the log: "left running by pid N", "found by its mark"
     */
    record Heir(String job, String instance, ProcessFacts main, String invocation, boolean started, String source) {
    }

    /** A process to stop before the boot, and why. */
    record Remains(ProcessFacts process, String job, String instance, String why) {
    }

    /** Which uids ordo runs a job as: its own, and the job's {@code user}. */
    record Accounts(int own, ToIntFunction<String> uidOf) {

        Set<Integer> of(Job job) {
            Set<Integer> s = new HashSet<>();
            s.add(own);
            String user = job == null ? null : job.resources().user();
            if (user != null) {
                int u = uidOf.applyAsInt(user);
                if (u >= 0) s.add(u);
            }
            return s;
        }
    }

    private final List<Heir> heirs;
    private final List<Remains> remains;
    private final List<String> notes;

    private Inheritance(List<Heir> heirs, List<Remains> remains, List<String> notes) {
        this.heirs = heirs;
        this.remains = remains;
        this.notes = notes;
    }

    List<Heir> heirs() {
        return heirs;
    }

    List<Remains> remains() {
        return remains;
    }

    /** What was found and not believed, one line each, for the log. */
    List<String> notes() {
        return notes;
    }

    /**
     * One way of finding a main process for an instance.
     *
     * @param start the main process and the other processes of its start (stopped with it, if it is)
     * @param saved whether state.json names it
     */
    private record Candidate(Heir heir, List<ProcessFacts> start, boolean saved, boolean stopping) {
    }

    /**
     * @param saved the newest readable state, or null
     * @param marked the live processes carrying {@code supervisor}'s mark
     * @param look the facts of one pid now, or null when it has ended
     * @param jobs the jobs configured now
     * @param adopt false for {@code --orphans stop}: everything found is stopped
     */
    static Inheritance find(SupervisorState saved, List<ProcessFacts> marked, IntFunction<ProcessFacts> look, String supervisor,
                            Map<String, Job> jobs, Accounts accounts, boolean adopt) {
        List<String> notes = new ArrayList<>();
        Map<String, List<Candidate>> byInstance = new TreeMap<>();
        Map<String, List<ProcessFacts>> starts = starts(marked);
        Set<String> claimed = new HashSet<>();
        if (saved != null) {
            for (SupervisorState.InstanceState i : saved.instances()) {
                if (i.mainPid() <= 0) continue;
                ProcessFacts f = look.apply(i.mainPid());
                if (f == null) continue; // it ended: the boot starts the job as usual
                Job job = jobs.get(i.job());
                String why = disbelief(i, f, supervisor, accounts.of(job));
                if (why != null) {
                    notes.add("not adopting " + ConsoleOutput.label(i.job(), i.instance()) + " (pid " + f.pid() + "): " + why);
                    continue;
                }
                String invocation = f.mark() != null ? f.mark().invocation() : null;
                List<ProcessFacts> start = new ArrayList<>(List.of(f));
                if (invocation != null) {
                    claimed.add(startKey(f.mark()));
                    for (ProcessFacts o : starts.getOrDefault(startKey(f.mark()), List.of())) {
                        if (o.pid() != f.pid() && (o.uid() == f.uid() || accounts.of(job).contains(o.uid()))) start.add(o);
                    }
                }
                boolean started = i.state().ordinal() > JobState.SPAWNED.ordinal();
                Heir h = new Heir(i.job(), i.instance(), f, invocation, started, "left running by pid " + saved.pid());
                add(byInstance, new Candidate(h, start, true, i.goal() == JobGoal.STOP));
            }
        }
        List<Remains> remains = new ArrayList<>();
        for (Map.Entry<String, List<ProcessFacts>> e : starts.entrySet()) {
            if (claimed.contains(e.getKey())) continue;
            ProcessMark m = e.getValue().get(0).mark();
            Job job = jobs.get(m.job());
            Set<Integer> uids = accounts.of(job);
            List<ProcessFacts> trusted = new ArrayList<>();
            for (ProcessFacts f : e.getValue()) {
                if (uids.contains(f.uid())) {
                    trusted.add(f);
                } else {
                    notes.add("not taking pid " + f.pid() + " for " + ConsoleOutput.label(m.job(), m.instance()) + ": it carries its mark"
                            + " but runs as uid " + f.uid() + ", which ordo does not run it as; left alone");
                }
            }
            if (trusted.isEmpty()) continue;
            if (job == null) {
                for (ProcessFacts f : trusted) remains.add(new Remains(f, m.job(), m.instance(), "the job is no longer configured"));
                continue;
            }
            ProcessFacts main = topmostMain(trusted);
            if (main == null) {
                for (ProcessFacts f : trusted) {
                    remains.add(new Remains(f, m.job(), m.instance(), "its " + f.mark().phase().processName()
                            + " process, of a start or stop that was under way"));
                }
                continue;
            }
            Heir h = new Heir(m.job(), m.instance(), main, m.invocation(), false, "found by its mark");
            add(byInstance, new Candidate(h, trusted, false, false));
        }
        List<Heir> heirs = new ArrayList<>();
        for (List<Candidate> cs : byInstance.values()) {
            // The one the file names; else the newest start: the older ones are copies an earlier crash left.
            Candidate chosen = cs.stream().filter(Candidate::saved).findFirst()
                    .orElseGet(() -> cs.stream().max(Comparator.comparingLong(c -> c.heir().main().startTime())).get());
            for (Candidate c : cs) {
                String why;
                if (c != chosen) why = "a second copy, from an earlier start";
                else if (c.stopping()) why = "it was being stopped when its supervisor died";
                else if (!jobs.containsKey(c.heir().job())) why = "the job is no longer configured";
                else if (!adopt) why = "--orphans stop";
                else {
                    heirs.add(c.heir());
                    continue;
                }
                for (ProcessFacts f : c.start()) remains.add(new Remains(f, c.heir().job(), c.heir().instance(), why));
            }
        }
        return new Inheritance(heirs, dedupe(remains), notes);
    }

    /**
     * Why the process a saved instance names is not believed to be its main process, or null when it is:
     * see the class comment.
     */
    static String disbelief(SupervisorState.InstanceState i, ProcessFacts f, String supervisor, Set<Integer> uids) {
        SupervisorState.Proof p = i.proof();
        if (p == null) return "state.json keeps no proof of what it was (written by an older ordo)";
        if (p.ticks() != f.startTime()) return "the pid belongs to another process now";
        if (p.uid() >= 0 ? f.uid() != p.uid() : !uids.contains(f.uid())) {
            return "it runs as uid " + f.uid() + ", not as the process saved did";
        }
        ProcessMark m = f.mark();
        if (m != null) {
            boolean same = m.supervisor().equals(supervisor) && m.job().equals(i.job()) && m.instance().equals(i.instance())
                    && m.phase() == Phase.MAIN && (p.invocation() == null || p.invocation().equals(m.invocation()));
            return same ? null : "it carries the mark of another start (" + m.job() + ", " + m.invocation() + ")";
        }
        if (ProcessFacts.sameExecutable(f.exe(), p.exe())) return null;
        return "it carries no mark of ordo's and does not run the executable saved (" + p.exe() + ")";
    }

    /** The marked processes by start: job, instance and invocation. */
    private static Map<String, List<ProcessFacts>> starts(List<ProcessFacts> marked) {
        Map<String, List<ProcessFacts>> m = new LinkedHashMap<>();
        List<ProcessFacts> sorted = new ArrayList<>(marked);
        sorted.sort(Comparator.comparingInt(ProcessFacts::pid));
        for (ProcessFacts f : sorted) m.computeIfAbsent(startKey(f.mark()), k -> new ArrayList<>()).add(f);
        return m;
    }

    private static String startKey(ProcessMark m) {
        return m.invocation() + '\0' + m.job() + '\0' + m.instance();
    }

    /**
     * The main process of one start: among its {@code main} processes, one whose parent is not one of them
     * (a daemon's workers are its children; a launcher's daemon is its child until the launcher exits); the
     * oldest when there are several.
     */
    static ProcessFacts topmostMain(List<ProcessFacts> start) {
        Set<Integer> mains = new HashSet<>();
        for (ProcessFacts f : start) if (f.mark().phase() == Phase.MAIN) mains.add(f.pid());
        return start.stream().filter(f -> f.mark().phase() == Phase.MAIN && !mains.contains(f.ppid()))
                .min(Comparator.comparingLong(ProcessFacts::startTime).thenComparingInt(ProcessFacts::pid)).orElse(null);
    }

    private static void add(Map<String, List<Candidate>> byInstance, Candidate c) {
        byInstance.computeIfAbsent(c.heir().job() + '\0' + c.heir().instance(), k -> new ArrayList<>()).add(c);
    }

    private static List<Remains> dedupe(List<Remains> remains) {
        Map<Integer, Remains> m = new LinkedHashMap<>();
        for (Remains r : remains) m.putIfAbsent(r.process().pid(), r);
        return new ArrayList<>(m.values());
    }
}
