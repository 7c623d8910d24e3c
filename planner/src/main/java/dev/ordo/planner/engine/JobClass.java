package dev.ordo.planner.engine;

import dev.ordo.planner.model.Job;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A job definition with its live start condition and its instances (Upstart's {@code JobClass}). */
final class JobClass {

    /** The newest definition: new instances take it; a live one keeps its own until it starts again. */
    Job job;
    final String name;
    /** Its place in name order; given again at each reload. */
    int index;
    Operator startOn;
    /** Built-ins and the job's own {@code env}, in order (U§3.5 steps 1-2). */
    Map<String, String> env;
    /** Gone from the configuration at a reload: it starts no more and disappears when its last instance has stopped. */
    boolean removed;
    final TreeMap<String, Instance> instances = new TreeMap<>();

    /** Jobs this one starts after (its {@code after}, and every job that says {@code before: [this]}). */
    final List<JobClass> after = new ArrayList<>();
    /** Jobs that start after this one; they must stop before it stops. */
    final List<JobClass> orderedAfterThis = new ArrayList<>();
    /** Jobs pulled in when this one is started ({@code requires}, {@code wants}, {@code binds_to}). */
    final List<JobClass> pulls = new ArrayList<>();
    /** Jobs that require this one (their start fails when this fails, if they are also after it). */
    final List<JobClass> requiredBy = new ArrayList<>();
    /** Jobs stopped whenever this one stops for any reason ({@code binds_to} on them). */
    final List<JobClass> boundBy = new ArrayList<>();
    /** Jobs stopped or restarted when this one is explicitly stopped or restarted. */
    final List<JobClass> partOfThis = new ArrayList<>();
    final List<JobClass> conflicts = new ArrayList<>();
    /** Jobs that must already be up (or on their way up) when this one starts ({@code requisite}). */
    final List<JobClass> requisites = new ArrayList<>();
    /** Jobs started when an instance of this one fails ({@code on_failure}). */
    final List<JobClass> onFailure = new ArrayList<>();
    /** Jobs started when an instance of this one that was up stops without failing ({@code on_success}). */
    final List<JobClass> onSuccess = new ArrayList<>();
    /**
     * What {@code status} adds to stop/waiting: {@code failed: why} when the last instance failed,
     * {@code skipped: why} when its start was skipped (a condition, the early boot), or
     * {@code not started: why} when a start was refused; null once it stopped cleanly or starts again.
     */
    String lastFailure;

    JobClass(Job job, int index, Map<String, String> env) {
        this.job = job;
        this.name = job.name();
        this.index = index;
        this.startOn = job.manual() ? null : Operator.of(job.startOn());
        this.env = env;
    }

    /** Takes a new definition (a reload): its start condition begins afresh. */
    void define(Job job, Map<String, String> env) {
        // A partial match of the old start_on may hold an event: let it go.
        if (startOn != null) startOn.reset();
        this.job = job;
        this.startOn = job.manual() ? null : Operator.of(job.startOn());
        this.env = env;
    }

    /** Forgets every relation, to be wired again from the new configuration. */
    void unwire() {
        after.clear();
        orderedAfterThis.clear();
        pulls.clear();
        requiredBy.clear();
        boundBy.clear();
        partOfThis.clear();
        conflicts.clear();
        requisites.clear();
        onFailure.clear();
        onSuccess.clear();
    }

    boolean requires(JobClass other) {
        return other.requiredBy.contains(this);
    }

    @Override
    public String toString() {
        return name;
    }
}
