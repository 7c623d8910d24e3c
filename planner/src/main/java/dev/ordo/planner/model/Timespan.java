package dev.ordo.planner.model;

import java.time.Duration;

/**
 * Durations as people write them in configuration: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h},
 * combinations such as {@code 1m30s} or {@code 1min 30sec} (systemd's spelling), and a bare number,
 * which means seconds.
 */
public final class Timespan {

    private Timespan() {
    }

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException with a message fit for a diagnostic
     */
    public static Duration parse(String text) {
        String t = text.trim();
        if (t.isEmpty()) throw new IllegalArgumentException("empty duration");
        if (t.equals("infinity")) return Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L);
        Duration total = Duration.ZERO;
        int i = 0;
        boolean any = false;
        while (i < t.length()) {
            while (i < t.length() && t.charAt(i) == ' ') i++;
            if (i >= t.length()) break;
            int start = i;
            while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) i++;
            if (start == i) throw new IllegalArgumentException("not a duration: " + t + " (write e.g. 500ms, 5s, 2m)");
            String number = t.substring(start, i);
            while (i < t.length() && t.charAt(i) == ' ') i++;
            int us = i;
            while (i < t.length() && Character.isLetter(t.charAt(i))) i++;
            String unit = t.substring(us, i);
            long nanosPerUnit = switch (unit) {
                case "", "s", "sec", "second", "seconds" -> 1_000_000_000L;
                case "ms", "msec" -> 1_000_000L;
                case "us", "usec", "µs" -> 1_000L;
                case "ns", "nsec" -> 1L;
                case "m", "min", "minute", "minutes" -> 60_000_000_000L;
                case "h", "hr", "hour", "hours" -> 3_600_000_000_000L;
                case "d", "day", "days" -> 86_400_000_000_000L;
                default -> throw new IllegalArgumentException(
                        "unknown unit '" + unit + "' in duration " + t + " (use ms, s, m or h)");
            };
            double value;
            try {
                value = Double.parseDouble(number);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a duration: " + t);
            }
            total = total.plusNanos(Math.round(value * nanosPerUnit));
            any = true;
        }
        if (!any) throw new IllegalArgumentException("not a duration: " + t);
        return total;
    }

    /** The shortest exact spelling: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h30m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) return d.isZero() ? "0s" : d.toNanos() + "ns";
        if (d.toNanos() % 1_000_000 != 0) return d.toNanos() + "ns";
        if (ms % 1000 != 0) return ms + "ms";
        long s = ms / 1000;
        StringBuilder b = new StringBuilder();
        if (s >= 3600 && s % 60 == 0) {
            b.append(s / 3600).append('h');
            s %= 3600;
            if (s > 0) b.append(s / 60).append('m');
            return b.toString();
        }
        if (s >= 60 && s % 60 == 0) return (s / 60) + "m";
        return s + "s";
    }
}
