package dev.ordo.executor.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.posix.Passwd;

/**
 * What {@code /proc} says of a live process, read at one moment: the facts the kernel keeps and the process
 * cannot change to look like another (pid and start time, which name it for good; its parent; its real uid,
 * which only root can give away; the executable it runs), and the mark ordo put in its environment, which it
 * could have forged. Everything is read between two reads of the stat, and thrown away if the start time
 * changed in between: the facts are never those of a process that took over a recycled pid.
 *
 * @param uid the real uid, or -1 when unreadable
 * @param exe the executable, without the {@code " (deleted)"} an upgraded file gets; null when unreadable
 *     (another user's process, for a supervisor that is not root)
 * @param mark the mark in its environment, or null when there is none (never marked, cleared, overwritten
 *     by a program that rewrites its title over it, or unreadable)
 */
public record ProcessFacts(int pid, int ppid, long startTime, char state, int uid, String exe, ProcessMark mark) {

    private static final String DELETED = " (deleted)";

    /** The facts of {@code pid}, or null when it does not exist or has ended (a zombie). */
    public static ProcessFacts read(int pid) {
        ProcStat before = ProcStat.read(pid);
        if (before == null || before.zombie()) return null;
        Path dir = Path.of("/proc", Integer.toString(pid));
        int uid = uid(dir);
        String exe = exe(dir);
        ProcessMark mark;
        try {
            mark = ProcessMark.parse(Files.readAllBytes(dir.resolve("environ")));
        } catch (IOException | RuntimeException e) {
            mark = null;
        }
        ProcStat after = ProcStat.read(pid);
        if (after == null || after.zombie() || after.startTime() != before.startTime()) return null;
        return new ProcessFacts(pid, after.ppid(), after.startTime(), after.state(), uid, exe, mark);
    }

    /**
     * Every live process (not this one) that carries the mark of the supervisor of {@code stateDir}, found by
     * its {@code ORDO_SUPERVISOR} entry in {@code /proc/PID/environ}.
     */
    public static List<ProcessFacts> markedBy(String stateDir) {
        List<ProcessFacts> out = new ArrayList<>();
        for (int pid : MarkedProcesses.find(ProcessMark.SUPERVISOR + "=" + stateDir)) {
            ProcessFacts f = read(pid);
            if (f != null && f.mark() != null && f.mark().supervisor().equals(stateDir)) out.add(f);
        }
        return out;
    }

    /** The uid of {@code user} in the user database, or -1 when there is no such user. */
    public static int uidOf(String user) {
        Passwd pw = Sys.POSIX.getpwnam(user);
        return pw == null ? -1 : (int) pw.getUID();
    }

    /** The uid this process runs as. */
    public static int ownUid() {
        return Sys.POSIX.getuid();
    }

    public ProcessIdentity identity() {
        return new ProcessIdentity(pid, startTime);
    }

    /** Stopped by a signal (state T): one that stopped itself for ordo, whose supervisor died before it could go on. */
    public boolean stopped() {
        return state == 'T';
    }

    /** The same program, where an upgrade that replaced the file since is not a difference. */
    public static boolean sameExecutable(String a, String b) {
        return a != null && b != null && strip(a).equals(strip(b));
    }

    private static String strip(String exe) {
        return exe.endsWith(DELETED) ? exe.substring(0, exe.length() - DELETED.length()) : exe;
    }

    private static int uid(Path dir) {
        try {
            for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // gone, or unreadable: unknown
        }
        return -1;
    }

    private static String exe(Path dir) {
        try {
            return strip(Files.readSymbolicLink(dir.resolve("exe")).toString());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
