package dev.ordo.planner.render;

/** Times as the plan pictures print them: seconds, rounded to the millisecond, no trailing zeros. */
final class Seconds {

    private Seconds() {
    }

    /** {@code 1.5}, {@code 12}, {@code 0.25}: the same digits as the JSON form. */
    static String text(double seconds) {
        return PlanJson.time(seconds).toPlainString();
    }

    /** {@code 1.5 s}. */
    static String withUnit(double seconds) {
        return text(seconds) + " s";
    }
}
