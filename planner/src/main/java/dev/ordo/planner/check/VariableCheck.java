package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Named;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code $VAR} references that nothing defines (ORD104) and instance templates that can only expand
 * to the empty string (ORD106).
 *
 * <p>SEMANTICS §4: values in {@code start_on} expand against the job's {@code env}; values in
 * {@code stop_on} and the instance template against the start environment (the job's env plus the
 * variables of the events that started it). That environment is only known when every event in
 * {@code start_on} is one whose variables are known (job events, {@code startup}, {@code runlevel});
 * otherwise an external event may bring any variable, and nothing is reported.
 */
final class VariableCheck {

    /** Variables every job process has (U§3.5). */
    private static final List<String> BUILT_IN = List.of("PATH", "TERM");

    private VariableCheck() {
    }

    static void run(Config config, List<Diagnostic> out) {
        Map<String, Job> jobs = config.byName();
        for (Job job : config.jobs()) {
            if (job.format() == Format.SYSTEMD) continue;
            Set<String> own = new LinkedHashSet<>(BUILT_IN);
            own.addAll(job.envMap().keySet());
            if (job.startOn() != null) {
                for (EventExpr.Match m : job.startOn().matches()) {
                    for (String var : unguarded(m)) {
                        if (!own.contains(var)) {
                            out.add(Diagnostic.of(Code.UNKNOWN_VARIABLE, m.source(),
                                    "`$" + var + "` in " + stanza(job, true) + " is not defined: values there expand"
                                            + " against the job's own env",
                                    "define it in the job's env, or write ${" + var + ":-default}"));
                        }
                    }
                }
            }
            Set<String> startEnv = startEnvironment(job, jobs, own);
            if (startEnv == null) continue;
            if (job.stopOn() != null) {
                for (EventExpr.Match m : job.stopOn().matches()) {
                    for (String var : unguarded(m)) {
                        if (!startEnv.contains(var)) {
                            out.add(Diagnostic.of(Code.UNKNOWN_VARIABLE, m.source(),
                                    "`$" + var + "` in " + stanza(job, false) + " is not defined: neither the job's env"
                                            + " nor the events that start it carry it",
                                    "stop_on values expand against the start environment; known here: "
                                            + String.join(" ", startEnv)));
                        }
                    }
                }
            }
            if (job.instance() != null) instance(job, startEnv, out);
        }
    }

    private static void instance(Job job, Set<String> startEnv, List<Diagnostic> out) {
        String text = job.instance().text();
        Map<String, String> env = new HashMap<>();
        // Variables from events have values we cannot know; any non-empty stand-in will do.
        for (String v : startEnv) env.put(v, "x");
        env.putAll(job.envMap());
        try {
            if (Expansion.expand(text, env).isEmpty()) {
                out.add(Diagnostic.of(Code.EMPTY_INSTANCE, job.instance().source(),
                        "instance template `" + text + "` always expands to nothing, so every start is the same"
                                + " instance",
                        text.isEmpty() ? "remove the empty instance, or name a variable that tells instances apart"
                                : "name a variable the start events carry, e.g. `$TTY` for `tty-added TTY=tty1`"));
            }
        } catch (Expansion.UnknownVariable e) {
            out.add(Diagnostic.of(Code.UNKNOWN_VARIABLE, job.instance().source(),
                    "`$" + e.name() + "` in the instance template is not defined: neither the job's env nor the"
                            + " events that start it carry it",
                    "known here: " + String.join(" ", startEnv)));
        }
    }

    /** The variable names a start of this job certainly has, or null when an event may bring others. */
    private static Set<String> startEnvironment(Job job, Map<String, Job> jobs, Set<String> own) {
        if (job.startOn() == null) return null; // `start JOB K=V` can pass anything
        Set<String> vars = new LinkedHashSet<>(own);
        vars.add("UPSTART_EVENTS");
        for (EventExpr.Match m : job.startOn().matches()) {
            JobEvent je = JobEvent.of(m.event());
            if (je != null) {
                vars.addAll(je.variables());
                String name = m.jobArgument();
                if (name == null || Glob.isPattern(name) || name.contains("$")) return null;
                Job other = jobs.get(name);
                if (other == null) return null;
                for (Named e : other.export()) vars.add(e.name());
                continue;
            }
            WellKnownEvent w = WellKnownEvent.of(m.event());
            if (w == null || w.variables() == null) return null;
            vars.addAll(w.variables());
        }
        return vars;
    }

    private static Set<String> unguarded(EventExpr.Match m) {
        Set<String> out = new LinkedHashSet<>();
        for (EventArg a : m.args()) {
            for (Expansion.Reference r : Expansion.references(a.value())) {
                if (!r.guarded()) out.add(r.name());
            }
        }
        return out;
    }

    private static String stanza(Job job, boolean start) {
        if (job.format() == Format.UPSTART) return start ? "`start on`" : "`stop on`";
        return start ? "`start_on`" : "`stop_on`";
    }
}
