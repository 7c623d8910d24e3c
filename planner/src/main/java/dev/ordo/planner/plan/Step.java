package dev.ordo.planner.plan;

import java.util.List;

/**
 * One job instance in a schedule. In the boot schedule a step runs from {@code start} (its start
 * condition held and everything it waits for is up) to {@code up} (running and ready; for a task:
 * done). In the shutdown schedule it runs from {@code start} (it is asked to stop) to {@code up}
 * (fully stopped). Times are in seconds from the goal; {@code wave} is the start time with every
 * duration 1.
 *
 * @param id {@code job}, or {@code job (instance)} for an instance
 * @param instance the instance name, empty for a singleton
 * @param trigger when its start (or stop) condition held, before any waiting
 * @param waitsFor every step it waited for, with why; sorted by id then kind
 */
public record Step(String id, String job, String instance, boolean task, int wave, double trigger, double start,
                   double up, List<Wait> waitsFor, Because because) {

    public Step {
        waitsFor = List.copyOf(waitsFor);
    }

    /** The id of a job instance: {@code job}, or {@code job (instance)}. */
    public static String id(String job, String instance) {
        return instance == null || instance.isEmpty() ? job : job + " (" + instance + ")";
    }
}
