package dev.ordo.executor.posix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jnr.ffi.Pointer;

/**
 * Follows a main process through its forks with ptrace ({@code ready: fork|daemon}): seizes it behind its
 * self-stop, counts its forks, then lets every traced process go. Runs on the reaper thread only: the
 * tracer is the thread that seized, and it must issue every later ptrace request. The {@link #ptrace}
 * flag alone is read by spawning callers too.
 */
final class ForkTracer {

    /**
     * Forks of a lineage counted under ptrace, as Upstart counts them for {@code expect fork|daemon}: only
     * the newest process is followed; at each of its forks the parent is let go and the child followed.
     * Reaper thread only: the tracer is the thread that seized, and it must issue every later request.
     */
    static final class ForkCount {
        final ProcessTable.Lineage lineage;
        /** The process whose next fork counts. */
        int followed;
        /** Counted forks, {parent, child}, in order. */
        final List<int[]> steps = new ArrayList<>();
        /** Every pid attached to (seized, or auto-attached at a fork). */
        final Set<Integer> tracees = new HashSet<>();
        /** Auto-attached children whose first stop has not been seen yet. */
        final Set<Integer> fresh = new HashSet<>();
        /** Exits of processes already left behind, reported after the Forked steps that explain them. */
        final List<ProcessEvent.Reaped> held = new ArrayList<>();
        boolean done;

        ForkCount(ProcessTable.Lineage lineage, int pid) {
            this.lineage = lineage;
            this.followed = pid;
            tracees.add(pid);
        }
    }

    private final ProcessTable table;
    /** Reaper thread only: every pid this JVM traces, with the count it belongs to. */
    private final Map<Integer, ForkCount> traced = new HashMap<>();
    /** Reaper thread only: auto-attached children whose first stop came before their parent's fork event. */
    private final Set<Integer> earlyStops = new HashSet<>();
    /** Whether forks are counted with ptrace; off after the first refusal, or with -Dordo.ptrace=false. */
    volatile boolean ptrace = !"false".equals(System.getProperty("ordo.ptrace"));

    ForkTracer(ProcessTable table) {
        this.table = table;
    }

