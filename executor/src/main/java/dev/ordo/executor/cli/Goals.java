package dev.ordo.executor.cli;

import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.Planner;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;

/** A goal that names a job the configuration does not have is a usage error, said with a hint. */
final class Goals {

    private Goals() {
    }

    static boolean known(Config config, Goal goal, PrintWriter err) {
        Map<String, String> names = Planner.aliases(config);
        for (String j : goal.jobs()) if (!check(j, "--start", names, err)) return false;
        for (Goal.Failure f : goal.fail()) {
            if (!check(f.job(), "--fail", names, err) || !how(f, err)) return false;
        }
        return true;
    }

    /** HOW is an exit status (0 to 255) or a signal Linux knows; anything else would silently never match. */
    private static boolean how(Goal.Failure f, PrintWriter err) {
        String how = f.how();
        if (how == null) return true;
        if (!how.isEmpty() && how.chars().allMatch(Character::isDigit)) {
            if (how.length() <= 3 && Integer.parseInt(how) <= 255) return true;
            err.println("ordo: --fail " + f.job() + "=" + how + ": an exit status is 0 to 255");
            return false;
        }
        try {
            Signal.parse(how);
            return true;
        } catch (IllegalArgumentException e) {
            String word = how.toUpperCase(Locale.ROOT).startsWith("SIG") ? how.substring(3) : how;
            String hint = Suggest.hint(word.toUpperCase(Locale.ROOT), Signal.names());
            err.println("ordo: --fail " + f.job() + "=" + how + ": " + (how.isEmpty() ? "no exit status or signal after `=`"
                    : "not an exit status or a signal") + (hint == null ? "" : "; " + hint));
            return false;
        }
    }

    private static boolean check(String job, String option, Map<String, String> names, PrintWriter err) {
        if (names.containsKey(job)) return true;
        String hint = Suggest.hint(job, names.keySet());
        err.println("ordo: " + option + " " + job + ": no such job in this configuration"
                + (hint == null ? "" : "; " + hint));
        return false;
    }
}
