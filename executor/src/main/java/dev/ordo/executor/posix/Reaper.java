package dev.ordo.executor.posix;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import jnr.ffi.Pointer;

/**
 * The reaper thread's loop: blocks in {@code waitid(P_ALL, WEXITED|WSTOPPED|WNOWAIT)}; for an exit it
 * takes the table lock, marks the process dead, and only then reaps it. Stops that belong to fork
 * counting go to the {@link ForkTracer}; without ptrace, the forks of a main process are inferred here
 * when it exits, from what it left behind. Everything in this class runs on the reaper thread.
 */
final class Reaper {

    private final ProcessTable table;
    private final ForkTracer tracer;

    Reaper(ProcessTable table, ForkTracer tracer) {
        this.table = table;
        this.tracer = tracer;
    }

    /** The reaper thread's body: returns once the table is closed. */
    void run() {
        Pointer info = Sys.allocate(Sys.SIGINFO_SIZE);
        Pointer scratch = Sys.allocate(Sys.SIGINFO_SIZE);
        Pointer traceInfo = Sys.allocate(Sys.SIGINFO_SIZE);
        while (true) {
            long seen;
            table.lock.lock();
            try {
                seen = table.spawns;
            } finally {
                table.lock.unlock();
            }
            info.setMemory(0, Sys.SIGINFO_SIZE, (byte) 0);
            int rc = Sys.C.waitid(Sys.P_ALL, 0, info, Sys.WEXITED | Sys.WSTOPPED | Sys.WNOWAIT);
            if (rc != 0) {
                int e = Sys.errno();
                if (e == Sys.EINTR) continue;
                // ECHILD: no children at all. Park until a spawn (orphans only come from children).
                table.lock.lock();
                try {
                    while (table.spawns == seen && !table.closed) table.spawned.awaitUninterruptibly();
                    if (table.closed) return;
                } finally {
                    table.lock.unlock();
                }
                continue;
            }
            int pid = info.getInt(16);
            int code = info.getInt(8);
            int status = info.getInt(24);
            if (pid <= 0) continue;
            if (code == Sys.CLD_STOPPED || code == Sys.CLD_TRAPPED) {
                // Consume the stop report without reaping (WEXITED not given, so an exit stays pending).
                Sys.C.waitid(Sys.P_PID, pid, scratch, Sys.WSTOPPED | Sys.WNOHANG);
                if (tracer.traceStop(pid, code, status, traceInfo)) continue;
                table.lock.lock();
                try {
                    ProcessTable.Tracked t = table.byPid.get(pid);
                    if (t != null && !t.dead) table.listener.accept(new ProcessEvent.Halted(pid, Signal.ofNumber(status)));
                } finally {
                    table.lock.unlock();
                }
            } else if (code == Sys.CLD_EXITED || code == Sys.CLD_KILLED || code == Sys.CLD_DUMPED) {
                ExitStatus st = code == Sys.CLD_EXITED ? ExitStatus.code(status) : ExitStatus.signal(Signal.ofNumber(status));
                tracer.traceExited(pid);
                exited(pid, st, scratch);
            } else {
                // CLD_CONTINUED is not asked for; anything else would spin, so reap what we can.
                Sys.C.waitid(Sys.P_PID, pid, scratch, Sys.WEXITED | Sys.WNOHANG);
            }
            if (table.closed) return;
        }
    }

    private void exited(int pid, ExitStatus status, Pointer scratch) {
        ProcessTable.Tracked t;
        boolean anyFollowing;
        table.lock.lock();
        try {
            t = table.byPid.get(pid);
            if (t != null) t.dead = true;
            anyFollowing = !table.following.isEmpty();
        } finally {
            table.lock.unlock();
        }
        // The zombie keeps its stat until reaped, and only this thread reaps: read what is needed now.
        ProcStat zombie = t == null && anyFollowing ? ProcStat.read(pid) : null;
        ProcessTable.Lineage lineage = t == null ? null : t.lineage;
        List<ProcStat> steps = List.of();
        if (lineage != null && lineage.inferred && lineage.current == pid && lineage.forksLeft > 0) {
            ProcStat named = lineage.pidFile == null ? null : PidFiles.named(lineage.pidFile, lineage.startTime, ProcessHandle.current().pid());
            steps = named != null ? List.of(named) : leftBehind(lineage);
        }
        // A process the count has moved past (a daemon's first parent) may end before the count is done:
        // its exit waits until the Forked steps have told the listener who the main process is now.
        ForkTracer.ForkCount count = lineage == null ? null : lineage.trace;
        boolean hold = count != null && !count.done && count.followed != pid;
        table.lock.lock();
        try {
            Sys.C.waitid(Sys.P_PID, pid, scratch, Sys.WEXITED | Sys.WNOHANG);
            if (t == null) {
                if (zombie != null) {
                    table.ghosts.addLast(new ProcessTable.Ghost(zombie));
                    if (table.ghosts.size() > ProcessTable.MAX_GHOSTS) table.ghosts.removeFirst();
                }
                return;
            }
            table.byPid.remove(pid);
            if (t.pidfd >= 0) Sys.C.close(t.pidfd);
            if (lineage != null && lineage.current == pid) {
                int from = pid;
                for (ProcStat s : steps) {
                    if (lineage.forksLeft == 0) break;
                    table.listener.accept(new ProcessEvent.LeftChild(from, s.pid()));
                    lineage.forksLeft--;
                    lineage.ids.add(s.pid());
                    from = s.pid();
                    if (!s.zombie()) {
                        table.byPid.put(s.pid(), new ProcessTable.Tracked(s.pid(), s.startTime(), s.pgrp(),
                                table.openPidfd(s.pid()), lineage));
                    }
                }
                lineage.current = from;
                if (lineage.forksLeft == 0 || from == pid) table.following.remove(lineage);
            }
            if (hold) count.held.add(new ProcessEvent.Reaped(pid, status));
            else table.listener.accept(new ProcessEvent.Reaped(pid, status));
        } finally {
            table.lock.unlock();
        }
    }

