package dev.ordo.planner.plan;

import java.util.List;

/**
 * What a plan is for: events emitted at time 0 and jobs started at time 0.
 *
 * @param events each with its environment, e.g. {@code tty-added TTY=tty1}
 * @param jobs job names (a systemd unit name, a job, or {@code job (instance)})
 * @param fail the jobs whose start fails, to see what that takes down (empty for a normal boot)
 */
public record Goal(List<GoalEvent> events, List<String> jobs, List<Failure> fail) {

    public Goal {
        events = List.copyOf(events);
        jobs = List.copyOf(jobs);
        fail = List.copyOf(fail);
    }

    /** An event and its environment, {@code KEY=VALUE} in order. */
    public record GoalEvent(String name, List<String> env) {
        public GoalEvent {
            env = List.copyOf(env);
        }

        public String text() {
            return env.isEmpty() ? name : name + " " + String.join(" ", env);
        }
    }

    /**
     * A job made to fail at its start: {@code how} is null (any way: matches on EXIT_* are taken to
     * hold), an exit status, or a signal name.
     */
    public record Failure(String job, String how) {
    }
}
