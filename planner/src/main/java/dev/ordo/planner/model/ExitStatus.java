package dev.ordo.planner.model;

/**
 * A way a main process can end that {@code normal_exit} lists: an exit code (0 to 255) or a signal.
 * Exactly one of {@code code} and {@code signal} is set.
 */
public record ExitStatus(Integer code, Signal signal) {

    public ExitStatus {
        if ((code == null) == (signal == null)) throw new IllegalArgumentException("code or signal");
    }

    public static ExitStatus code(int code) {
        return new ExitStatus(code, null);
    }

    public static ExitStatus signal(Signal signal) {
        return new ExitStatus(null, signal);
    }

    /**
     * Parses {@code 0}, {@code 143}, {@code TERM}, {@code SIGTERM}.
     *
     * @throws IllegalArgumentException with a message fit for a diagnostic
     */
    public static ExitStatus parse(String text) {
        String t = text.trim();
        if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
            int n;
            try {
                n = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > 255) throw new IllegalArgumentException("exit status out of range: " + t + " (0 to 255)");
            return code(n);
        }
        try {
            return signal(Signal.parse(t));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not an exit status or signal: " + t);
        }
    }

    @Override
    public String toString() {
        return code != null ? code.toString() : signal.name();
    }
}
