package dev.ordo.executor.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fields of {@code /proc/PID/stat} the supervisor needs. A zombie still has its stat (state
 * {@code Z}, session and group intact), which is what lets the reaper attribute orphans before it reaps
 * them.
 *
 * @param startTime field 22, clock ticks after boot: with the pid, a process's identity
 */
public record ProcStat(int pid, char state, int ppid, int pgrp, int session, long startTime) {

    /** The stat of {@code pid}, or null when there is no such process (or it is unreadable). */
    public static ProcStat read(int pid) {
        String text;
        try {
            text = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return parse(pid, text);
    }

    /** Parses after the LAST ')' because the command name may itself contain ") ". */
    static ProcStat parse(int pid, String text) {
        int close = text.lastIndexOf(')');
        if (close < 0) return null;
        String[] f = text.substring(close + 1).trim().split(" ");
        // f[0] is field 3 (state), so field n is f[n - 3].
        if (f.length < 20) return null;
        try {
            return new ProcStat(pid, f[0].charAt(0), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Long.parseLong(f[19]));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public boolean zombie() {
        return state == 'Z' || state == 'X';
    }

    public ProcessIdentity identity() {
        return new ProcessIdentity(pid, startTime);
    }
}
