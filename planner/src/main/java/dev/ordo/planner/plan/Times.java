package dev.ordo.planner.plan;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Times as plans print them: seconds, up to milliseconds, no trailing zeros ({@code 1.5s}, {@code 12s}). */
public final class Times {

    private Times() {
    }

    public static String format(double seconds) {
        if (Double.isInfinite(seconds)) return "never";
        BigDecimal d = BigDecimal.valueOf(seconds).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.scale() < 0) d = d.setScale(0);
        return d.toPlainString() + "s";
    }
}
