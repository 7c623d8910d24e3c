package dev.ordo.planner.render;

/** Axis ticks a person reads without thinking: steps of 1, 2 or 5 times a power of ten. */
final class NiceTicks {

    private NiceTicks() {
    }

    /** The smallest nice step that cuts {@code range} into at most {@code most} parts; 1 for an empty range. */
    static double step(double range, int most) {
        if (!(range > 0) || Double.isInfinite(range)) return 1;
        double raw = range / most;
        double p = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            // rounded so 0.1 * 3 style sums do not leak into labels
            double s = Double.parseDouble(String.format(java.util.Locale.ROOT, "%.6g", m * p));
            if (s >= raw - 1e-12) return s;
        }
        return 10 * p;
    }
}
