package dev.ordo.executor.cli;

import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Planner;
import java.io.PrintWriter;
import java.util.Map;

/** A goal that names a job the configuration does not have is a usage error, said with a hint. */
final class Goals {

    private Goals() {
    }

    static boolean known(Config config, Goal goal, PrintWriter err) {
        Map<String, String> names = Planner.aliases(config);
        for (String j : goal.jobs()) if (!check(j, "--start", names, err)) return false;
        for (Goal.Failure f : goal.fail()) if (!check(f.job(), "--fail", names, err)) return false;
        return true;
    }

    private static boolean check(String job, String option, Map<String, String> names, PrintWriter err) {
        if (names.containsKey(job)) return true;
        String hint = Suggest.hint(job, names.keySet());
        err.println("ordo: " + option + " " + job + ": no such job in this configuration"
                + (hint == null ? "" : "; " + hint));
        return false;
    }
}