    /**
     * Handles a stop that belongs to fork counting: the self-stop of a main process waiting to be seized,
     * or any ptrace stop of a tracee. False for other stops, which are reported as {@link ProcessEvent.Halted}.
     */
    boolean traceStop(int pid, int code, int status, Pointer info) {
        ForkCount tr = traced.get(pid);
        if (tr == null) {
            if (code == Sys.CLD_TRAPPED) {
                // Only an auto-attached child can be traced but unknown: its parent's fork event names it soon.
                earlyStops.add(pid);
                return true;
            }
            ProcessTable.Lineage l = table.awaitingSeize(pid);
            if (l == null) return false;
            seize(pid, l);
            return true;
        }
        int event = 0;
        int sig = status & 0x7f;
        info.setMemory(0, Sys.SIGINFO_SIZE, (byte) 0);
        if (Sys.C.ptrace(Sys.PTRACE_GETSIGINFO, pid, 0, info.address()) == 0) {
            // An event stop reports si_code = SIGTRAP-or-stop-signal | event << 8; a signal's own si_code is
            // small or negative.
            int siCode = info.getInt(8);
            if (siCode > 0xff) {
                event = siCode >> 8;
                sig = siCode & 0x7f;
            }
        } else {
            event = Sys.PTRACE_EVENT_STOP; // a group-stop without siginfo
        }
        if (event == Sys.PTRACE_EVENT_FORK || event == Sys.PTRACE_EVENT_VFORK) {
            forked(tr, pid, info);
        } else if (event == Sys.PTRACE_EVENT_STOP) {
            tr.fresh.remove(pid);
            if (tr.done) release(tr, pid, 0);
            else if (sig == Sys.SIGTRAP) Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
            // A group-stop (SIGSTOP from someone): stay stopped, but hear of the SIGCONT.
            else Sys.C.ptrace(Sys.PTRACE_LISTEN, pid, 0, 0);
        } else if (event != 0) {
            if (tr.done) release(tr, pid, 0);
            else Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
        } else {
            // A signal on its way to the tracee: deliver it, as if nobody were watching.
            if (tr.done) release(tr, pid, sig);
            else Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, sig);
        }
        return true;
    }

    /** A tracee forked: the child is attached already (and stops first thing); count if it is the followed one. */
    private void forked(ForkCount tr, int pid, Pointer info) {
        info.setMemory(0, 8, (byte) 0);
        if (Sys.C.ptrace(Sys.PTRACE_GETEVENTMSG, pid, 0, info.address()) != 0) {
            Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
            return;
        }
        int child = (int) info.getLong(0);
        traced.put(child, tr);
        tr.tracees.add(child);
        tr.fresh.add(child);
        if (!tr.done && pid == tr.followed) {
            tr.steps.add(new int[] {pid, child});
            tr.followed = child;
            // As Upstart: the parent's later forks do not count, so it is let go at once.
            release(tr, pid, 0);
            if (tr.steps.size() >= tr.lineage.forksLeft) settle(tr);
        } else if (tr.done) {
            release(tr, pid, 0);
        } else {
            Sys.C.ptrace(Sys.PTRACE_CONT, pid, 0, 0);
        }
        if (earlyStops.remove(child)) {
            tr.fresh.remove(child);
            if (tr.done) release(tr, child, 0);
            else Sys.C.ptrace(Sys.PTRACE_CONT, child, 0, 0);
        }
    }

    /** The main process stopped itself: attach to it, then let it run on. */
    private void seize(int pid, ProcessTable.Lineage l) {
        long rc = Sys.C.ptrace(Sys.PTRACE_SEIZE, pid, 0, Sys.PTRACE_O_TRACEFORK | Sys.PTRACE_O_TRACEVFORK);
        int errno = rc == 0 ? 0 : Sys.errno();
        table.lock.lock();
        try {
            l.awaitingSeize = false;
            if (rc == 0) {
                ForkCount tr = new ForkCount(l, pid);
                l.trace = tr;
                traced.put(pid, tr);
            } else if (errno != Sys.ESRCH) {
                // No ptrace here (seccomp, a container without it, Yama): infer the forks as before.
                l.inferred = true;
                table.following.add(l);
                if (ptrace) {
                    ptrace = false;
                    table.listener.accept(new ProcessEvent.Note("ready: fork/daemon: cannot trace forks (ptrace: "
                            + Sys.describe(errno) + "); forks are inferred when the main process exits, which misses"
                            + " a daemon whose first child is reaped by its parent"));
                }
            }
        } finally {
            table.lock.unlock();
        }
        // It is our unreaped child, so the pid cannot have been reused.
        Sys.C.kill(pid, Sys.SIGCONT);
    }

    /** The count is complete (or can never be): tell the listener, and let every traced process go. */
    private void settle(ForkCount tr) {
        tr.done = true;
        ProcessTable.Lineage lineage = tr.lineage;
        table.lock.lock();
        try {
            for (int[] step : tr.steps) {
                table.listener.accept(new ProcessEvent.LeftChild(step[0], step[1]));
                lineage.ids.add(step[1]);
            }
            if (!tr.steps.isEmpty()) {
                int last = tr.steps.get(tr.steps.size() - 1)[1];
                lineage.current = last;
                if (!table.byPid.containsKey(last)) {
                    ProcStat s = ProcStat.read(last);
                    table.byPid.put(last, new ProcessTable.Tracked(last, s == null ? 0 : s.startTime(), s == null ? last : s.pgrp(),
                            table.openPidfd(last), lineage));
                }
            }
            lineage.forksLeft = 0;
            for (ProcessEvent.Reaped x : tr.held) table.listener.accept(x);
            tr.held.clear();
        } finally {
            table.lock.unlock();
        }
        for (int p : new ArrayList<>(tr.tracees)) {
            // Fresh children stop on their own; anything running is made to stop, and let go when it does.
            if (!tr.fresh.contains(p)) Sys.C.ptrace(Sys.PTRACE_INTERRUPT, p, 0, 0);
        }
    }

    private void release(ForkCount tr, int pid, int sig) {
        Sys.C.ptrace(Sys.PTRACE_DETACH, pid, 0, sig);
        traced.remove(pid);
        tr.tracees.remove(pid);
        tr.fresh.remove(pid);
    }

    /** A traced process ended. If it was the followed one, fewer forks came than expected: settle. */
    void traceExited(int pid) {
        earlyStops.remove(pid);
        ForkCount tr = traced.remove(pid);
        if (tr == null) return;
        tr.tracees.remove(pid);
        tr.fresh.remove(pid);
        if (!tr.done && pid == tr.followed) settle(tr);
    }
}
