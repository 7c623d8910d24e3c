package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Named;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Events that jobs wait for but nothing in the configuration emits (ORD103). They are not errors:
 * on a real system telinit, mountall or a bridge sends them. One warning per event, at its first
 * use, so that a directory of jobs all waiting for {@code runlevel} says so once.
 */
final class EventCheck {

    private EventCheck() {
    }

    record EventFindings(List<String> externalEvents) {
    }

    static EventFindings run(Config config, List<Diagnostic> out) {
        List<String> emitted = new ArrayList<>();
        emitted.add("startup");
        for (Job j : config.jobs()) for (Named e : j.emits()) emitted.add(e.name());

        Map<String, List<EventExpr.Match>> uses = new TreeMap<>();
        for (Job j : config.jobs()) {
            for (EventExpr e : new EventExpr[] {j.startOn(), j.stopOn()}) {
                if (e == null) continue;
                for (EventExpr.Match m : e.matches()) {
                    String name = base(m.event());
                    if (JobEvent.isJobEvent(name) || name.contains("$")) continue;
                    if (isEmitted(name, emitted)) continue;
                    uses.computeIfAbsent(name, k -> new ArrayList<>()).add(m);
                }
            }
        }
        TreeSet<String> known = new TreeSet<>();
        for (String e : emitted) if (!Glob.isPattern(e)) known.add(e);
        for (Map.Entry<String, List<EventExpr.Match>> u : uses.entrySet()) {
            String name = u.getKey();
            List<EventExpr.Match> ms = u.getValue();
            EventExpr.Match first = ms.stream().min((a, b) -> a.source().compareTo(b.source())).orElseThrow();
            long jobs = ms.stream().map(m -> m.source().file()).distinct().count();
            String where = ms.size() == 1 ? "" : " (waited for in " + ms.size() + " places"
                    + (jobs > 1 ? ", " + jobs + " files" : "") + ")";
            out.add(Diagnostic.of(Code.UNEMITTED_EVENT, first.source(),
                    "event `" + name + "` is never emitted here: no job lists it in `emits` and no goal provides it"
                            + where, hint(name, known)));
        }
        return new EventFindings(new ArrayList<>(uses.keySet()));
    }

    /** {@code foo/failed} is emitted exactly when {@code foo} is. */
    private static String base(String event) {
        String e = event;
        while (e.endsWith("/failed")) e = e.substring(0, e.length() - "/failed".length());
        return e;
    }

    private static boolean isEmitted(String name, List<String> emitted) {
        for (String e : emitted) if (Glob.matches(e, name)) return true;
        return false;
    }

    private static String hint(String name, TreeSet<String> known) {
        WellKnownEvent w = WellKnownEvent.of(name);
        if (w != null) {
            return "it usually comes from " + w.emitter() + "; send it with `ordo emit " + name
                    + "` or plan with `--emit " + name + "`";
        }
        String s = Suggest.closest(name, known);
        if (s != null) return "did you mean `" + s + "`?";
        return "if a job here sends it, list it in that job's `emits`; otherwise it must come from outside (`ordo emit "
                + name + "`)";
    }
}
