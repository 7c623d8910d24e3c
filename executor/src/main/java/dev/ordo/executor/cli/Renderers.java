package dev.ordo.executor.cli;

import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.render.PlanDot;
import dev.ordo.planner.render.PlanMermaid;
import dev.ordo.planner.render.PlanSvg;

/** The picture formats of a plan (dot, mermaid, svg). */
final class Renderers {

    private Renderers() {
    }

    static String render(OutputFormat format, Plan plan) {
        return switch (format) {
            case dot -> PlanDot.render(plan);
            case mermaid -> PlanMermaid.render(plan);
            case svg -> PlanSvg.render(plan);
            case text, json -> throw new IllegalArgumentException("not a picture: " + format);
        };
    }
}
