package dev.ordo.planner.model;

import java.util.Locale;

/**
 * A Linux signal, known by number and by its name without {@code SIG} (as Upstart writes them in
 * {@code EXIT_SIGNAL=SEGV}). Accepts {@code TERM}, {@code SIGTERM}, {@code sigterm} and {@code 15}.
 */
public record Signal(int number, String name) {

    // x86_64/arm64 numbering (signal(7)); index = number.
    private static final String[] NAMES = {
        null, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV", "USR2",
        "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU", "URG", "XCPU",
        "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS"
    };

    /** The highest signal number {@link #parse} accepts (SIGRTMAX on Linux). */
    public static final int MAX = 64;

    public static final Signal HUP = new Signal(1, "HUP");
    public static final Signal INT = new Signal(2, "INT");
    public static final Signal KILL = new Signal(9, "KILL");
    public static final Signal TERM = new Signal(15, "TERM");
    public static final Signal CONT = new Signal(18, "CONT");
    public static final Signal STOP = new Signal(19, "STOP");

    /** A signal by number; names the real-time ones {@code RTMIN+n} and unknown ones by number. */
    public static Signal ofNumber(int number) {
        if (number < 0 || number > MAX) throw new IllegalArgumentException("no signal " + number);
        if (number < NAMES.length && NAMES[number] != null) return new Signal(number, NAMES[number]);
        if (number >= 34) return new Signal(number, "RTMIN+" + (number - 34));
        return new Signal(number, Integer.toString(number));
    }

    /**
     * Parses a signal name or number.
     *
     * @throws IllegalArgumentException with a message fit for a diagnostic
     */
    public static Signal parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty signal");
        if (t.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("signal number out of range: " + t);
            }
            if (n > MAX) throw new IllegalArgumentException("signal number out of range: " + t + " (1 to " + MAX + ")");
            return ofNumber(n);
        }
        String u = t.toUpperCase(Locale.ROOT);
        if (u.startsWith("SIG")) u = u.substring(3);
        if (u.equals("IOT")) u = "ABRT";
        if (u.equals("POLL")) u = "IO";
        if (u.equals("CLD")) u = "CHLD";
        for (int i = 1; i < NAMES.length; i++) {
            if (u.equals(NAMES[i])) return new Signal(i, NAMES[i]);
        }
        if (u.equals("RTMIN")) return new Signal(34, "RTMIN+0");
        if (u.equals("RTMAX")) return new Signal(64, "RTMIN+30");
        if (u.startsWith("RTMIN+")) {
            try {
                int k = Integer.parseInt(u.substring(6));
                if (k >= 0 && 34 + k <= MAX) return ofNumber(34 + k);
            } catch (NumberFormatException ignored) {
                // falls through to the error below
            }
        }
        throw new IllegalArgumentException("unknown signal: " + text.trim());
    }

    /** Known signal names, without SIG, for "did you mean" hints. */
    public static java.util.List<String> names() {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String n : NAMES) if (n != null) out.add(n);
        return out;
    }

    @Override
    public String toString() {
        return name;
    }
}
