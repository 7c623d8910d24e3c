package dev.ordo.planner.model;

/** Dependency-style relations (systemd's split between requirement and ordering, SEMANTICS §5). */
public enum RelationKind {
    /** Pulls the target in; its failure (with {@code after}) stops this job from starting. */
    REQUIRES("requires", true, false),
    /** Pulls the target in; its failure is ignored. */
    WANTS("wants", true, false),
    /** The target must already be up; it is not pulled in (systemd {@code Requisite=}). */
    REQUISITE("requisite", false, false),
    /** Like requires, and this job stops whenever the target stops (systemd {@code BindsTo=}). */
    BINDS_TO("binds_to", true, false),
    /** Stop and restart of the target reach this job (systemd {@code PartOf=}). */
    PART_OF("part_of", false, false),
    /** Starts after the target is up, stops before it. */
    AFTER("after", false, true),
    /** Starts before the target, stops after it. */
    BEFORE("before", false, true),
    /** Starting one stops the other. */
    CONFLICTS("conflicts", false, false),
    /** The target is started when this job fails (systemd {@code OnFailure=}). */
    ON_FAILURE("on_failure", false, false),
    /** The target is started when this job stops successfully (systemd {@code OnSuccess=}). */
    ON_SUCCESS("on_success", false, false),
    /** This unit activates the target (a socket, timer or path unit and the unit it triggers). */
    TRIGGERS("triggers", false, false);

    private final String key;
    private final boolean pullsIn;
    private final boolean ordering;

    RelationKind(String key, boolean pullsIn, boolean ordering) {
        this.key = key;
        this.pullsIn = pullsIn;
        this.ordering = ordering;
    }

    /** The key in ordo.yaml and the name shown in plans and diagnostics. */
    public String key() {
        return key;
    }

    public boolean pullsIn() {
        return pullsIn;
    }

    public boolean ordering() {
        return ordering;
    }
}
