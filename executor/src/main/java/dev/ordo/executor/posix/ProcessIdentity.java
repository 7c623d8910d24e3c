package dev.ordo.executor.posix;

/**
 * A process as the kernel cannot confuse it with a later one: its pid and its start time (field 22 of
 * {@code /proc/PID/stat}). A supervisor that restarts can store these and tell its own old child from a
 * process that got the recycled pid.
 */
public record ProcessIdentity(int pid, long startTime) {

    /** The identity of the process now running as {@code pid}, or null if there is none. */
    public static ProcessIdentity of(int pid) {
        ProcStat s = ProcStat.read(pid);
        return s == null ? null : s.identity();
    }

    /** True while this very process exists (a zombie counts: its pid is not free yet). */
    public boolean exists() {
        ProcStat s = ProcStat.read(pid);
        return s != null && s.startTime() == startTime;
    }

    /** The form kept in a state file: {@code PID@STARTTIME}. */
    @Override
    public String toString() {
        return pid + "@" + startTime;
    }

    /** Reads {@link #toString()}'s form back; null if it is not one. */
    public static ProcessIdentity parse(String text) {
        int at = text.indexOf('@');
        if (at <= 0) return null;
        try {
            return new ProcessIdentity(Integer.parseInt(text.substring(0, at)), Long.parseLong(text.substring(at + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
