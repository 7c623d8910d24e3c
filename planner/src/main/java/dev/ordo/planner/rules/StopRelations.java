package dev.ordo.planner.rules;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import java.util.Set;

/**
 * Who decides when a job stops at shutdown (SEMANTICS §6, Shutdown): a job whose {@code stop on} waits for
 * another job's {@code stopping}/{@code stopped} is left to it; between two jobs that a stop relation
 * links, in either direction, that relation takes the place of the reversed boot order.
 */
public final class StopRelations {

    private StopRelations() {
    }

    /**
     * Whether {@code job}'s stop condition waits for the {@code stopping} or {@code stopped} event of one of
     * {@code live} (jobs that will stop), other than itself: then it stops by that condition, not when asked.
     */
    public static boolean leftToStopOn(Job job, Set<String> live) {
        EventExpr e = job.stopOn();
        if (e == null) return false;
        for (EventExpr.Match m : e.matches()) {
            JobEvent je = JobEvent.of(m.event());
            if (je == null || !je.carriesResult()) continue;
            String j = m.jobArgument();
            if (j != null && !j.equals(job.name()) && live.contains(j)) return true;
        }
        return false;
    }

    /** Whether a stop condition of either job names the other. */
    public static boolean related(Job a, Job b) {
        return names(a.stopOn(), b.name()) || names(b.stopOn(), a.name());
    }

    private static boolean names(EventExpr e, String job) {
        if (e == null) return false;
        for (EventExpr.Match m : e.matches()) if (job.equals(m.jobArgument())) return true;
        return false;
    }
}
