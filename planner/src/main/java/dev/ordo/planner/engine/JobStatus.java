package dev.ordo.planner.engine;

import java.util.Map;

/**
 * What {@code status} and {@code list} say of one instance, or of a job with none, as data: the same facts as the
 * status line ({@link Commands#statusText}), for clients that read JSON rather than initctl's text.
 *
 * @param name how ordo names it: {@code job}, {@code job (instance)}, or systemd's {@code a@instance.service}
 * @param job the job (for an instance of a unit template, the template: {@code a@.service})
 * @param instance the instance's name; empty for a singleton
 * @param processes each running process by its phase's word ({@code main}, {@code pre-start}, ...), in start order
 * @param failed why its last start failed, or null
 * @param skipped why its last start was skipped, or null
 */
public record JobStatus(String name, String job, String instance, JobGoal goal, JobState state, boolean removed,
                        Map<String, Integer> processes, String failed, String skipped) {

    public JobStatus {
        processes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(processes)); // in start order
    }
}
