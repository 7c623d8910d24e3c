package dev.ordo.planner.plan;

import java.util.List;

/**
 * A timed schedule: the boot, or the shutdown.
 *
 * @param steps sorted by start time, then id
 * @param waves the step ids of each wave (the start times with every duration 1), each sorted
 * @param criticalPath the chain of steps that sets {@code finish}, first to last
 * @param finish when the last step is up (boot) or stopped (shutdown); 0 for an empty schedule
 */
public record Schedule(List<Step> steps, List<List<String>> waves, List<PathStep> criticalPath, double finish) {

    public static final Schedule EMPTY = new Schedule(List.of(), List.of(), List.of(), 0);

    public Schedule {
        steps = List.copyOf(steps);
        waves = waves.stream().map(List::copyOf).toList();
        criticalPath = List.copyOf(criticalPath);
    }

    /** A step of the critical path, with the edge that led to it from the one before (null for the first). */
    public record PathStep(String id, double start, double up, EdgeKind via) {
    }

    public Step step(String id) {
        for (Step s : steps) if (s.id().equals(id)) return s;
        return null;
    }
}
