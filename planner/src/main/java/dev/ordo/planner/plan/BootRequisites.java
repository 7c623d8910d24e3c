package dev.ordo.planner.plan;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Requisites in a {@link BootRun} (SEMANTICS §5): a job with one is refused, not started, when its target
 * is neither up nor on its way, decided as the engine decides it, once the event or action that triggered
 * the job has reached every job (a requisite triggered by the same event is on its way).
 */
final class BootRequisites {

    private final BootRun run;
    /** Triggered jobs with a requisite, decided when the action at hand is over. */
    final List<StepStart> undecided = new ArrayList<>();

    BootRequisites(BootRun run) {
        this.run = run;
    }

    /**
     * Decides the requisites of the jobs the event or action just handled triggered, as the engine
     * does once an event has reached every job: a requisite triggered by the same event (or pulled in
     * by a job it started) is on its way, unless refused in turn; repeated until nothing more is refused.
     */
    void decide() {
        while (!undecided.isEmpty()) {
            List<StepStart> todo = new ArrayList<>(undecided);
            undecided.clear();
            Set<StepStart> no = new HashSet<>();
            for (boolean changed = true; changed; ) {
                changed = false;
                for (StepStart x : todo) {
                    if (!no.contains(x) && requisiteMissing(x, x.trigger)) changed = no.add(x);
                }
            }
            for (StepStart x : todo) if (!no.contains(x)) run.proceed(x, x.trigger);
        }
    }

    /**
     * A requisite (systemd's Requisite=) is not pulled in: when it is neither in this boot nor still
     * up when the step is triggered (it failed already), the step does not start, as the executor
     * refuses it.
     */
    private boolean requisiteMissing(StepStart s, double t) {
        for (Relation r : s.job.relations()) {
            if (r.kind() != RelationKind.REQUISITE) continue;
            Job target = run.jobs.get(r.target());
            if (target == null || target == s.job || target.instance() != null) continue;
            Map<String, StepStart> m = run.states.get(target.name());
            StepStart x = m == null ? null : m.get("");
            boolean gone = x != null && gone(x);
            // On its way: run.promised to the boot, or triggered already (a job only a failure starts
            // counts once it is, as for a supervisor that did not know of the failure ahead).
            boolean coming = (run.promised == null ? run.closure : run.promised).contains(target.name()) || (x != null && x.triggered);
            if (coming && !gone) continue;
            s.requisiteMissing = true;
            run.skip(s, t, target.name());
            return true;
        }
        return false;
    }

    /**
     * Is this requisite target no longer up nor on its way? It failed or was skipped; its `stopping`
     * and `stopped` already count, as the job asking may be started by them. A task done is still
     * there: the boot is one transaction (see docs/semantics.md, requisite).
     */
    private static boolean gone(StepStart x) {
        return x.failed || (x.completed && !x.succeeded);
    }
}
