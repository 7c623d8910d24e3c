package dev.ordo.executor.posix;

import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The processes {@link Processes} answers for, and the one lock every thread takes to read or change
 * them: the spawning caller, the reaper, the notify receiver, and whoever signals. The reaper marks a
 * process dead under this lock before it reaps it, and signals are sent under it only to processes not
 * marked dead, so a signal never reaches a recycled pid (docs/notes/jvm-posix.md §3). The listener is called
 * with the lock held.
 */
final class ProcessTable {

    static final int MAX_GHOSTS = 64;

    /** A process this table answers for: spawned by it, or followed to from one that was. */
    static final class Tracked {
        final int pid;
        final long startTime;
        final int pgid;
        final int pidfd;
        final Lineage lineage;
        boolean dead;

        Tracked(int pid, long startTime, int pgid, int pidfd, Lineage lineage) {
            this.pid = pid;
            this.startTime = startTime;
            this.pgid = pgid;
            this.pidfd = pidfd;
            this.lineage = lineage;
        }
    }

    /** A main process being followed through its forks. */
    static final class Lineage {
        final String token;
        final long startTime;
        /** Pids of the lineage: a process whose session or group is one of these belongs to it. */
        final Set<Integer> ids = new HashSet<>();
        int forksLeft;
        int current;
        /** Spawned behind a self-stop, waiting for the reaper to seize it (forks counted by ptrace). */
        boolean awaitingSeize;
        /** Forks are inferred when the main process exits (no ptrace); see {@link Reaper}. */
        boolean inferred;
        /** The ptrace count, once seized; reaper thread only. */
        ForkTracer.ForkCount trace;
        /** systemd's PIDFile=: where the process left behind is named, read at the exit; or null. */
        String pidFile;

        Lineage(String token, long startTime, int forks, int pid) {
            this.token = token;
            this.startTime = startTime;
            this.forksLeft = forks;
            this.current = pid;
            ids.add(pid);
        }
    }

    /** An orphan reaped while something was being followed: it may have been a daemon's middle process. */
    record Ghost(ProcStat stat) {
    }

    final Consumer<ProcessEvent> listener;
    final ReentrantLock lock = new ReentrantLock();
    /** Signalled at each spawn and at close: the reaper parks on it while there are no children. */
    final Condition spawned = lock.newCondition();
    /** Under the lock. */
    final Map<Integer, Tracked> byPid = new HashMap<>();
    /** Under the lock: lineages whose forks are inferred when their main process exits. */
    final List<Lineage> following = new ArrayList<>();
    /** Under the lock. */
    final ArrayDeque<Ghost> ghosts = new ArrayDeque<>();
    final int self;
    final boolean pidfds;
    /** Under the lock: how many processes were spawned (the reaper parks until it changes). */
    long spawns;
    volatile boolean closed;

    ProcessTable(int self, boolean pidfds, Consumer<ProcessEvent> listener) {
        this.self = self;
        this.pidfds = pidfds;
        this.listener = listener;
    }

    int openPidfd(int pid) {
        if (!pidfds) return -1;
        long fd = Sys.C.syscall(Sys.SYS_PIDFD_OPEN, pid, 0, 0, 0);
        return fd < 0 ? -1 : (int) fd;
    }

    /**
     * Sends {@code signal} to one tracked process. False, and nothing sent, when the process is not
     * tracked or already ended: a recycled pid is never hit.
     */
    boolean signal(int pid, Signal signal) {
        lock.lock();
        try {
            Tracked t = byPid.get(pid);
            if (t == null || t.dead) return false;
            if (t.pidfd >= 0) return Sys.C.syscall(Sys.SYS_PIDFD_SEND_SIGNAL, t.pidfd, signal.number(), 0, 0) == 0;
            return Sys.C.kill(pid, signal.number()) == 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sends {@code signal} to the process group {@code pgid} ({@code kill(-pgid, sig)}). Only while a
     * process of ours that is not yet reaped is in that group, which keeps the group id from being
     * reused; false (nothing sent) otherwise.
     */
    boolean signalGroup(int pgid, Signal signal) {
        lock.lock();
        try {
            if (!pinned(pgid)) return false;
            return Sys.C.kill(-pgid, signal.number()) == 0;
        } finally {
            lock.unlock();
        }
    }

    /** True while {@code pid} is tracked and not yet ended. */
    boolean alive(int pid) {
        lock.lock();
        try {
            Tracked t = byPid.get(pid);
            return t != null && !t.dead;
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held: no child of ours can be reaped meanwhile, so a match pins the group id. */
    boolean pinned(int pgid) {
        // Every spawned process leads its own group: looking it up first spares a scan of the table per
        // signal (a thousand signals at shutdown made that quadratic).
        Tracked leader = byPid.get(pgid);
        if (leader != null && !leader.dead && leader.pgid == pgid) return true;
        for (Tracked t : byPid.values()) if (!t.dead && t.pgid == pgid) return true;
        for (int child : children()) {
            ProcStat s = ProcStat.read(child);
            if (s != null && s.pgrp() == pgid) return true;
        }
        return false;
    }

    /** Our direct children, spawned or adopted (/proc/self/task/TID/children lists them per thread). */
    List<Integer> children() {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : tasks) {
                String text;
                try {
                    text = Files.readString(t.resolve("children"), StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue; // the thread ended meanwhile, or the kernel lacks CONFIG_PROC_CHILDREN
                }
                for (String w : text.trim().split(" ")) if (!w.isEmpty()) out.add(Integer.parseInt(w));
            }
        } catch (IOException e) {
            return scanChildren();
        }
        return out.isEmpty() ? scanChildren() : out;
    }

    private List<Integer> scanChildren() {
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                int pid = Integer.parseInt(p.getFileName().toString());
                ProcStat s = ProcStat.read(pid);
                if (s != null && s.ppid() == self) out.add(pid);
            }
        } catch (IOException | NumberFormatException e) {
            // an unreadable /proc leaves nothing to find
        }
        return out;
    }

    /** The identity of a tracked process not yet reaped (its pid cannot have been reused), or null. */
    ProcessIdentity identity(int pid) {
        lock.lock();
        try {
            Tracked t = byPid.get(pid);
            return t == null || t.dead || t.startTime <= 0 ? null : new ProcessIdentity(pid, t.startTime);
        } finally {
            lock.unlock();
        }
    }

    boolean tracked(int pid) {
        lock.lock();
        try {
            return byPid.containsKey(pid);
        } finally {
            lock.unlock();
        }
    }

    Lineage awaitingSeize(int pid) {
        lock.lock();
        try {
            Tracked t = byPid.get(pid);
            return t != null && !t.dead && t.lineage != null && t.lineage.awaitingSeize ? t.lineage : null;
        } finally {
            lock.unlock();
        }
    }
}