    /**
     * What a followed process left behind, as fork steps: our children (orphans come to the subreaper)
     * and recently reaped orphans that belong to the lineage, by session or group, by the trace variable
     * in their environment, or as the session leader of one that does. The last step is the oldest live
     * one; a daemon's dead middle process, if seen, is the step before it.
     */
    private List<ProcStat> leftBehind(ProcessTable.Lineage lineage) {
        // A middle process caught while exiting has no environment left and its child is not ours yet;
        // once it is a zombie the child is. So an unsure answer is retried for a moment.
        for (int attempt = 0; ; attempt++) {
            boolean[] unsure = {false};
            List<ProcStat> steps = leftBehind(lineage, unsure);
            if (!steps.isEmpty() || !unsure[0] || attempt == 20) return steps;
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                return steps;
            }
        }
    }

    private List<ProcStat> leftBehind(ProcessTable.Lineage lineage, boolean[] unsure) {
        List<ProcStat> pool = new ArrayList<>();
        table.lock.lock();
        try {
            for (ProcessTable.Ghost g : table.ghosts) if (g.stat().startTime() >= lineage.startTime) pool.add(g.stat());
        } finally {
            table.lock.unlock();
        }
        // A child read as a zombie had its own children handed to us before it died, but perhaps after
        // the listing: list again until nothing new turns up.
        Set<Integer> listed = new HashSet<>();
        boolean more = true;
        while (more) {
            more = false;
            for (int child : table.children()) {
                if (!listed.add(child) || table.tracked(child)) continue;
                more = true;
                ProcStat s = ProcStat.read(child);
                if (s != null && s.startTime() >= lineage.startTime) pool.add(s);
            }
        }
        Set<Integer> ids = new HashSet<>(lineage.ids);
        List<ProcStat> mine = new ArrayList<>();
        boolean changed = true;
        while (changed) {
            changed = false;
            for (ProcStat s : pool) {
                if (mine.contains(s)) continue;
                boolean belongs = ids.contains(s.session()) || ids.contains(s.pgrp())
                        || (!s.zombie() && hasToken(s.pid(), lineage.token, unsure));
                if (!belongs) {
                    for (ProcStat m : mine) if (m.session() == s.pid() || m.pgrp() == s.pid()) belongs = true;
                }
                if (belongs) {
                    mine.add(s);
                    ids.add(s.pid());
                    changed = true;
                }
            }
        }
        Comparator<ProcStat> age = Comparator.comparingLong(ProcStat::startTime).thenComparingInt(ProcStat::pid);
        // Ghosts were read as zombies, so zombie() is true for every dead candidate.
        ProcStat live = mine.stream().filter(s -> !s.zombie()).min(age).orElse(null);
        if (live == null) {
            for (ProcStat s : pool) if (s.zombie() && !mine.contains(s)) unsure[0] = true;
            return List.of();
        }
        if (lineage.forksLeft >= 2) {
            ProcStat middle = mine.stream().filter(s -> s.zombie() && age.compare(s, live) <= 0)
                    .max(age).orElse(null);
            if (middle != null) return List.of(middle, live);
        }
        return List.of(live);
    }

    /** Whether the process's initial environment has the trace; an empty one (exiting) makes it unsure. */
    private static boolean hasToken(int pid, String token, boolean[] unsure) {
        byte[] env;
        try {
            env = Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "environ"));
        } catch (IOException e) {
            unsure[0] = true;
            return false;
        }
        if (env.length == 0) unsure[0] = true;
        byte[] want = (Processes.TRACE_VAR + "=" + token).getBytes(StandardCharsets.ISO_8859_1);
        return MarkedProcesses.has(env, want);
    }
}
