package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.ExitWatch;
import dev.ordo.executor.posix.Orphan;
import dev.ordo.executor.posix.ProcStat;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * After a crash (issue 5): the main processes a previous supervisor left running, found through its
 * {@code state.json}, are adopted or stopped before the boot; adopted ones are then signalled here
 * instead of through the process table, and watched until they end. Loop thread only, as these were when
 * they were the supervisor's fields: the exit watch and the /proc poll hand their news to the loop.
 */
final class Adoption {

    /** How often processes being stopped before the boot (or adopted ones, without an exit watch) are looked at in /proc. */
    static final long ADOPTED_POLL_MILLIS = 50;

    private final Supervisor sup;
    /** Tells when adopted processes end (pidfds, no polling); null while none was adopted. */
    private ExitWatch exitWatch;
    /** Adopted main processes: not our children, watched through /proc until they end. */
    private final Map<Integer, Orphan> adopted = new TreeMap<>();
    /** The last signal sent to an adopted process: the exit status reported when it is gone. */
    private final Map<Integer, Signal> adoptedSignalled = new HashMap<>();

    Adoption(Supervisor supervisor) {
        this.sup = supervisor;
    }

    /**
     * The engine's {@code Kill} effect when {@code pid} is an adopted process (true: handled here, the
     * signal remembered as its exit status); false for any other pid, which the process table signals.
     */
    boolean kill(int pid, boolean group, Signal signal) {
        Orphan o = adopted.get(pid);
        if (o == null) return false;
        if (o.signal(signal, group)) adoptedSignalled.put(pid, signal);
        return true;
    }

    /**
     * Finds the main processes the previous supervisor's {@code state.json} names that are still the
     * same processes (pid and start time: a recycled pid is left alone), and adopts or stops them before
     * the boot, so that the boot never starts a second copy.
     */
    void recover() {
        SupervisorState old;
        try {
            old = sup.stateFile.read();
        } catch (IOException | IllegalArgumentException e) {
            sup.log("cannot read " + sup.stateFile.path() + ", nothing adopted: " + e.getMessage());
            return;
        }
        if (old == null) return;
        List<Orphan> toStop = new ArrayList<>();
        Duration wait = Duration.ZERO;
        for (SupervisorState.InstanceState i : old.instances()) {
            int pid = i.mainPid();
            if (pid <= 0 || i.mainStarted() == null) continue;
            String label = ConsoleOutput.label(i.job(), i.instance()) + " (pid " + pid + ")";
            Orphan o = orphan(pid, i.mainStarted());
            if (o == null) {
                if (ProcessHandle.of(pid).isPresent()) sup.log("not adopting " + label + ": the pid belongs to another process now");
                continue;
            }
            Job job = sup.jobs.get(i.job());
            if (sup.options.orphans() == Supervisor.Orphans.ADOPT && job != null) {
                adopted.put(pid, o);
                sup.pidStarted.put(pid, i.mainStarted());
                sup.feed(new Input.Adopt(i.job(), i.instance(), pid, o.environment()));
                Integer now = sup.engine.instance(i.job(), i.instance()).map(v -> v.pids().get(Phase.MAIN)).orElse(null);
                if (now != null && now == pid) {
                    sup.log("adopted " + label + ", left running by pid " + old.pid());
                    sup.launcher.takeUpOutput(i.job(), i.instance(), pid, job.console());
                    continue;
                }
                adopted.remove(pid);
                sup.pidStarted.remove(pid);
            }
            sup.log("stopping " + label + ", left running by pid " + old.pid()
                    + (job == null ? ": the job is no longer configured" : ""));
            toStop.add(o);
            Duration t = job == null ? Kill.DEFAULT.timeout() : job.kill().timeout();
            if (t.compareTo(wait) > 0) wait = t;
        }
        stopOrphans(toStop, wait);
        if (!adopted.isEmpty()) {
            try {
                exitWatch = ExitWatch.start(pid -> sup.submit(() -> adoptedEnded(pid)));
            } catch (IOException e) {
                sup.log("cannot watch the adopted processes with pidfds (" + e.getMessage() + "); looking at /proc every "
                        + ADOPTED_POLL_MILLIS + " ms instead");
                sup.scheduler.scheduleWithFixedDelay(() -> sup.submit(() -> {
                    for (Orphan o : new ArrayList<>(adopted.values())) if (!o.alive()) adoptedEnded(o.pid());
                }), ADOPTED_POLL_MILLIS, ADOPTED_POLL_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            for (Orphan o : adopted.values()) exitWatch.watch(o);
        }
    }

    /** The process {@code pid} if it is the very one that started at {@code started}. */
    private static Orphan orphan(int pid, Instant started) {
        // state.json keeps ProcessHandle's start instant (derived from the same stat field); the stat's
        // ticks are read once it matches, and the instant compared again in case the pid turned over.
        if (!started.equals(startInstant(pid))) return null;
        ProcStat st = ProcStat.read(pid);
        Orphan o = st == null ? null : Orphan.find(pid, st.startTime());
        return o != null && started.equals(startInstant(pid)) ? o : null;
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
     * comes from the exit watch. Its exit status is unknown: the signal ordo sent it, or 0.
     */
    private void adoptedEnded(int pid) {
        if (adopted.remove(pid) == null) return;
        sup.pidStarted.remove(pid);
        Signal s = adoptedSignalled.remove(pid);
        sup.feed(new Input.Exited(pid, s == null ? ExitStatus.code(0) : ExitStatus.signal(s)));
        sup.stateChanged();
    }

    void close() {
        if (exitWatch != null) exitWatch.close();
    }
}
