package dev.ordo.executor.runtime;

import dev.ordo.executor.control.Responder;
import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.plan.Planner;
import dev.ordo.planner.render.CheckTextRenderer;
import dev.ordo.planner.render.Style;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Reload (SIGHUP, {@code ordo reload}): reads and checks the configuration again and, if it has no
 * errors, hands it to the engine and makes it the one in force; says what changed. Loop thread only.
 */
final class ReloadStep {

    /** The most lines of errors a reload sends back to the client. */
    static final int MAX_LINES = 200;

    private final Supervisor sup;

    ReloadStep(Supervisor supervisor) {
        this.sup = supervisor;
    }

    /** Template instances asked for by name since the start; every reload makes them again. */
    private final Set<String> instances = new TreeSet<>();

    private static final Pattern INSTANCE = Pattern.compile(
            "[^@/]+@[^/]*\\.(service|socket|target|timer|path|mount|automount|swap|slice)");

    /**
     * Before a start of {@code name}: when it is an instance of a systemd template that the configuration
     * has no job for yet ({@code ordo start postgresql@15-main.service}), the configuration is read again
     * with that instance made, as systemd loads an instance the first time it is asked for. Nothing
     * happens for a known name, or when the template is not there (the start then says the job is unknown).
     */
    void instantiate(String name) {
        if (name == null || sup.jobs.containsKey(name) || sup.engine.jobs().contains(name) || !INSTANCE.matcher(name).matches()) {
            return;
        }
        if (!instances.add(name)) return;
        reload(null);
        if (!sup.jobs.containsKey(name)) instances.remove(name);
    }

    void reload(Responder responder) {
        Config fresh = ConfigLoader.load(sup.options.paths(), sup.options.root(), instances);
        CheckReport report = Planner.check(fresh);
        if (report.errors() > 0) {
            String why = "the configuration has " + report.errors() + " error" + (report.errors() == 1 ? "" : "s")
                    + "; the running one is kept";
            sup.log("reload: " + why);
            for (String line : new CheckTextRenderer(Style.PLAIN).render(report).split("\n")) sup.log("reload: " + line);
            if (responder != null) {
                // The errors go back to who asked, not only to the supervisor's log (at most a screenful).
                CheckReport errors = new CheckReport(report.config(),
                        report.diagnostics().stream().filter(d -> d.isError()).toList(), report.externalEvents());
                String[] text = new CheckTextRenderer(Style.PLAIN).render(errors).split("\n");
                for (int i = 0; i < Math.min(text.length, MAX_LINES); i++) responder.line(text[i]);
                if (text.length > MAX_LINES) responder.line("... " + (text.length - MAX_LINES) + " more lines in the supervisor's log");
                responder.error(why);
            }
            return;
        }
        if (sup.shutdownSent) {
            String why = "shutting down: the new configuration is not applied";
            sup.log("reload: " + why);
            if (responder != null) responder.error(why);
            return;
        }
        List<Effect> effects = sup.engine.reload(fresh.jobs(), sup.bootJobs(fresh));
        Map<String, Job> known = new HashMap<>(fresh.byName());
        for (String name : sup.engine.jobs()) if (!known.containsKey(name) && sup.jobs.containsKey(name)) known.put(name, sup.jobs.get(name));
        sup.config = fresh;
        sup.jobs = known;
        List<String> lines = new ArrayList<>();
        boolean added = false;
        for (Effect e : effects) {
            if (!(e instanceof Effect.Reloaded r)) continue;
            for (Effect.Change c : r.changes()) {
                lines.add(c.text());
                if (c.kind() == Effect.Change.Kind.ADDED) added = true;
            }
        }
        if (lines.isEmpty()) lines.add("no change");
        for (String line : lines) sup.log("reload: " + line);
        if (added) {
            // Upstart's rule: events already past do not start a job that was not there to see them.
            lines.add("new jobs start on their next start_on event; to start one now: ordo start JOB");
        }
        sup.carry(effects);
        sup.stateChanged();
        if (responder != null) responder.ok(String.join("\n", lines));
    }
}
