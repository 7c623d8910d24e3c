package dev.ordo.planner.engine;

/** The ten states of a job instance, in the order a full start and stop goes through them (U§1.2). */
public enum JobState {
    WAITING("waiting"),
    STARTING("starting"),
    PRE_START("pre-start"),
    SPAWNED("spawned"),
    POST_START("post-start"),
    RUNNING("running"),
    PRE_STOP("pre-stop"),
    STOPPING("stopping"),
    KILLED("killed"),
    POST_STOP("post-stop");

    private final String word;

    JobState(String word) {
        this.word = word;
    }

    /** The word {@code status} prints. */
    public String word() {
        return word;
    }
}
