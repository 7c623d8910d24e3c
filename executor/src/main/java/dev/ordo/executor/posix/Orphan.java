package dev.ordo.executor.posix;

import dev.ordo.planner.model.Signal;

/**
 * A process that is not (or no longer) a child of this supervisor: one a previous supervisor spawned
 * before it died. It cannot be reaped or waited for, so it is known by its {@link ProcessIdentity} and
 * every signal first checks that the pid still names that very process.
 */
public final class Orphan {

    private final ProcessIdentity identity;

    private Orphan(ProcessIdentity identity) {
        this.identity = identity;
    }

    /** The process {@code pid} if it is alive (not a zombie) and started at {@code startTime}; else null. */
    public static Orphan find(int pid, long startTime) {
        ProcStat s = ProcStat.read(pid);
        if (s == null || s.zombie() || s.startTime() != startTime) return null;
        return new Orphan(s.identity());
    }

    public ProcessIdentity identity() {
        return identity;
    }

    public int pid() {
        return identity.pid();
    }

    /** True while the process runs; a zombie has ended (only its parent can still read its status). */
    public boolean alive() {
        ProcStat s = ProcStat.read(identity.pid());
        return s != null && !s.zombie() && s.startTime() == identity.startTime();
    }

    /** True when it leads its own process group (ordo spawns main processes with setsid). */
    public boolean leadsGroup() {
        ProcStat s = ProcStat.read(identity.pid());
        return s != null && s.startTime() == identity.startTime() && s.pgrp() == identity.pid();
    }

    /**
     * Sends {@code signal} to the process, or to its process group when {@code group} and it leads one.
     * Through a pidfd opened and then checked against the start time, so a recycled pid is never hit.
     *
     * @return false when nothing was sent: the process is gone
     */
    public boolean signal(Signal signal, boolean group) {
        long fd = Sys.C.syscall(Sys.SYS_PIDFD_OPEN, identity.pid(), 0, 0, 0);
        try {
            // The pidfd names the process found at open time; checking the start time after opening proves it
            // is ours, and pidfd_send_signal cannot then reach a successor. The group signal keeps a small
            // window (leader reaped and group id reused between check and kill), as for any non-parent.
            if (!alive()) return false;
            if (group && leadsGroup()) return Sys.C.kill(-identity.pid(), signal.number()) == 0;
            if (fd >= 0) return Sys.C.syscall(Sys.SYS_PIDFD_SEND_SIGNAL, fd, signal.number(), 0, 0) == 0;
            return Sys.C.kill(identity.pid(), signal.number()) == 0;
        } finally {
            if (fd >= 0) Sys.C.close((int) fd);
        }
    }

    /** True while any process of its group is left (zombies included). */
    public boolean groupAlive() {
        return Sys.C.kill(-identity.pid(), 0) == 0 || Sys.errno() == Sys.EPERM;
    }
}
