package dev.ordo.planner.plan;

import dev.ordo.planner.model.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One job instance's start during a {@link BootRun}: when it was triggered, started and up, and where it
 * stands (triggered, waiting, started, up, failed, skipped, done), with what it still waits for and why
 * it was triggered. The plan's steps, its not-started reasons and its deadlocks are read from these.
 */
final class StepStart {
    final Job job;
    final String instance;
    final String id;
    /** Its environment when it started, for the variables it exports; only kept when it exports any. */
    Map<String, String> env;
    double trigger = BootRun.NEVER;
    double start = BootRun.NEVER;
    double up = BootRun.NEVER;
    double completion = BootRun.NEVER;
    boolean triggered;
    boolean evaluated;
    boolean started;
    boolean succeeded;
    boolean failed;
    boolean skipped;
    boolean completed;
    /** A task whose main process ended, waiting for what its `stopping` event started. */
    boolean pendingDone;
    /** Failed, its `stopping` held: `stopped` and the on_failure targets come once it is released. */
    boolean pendingFail;
    /** What {@link #pendingFail} will emit. */
    List<String[]> failResult;
    Set<String> failAnyway;
    /** Failed because something it requires did: no on_failure (systemd's "dependency" result). */
    boolean dependencyOnly;
    String skippedBecause;
    /** Skipped because {@link #skippedBecause} is a requisite that is not up, rather than a failed requirement. */
    boolean requisiteMissing;
    int pending;
    double released = 0;
    Wait binding;
    Because because;
    final List<Wait> waits = new ArrayList<>();
    /** Blockers not yet released: what the step still waits for, for the "why" of a stuck step. */
    final List<Wait> open = new ArrayList<>();
    final List<Consumer<StepStart>> onComplete = new ArrayList<>();

    StepStart(Job job, String instance) {
        this.job = job;
        this.instance = instance;
        this.id = Step.id(job.name(), instance);
    }
}
