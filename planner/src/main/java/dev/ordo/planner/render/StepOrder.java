package dev.ordo.planner.render;

import dev.ordo.planner.plan.Step;
import java.util.Comparator;

/** The order every plan picture lists steps in: by start time, then id, whatever order they came in. */
final class StepOrder {

    static final Comparator<Step> BY_START = Comparator.comparingDouble(Step::start)
            .thenComparing((Step s) -> s.id());

    private StepOrder() {
    }
}
