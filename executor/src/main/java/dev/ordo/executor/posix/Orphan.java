package dev.ordo.executor.posix;

import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    /**
     * The environment the process was started with ({@code /proc/PID/environ}: what its last exec got,
     * {@code K=V} in order), without what the process layer and the runtime add for themselves
     * ({@code NOTIFY_SOCKET}, the fork trace, the {@link ProcessMark}); empty when it cannot be read. For an instance that is its start environment, which
     * its {@code stop_on} ({@code TTY=$TTY}) and {@code status} need.
     */
    public List<String> environment() {
        byte[] raw;
        try {
            raw = Files.readAllBytes(Path.of("/proc", Integer.toString(identity.pid()), "environ"));
        } catch (IOException e) {
            return List.of();
        }
        List<String> env = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= raw.length; i++) {
            if (i < raw.length && raw[i] != 0) continue;
            if (i > from) {
                String kv = new String(raw, from, i - from, StandardCharsets.UTF_8);
                if (kv.indexOf('=') > 0 && !kv.startsWith("NOTIFY_SOCKET=") && !kv.startsWith(Processes.TRACE_VAR + "=")
                        && !ProcessMark.isAdded(kv)) {
                    env.add(kv);
                }
            }
            from = i + 1;
        }
        return env;
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

    /**
     * Sends {@code signal} to process group {@code pgid} while this process is alive in it: a group with a
     * live member cannot have its id given to another, so the signal reaches the group this process is in
     * (an adopted launcher's, which it outlived). False when nothing was sent.
     */
    public boolean signalGroup(int pgid, Signal signal) {
        ProcStat s = ProcStat.read(identity.pid());
        if (s == null || s.zombie() || s.startTime() != identity.startTime() || s.pgrp() != pgid) return false;
        return Sys.C.kill(-pgid, signal.number()) == 0;
    }

    /** True while any process of its group is left (zombies included). */
    public boolean groupAlive() {
        return Sys.C.kill(-identity.pid(), 0) == 0 || Sys.errno() == Sys.EPERM;
    }
}
