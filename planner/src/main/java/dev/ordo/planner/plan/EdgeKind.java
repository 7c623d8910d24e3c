package dev.ordo.planner.plan;

/**
 * Why one step waits for another, or why a step is in the plan. Each kind has the name plans show
 * ({@code after}, {@code started}, ...) and a strength used when a cycle must be cut: the weakest
 * edge is the one to cut (a wanted job before an ordering, an ordering before a requirement).
 */
public enum EdgeKind {
    /** The step is a goal: started or emitted at time 0. */
    GOAL("goal", 3),
    /** A non-job event, emitted by a goal or by a job's {@code emits}. */
    EVENT("event", 2),
    /** A job event: the step's start condition matched it. */
    STARTING("starting", 2),
    STARTED("started", 2),
    STOPPING("stopping", 2),
    STOPPED("stopped", 2),
    /** An event a job emits when it is up (its {@code emits} list). */
    EMITS("emits", 2),
    /** Pulled in by {@code wants}. */
    WANTS("wants", 0),
    /** Pulled in by, or ordered through, {@code requires}. */
    REQUIRES("requires", 3),
    BINDS_TO("binds_to", 3),
    REQUISITE("requisite", 3),
    /** Started because the other job failed (systemd {@code OnFailure=}). */
    ON_FAILURE("on_failure", 0),
    /** Started because the other job (a task) finished successfully (systemd {@code OnSuccess=}). */
    ON_SUCCESS("on_success", 0),
    /** Ordering only. */
    AFTER("after", 1),
    BEFORE("before", 1),
    /** An event held by a partial {@code and} match of the step that holds it. */
    HELD("held", 2),
    /** Shutdown: a boot ordering applied in reverse. */
    REVERSE("reverse", 1);

    private final String label;
    private final int strength;

    EdgeKind(String label, int strength) {
        this.label = label;
        this.strength = strength;
    }

    /** The name shown in plans ({@code after}, {@code started}, ...). */
    public String label() {
        return label;
    }

    /** Lower is weaker: cut first when breaking a deadlock (wants, then ordering, then events, then requires). */
    public int strength() {
        return strength;
    }
}
