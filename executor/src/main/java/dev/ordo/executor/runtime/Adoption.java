package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.ExitWatch;
import dev.ordo.executor.posix.Orphan;
import dev.ordo.executor.posix.ProcessFacts;
import dev.ordo.executor.posix.ProcessMark;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * After a crash (issue 5, issue 12): what the previous supervisors of the state directory left running
 * ({@link Inheritance}: by {@code state.json} and by the processes' marks) is adopted or stopped before the
 * boot; adopted main processes are then signalled here instead of through the process table, and watched
 * until they end. Loop thread only, as these were when they were the supervisor's fields: the exit watch
 * and the /proc poll hand their news to the loop.
 */
final class Adoption {

    /** How often processes being stopped before the boot (or adopted ones, without an exit watch) are looked at in /proc. */
    static final long ADOPTED_POLL_MILLIS = 50;

    /** An adopted main process, how it was found, and how many times its job moved on from a launcher to what it left. */
    private record Adopted(Orphan process, Inheritance.Heir heir, int moves) {
    }

    private final Supervisor sup;
    /** Tells when adopted processes end (pidfds, no polling); null while none was adopted. */
    private ExitWatch exitWatch;
    /** Adopted main processes: not our children, watched through /proc until they end. */
    private final Map<Integer, Adopted> adopted = new TreeMap<>();
    /** The last signal sent to an adopted process: the exit status reported when it is gone. */
    private final Map<Integer, Signal> adoptedSignalled = new HashMap<>();
    /** An adopted launcher's process group, and the service it left in it (the engine still signals the group). */
    private final Map<Integer, Orphan> launcherGroups = new HashMap<>();

    Adoption(Supervisor supervisor) {
        this.sup = supervisor;
    }

    /**
     * The engine's {@code Kill} effect when {@code pid} is an adopted process (true: handled here, the
     * signal remembered as its exit status); false for any other pid, which the process table signals.
     */
    boolean kill(int pid, boolean group, Signal signal) {
        Adopted a = adopted.get(pid);
        if (a == null) {
            Orphan left = launcherGroups.get(pid);
            if (left == null || !group) return false;
            left.signalGroup(pid, signal);
            return true;
        }
        if (a.process().signal(signal, group)) adoptedSignalled.put(pid, signal);
        return true;
    }

    /**
     * Takes over what the previous supervisors left (see {@link Inheritance}) before the boot, so that the
     * boot never starts a second copy, and stops the rest of it.
     */
    void recover() {
        StateFile.Recovered saved = sup.stateFile.recover();
        for (String trouble : saved.passedOver()) sup.log(trouble);
        if (!saved.passedOver().isEmpty()) {
            sup.log(saved.state() != null ? "going by " + saved.from().getFileName() + " and the marks on the processes"
                    : "going by the marks on the processes alone");
        }
        String me = sup.launcher.supervisorMark();
        boolean adopt = sup.options.orphans() == Supervisor.Orphans.ADOPT;
        Inheritance found = Inheritance.find(saved.state(), ProcessFacts.markedBy(me), ProcessFacts::read, me, sup.jobs,
                accounts(), adopt);
        for (String note : found.notes()) sup.log(note);
        List<Orphan> toStop = new ArrayList<>();
        Duration wait = Duration.ZERO;
        for (Inheritance.Heir h : found.heirs()) {
            ProcessFacts f = h.main();
            Orphan o = Orphan.find(f.pid(), f.startTime());
            if (o == null) {
                // Ended since it was looked at: a launcher that has just left its service, or else the boot starts the job.
                f = successor(h, 0);
                o = f == null ? null : Orphan.find(f.pid(), f.startTime());
                if (o == null) continue;
            }
            String label = ConsoleOutput.label(h.job(), h.instance()) + " (pid " + o.pid() + ")";
            if (take(h, f, o, 0)) {
                sup.log("adopted " + label + ", " + h.source());
            } else {
                sup.log("stopping " + label + ": the engine did not take it");
                toStop.add(o);
                wait = longest(wait, sup.jobs.get(h.job()));
            }
        }
        for (Inheritance.Remains r : found.remains()) {
            Orphan o = Orphan.find(r.process().pid(), r.process().startTime());
            if (o == null) continue;
            sup.log("stopping " + ConsoleOutput.label(r.job(), r.instance()) + " (pid " + o.pid() + "): " + r.why());
            toStop.add(o);
            wait = longest(wait, sup.jobs.get(r.job()));
        }
        stopOrphans(toStop, wait);
        if (!adopted.isEmpty()) {
            try {
                exitWatch = ExitWatch.start(pid -> sup.submit(() -> adoptedEnded(pid)));
            } catch (IOException e) {
                sup.log("cannot watch the adopted processes with pidfds (" + e.getMessage() + "); looking at /proc every "
                        + ADOPTED_POLL_MILLIS + " ms instead");
                sup.scheduler.scheduleWithFixedDelay(() -> sup.submit(() -> {
                    for (Adopted a : new ArrayList<>(adopted.values())) if (!a.process().alive()) adoptedEnded(a.process().pid());
                }), ADOPTED_POLL_MILLIS, ADOPTED_POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            for (Adopted a : adopted.values()) exitWatch.watch(a.process());
        }
    }

    /**
     * Makes {@code o} (whose facts are {@code f}) the instance's main process: adopted by the engine, or
     * after {@code moves} launchers moved on to it, already made so by {@link Input.MainMoved}. False if the
     * engine did not take it.
     */
    private boolean take(Inheritance.Heir h, ProcessFacts f, Orphan o, int moves) {
        Job job = sup.jobs.get(h.job());
        if (moves == 0) sup.feed(new Input.Adopt(h.job(), h.instance(), o.pid(), o.environment()));
        if (!Integer.valueOf(o.pid()).equals(sup.engine.instance(h.job(), h.instance()).map(v -> v.pids().get(Phase.MAIN)).orElse(null))) {
            return false;
        }
        adopted.put(o.pid(), new Adopted(o, h, moves));
        sup.proofs.adopted(o.identity());
        if (moves == 0) {
            sup.launcher.adopted(h.job(), h.instance(), h.invocation());
            sup.progress.adopted(h.job(), h.instance());
            // Its output pipe lost its reader with the old supervisor: taken up again, into its log or onto ours.
            sup.launcher.takeUpOutput(h.job(), h.instance(), o.pid(), job.console());
        }
        // It stopped itself for a supervisor that died before it could let it go on: ready: stop raises SIGSTOP,
        // and ready: fork|daemon starts behind a self-stop until the fork count has begun.
        Readiness r = job.ready();
        if (f.stopped() && (r instanceof Readiness.Stop || r instanceof Readiness.Fork || r instanceof Readiness.Daemon)) {
            o.signal(Signal.CONT, false);
        }
        return true;
    }

    private Inheritance.Accounts accounts() {
        return new Inheritance.Accounts(ProcessFacts.ownUid(), ProcessFacts::uidOf);
    }

    private static Duration longest(Duration so, Job job) {
        Duration t = job == null ? Kill.DEFAULT.timeout() : job.kill().timeout();
        return t.compareTo(so) > 0 ? t : so;
    }

    static Instant startInstant(int pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).orElse(null);
    }

    /** TERM to each group, then KILL to what is left after {@code timeout}; before the boot, so blocking. */
    private void stopOrphans(List<Orphan> list, Duration timeout) {
        if (list.isEmpty()) return;
        for (Orphan o : list) o.signal(Signal.TERM, true);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && list.stream().anyMatch(Orphan::alive)) sleep(ADOPTED_POLL_MILLIS);
        for (Orphan o : list) {
            if (o.alive()) {
                sup.log("pid " + o.pid() + " did not stop in " + timeout.toMillis() + " ms, killing it");
                o.signal(Signal.KILL, true);
                o.signal(Signal.KILL, false);
            }
        }
        deadline = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < deadline && list.stream().anyMatch(Orphan::alive)) sleep(ADOPTED_POLL_MILLIS);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * An adopted process cannot be waited for (its parent is init or another subreaper), so its end
     * comes from the exit watch. Its exit status is unknown: the signal ordo sent it, or 0. A launcher whose
     * start was not over when its supervisor died may have left its service behind: the job goes on with it.
     */
    private void adoptedEnded(int pid) {
        Adopted a = adopted.remove(pid);
        if (a == null) return;
        sup.proofs.forget(pid);
        Signal s = adoptedSignalled.remove(pid);
        if (s == null && movedOn(pid, a)) return;
        sup.feed(new Input.Exited(pid, s == null ? ExitStatus.code(0) : ExitStatus.signal(s)));
        sup.stateChanged();
    }

    /**
     * The process an adopted launcher left (ready: fork, forking, daemon): the oldest live main process of
     * the same start whose parent is not one of them, run by a uid ordo runs the job as. It becomes the
     * instance's main process, as the fork it follows would have made it.
     */
    private boolean movedOn(int pid, Adopted a) {
        ProcessFacts next = successor(a.heir(), a.moves());
        Orphan o = next == null ? null : Orphan.find(next.pid(), next.startTime());
        if (o == null) return false;
        sup.feed(new Input.MainMoved(pid, o.pid()));
        if (!take(a.heir(), next, o, a.moves() + 1)) return false;
        launcherGroups.replaceAll((group, left) -> left.pid() == pid ? o : left);
        launcherGroups.put(pid, o);
        if (exitWatch != null) exitWatch.watch(o);
        sup.log(ConsoleOutput.label(a.heir().job(), a.heir().instance()) + ": its launcher (pid " + pid + ") ended, leaving pid "
                + o.pid() + ", which the job goes on with");
        return true;
    }

    /**
     * What a launcher of {@code h}'s start may have left when it ended, after {@code moves} such steps: the
     * oldest live main process of the same start whose parent is not one of them, run by a uid ordo runs the
     * job as; null when there is none, or when the job follows no forks or its start was over.
     */
    private ProcessFacts successor(Inheritance.Heir h, int moves) {
        Job job = sup.jobs.get(h.job());
        if (job == null || h.started() || h.invocation() == null || moves >= job.ready().forksFollowed()) return null;
        Set<Integer> uids = accounts().of(job);
        List<ProcessFacts> start = new ArrayList<>();
        for (ProcessFacts f : ProcessFacts.markedBy(sup.launcher.supervisorMark())) {
            ProcessMark m = f.mark();
            if (m.invocation().equals(h.invocation()) && m.job().equals(h.job()) && m.instance().equals(h.instance())
                    && uids.contains(f.uid())) {
                start.add(f);
            }
        }
        return Inheritance.topmostMain(start);
    }

    void close() {
        if (exitWatch != null) exitWatch.close();
    }
}
