package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.config.systemd.SystemdReader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Glob;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Relations and job events that name jobs which do not exist (ORD101, ORD102), required units that
 * are masked (ORD107), and jobs that relate to themselves (ORD203).
 */
final class ReferenceCheck {

    private ReferenceCheck() {
    }

    static void run(Config config, List<Diagnostic> out) {
        Map<String, Job> jobs = config.byName();
        for (Job job : config.jobs()) {
            for (Relation r : job.relations()) relation(job, r, jobs, out);
            if (job.startOn() != null) jobEvents(job, job.startOn(), true, jobs, config.complete(), out);
            if (job.stopOn() != null) jobEvents(job, job.stopOn(), false, jobs, config.complete(), out);
        }
    }

    private static void relation(Job job, Relation r, Map<String, Job> jobs, List<Diagnostic> out) {
        if (r.target().equals(job.name())) {
            if (r.origin() == Relation.Origin.DECLARED) {
                out.add(Diagnostic.of(Code.SELF_RELATION, r.source(),
                        "`" + job.name() + "` names itself in `" + key(job, r.kind()) + "`",
                        "a job cannot be ordered against or depend on itself; remove the entry"));
            }
            return;
        }
        Job target = jobs.get(r.target());
        if (target == null) {
            // Edges systemd adds by itself, and links it reads by name, are not the author's to fix.
            if (r.origin() == Relation.Origin.IMPLICIT) return;
            if (job.format() == Format.SYSTEMD) {
                boolean hard = r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.REQUISITE
                        || r.kind() == RelationKind.BINDS_TO;
                // systemd itself ignores missing Wants=/After=/Before= targets, and so do we.
                if (!hard || SystemdReader.definedWithoutFile(r.target())) return;
                String hint = Suggest.hint(r.target(), jobs.keySet());
                out.add(Diagnostic.of(Code.UNKNOWN_JOB, r.source(),
                        key(job, r.kind()) + " names unit `" + r.target() + "`, which is not defined here",
                        hint != null ? hint : "check the name, or pass --root DIR to check against a whole unit tree"));
                return;
            }
            String hint = Suggest.hint(r.target(), jobs.keySet());
            out.add(Diagnostic.of(Code.UNKNOWN_JOB, r.source(),
                    "`" + key(job, r.kind()) + "` names job `" + r.target() + "`, which does not exist",
                    hint != null ? hint : "define the job, or remove it from `" + key(job, r.kind()) + "`"));
            return;
        }
        boolean needsIt = r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.REQUISITE
                || r.kind() == RelationKind.BINDS_TO;
        if (needsIt && target.unit() != null && target.unit().masked()) {
            out.add(Diagnostic.of(Code.MASKED_UNIT, r.source(),
                    key(job, r.kind()) + " names `" + r.target() + "`, which is masked: `" + job.name()
                            + "` cannot start",
                    "unmask " + r.target() + " (it is linked to /dev/null), or drop the requirement"));
        }
    }

    private static void jobEvents(Job job, EventExpr expr, boolean start, Map<String, Job> jobs, boolean complete,
                                  List<Diagnostic> out) {
        Set<EventExpr.Match> missing = new HashSet<>();
        for (EventExpr.Match m : expr.matches()) {
            String name = m.jobArgument();
            if (name == null || name.contains("$") || Glob.isPattern(name)) continue;
            if (!jobs.containsKey(name)) missing.add(m);
        }
        if (missing.isEmpty()) return;
        boolean fatal = !Expressions.canHold(expr, missing::contains);
        String stanza = job.format() == Format.UPSTART ? (start ? "start on" : "stop on") : (start ? "start_on" : "stop_on");
        for (EventExpr.Match m : expr.matches()) {
            if (!missing.contains(m)) continue;
            String name = m.jobArgument();
            String hint = Suggest.hint(name, jobs.keySet());
            String leaf = m.event() + " " + name;
            // An event of a job that is not among these files is unknown, not impossible: the files are
            // usually part of a system (SEMANTICS §6, Partial sets). An error when the user declared them
            // the whole system, or when a job of a near name exists (a typo, not a job from elsewhere).
            boolean impossible = complete || hint != null;
            if (fatal && !impossible) {
                String what = start ? "never starts here" : "is never stopped by an event here";
                out.add(new Diagnostic(Severity.WARNING, Code.UNKNOWN_JOB_EVENT, "`" + job.name() + "` " + what
                        + ": `" + leaf + "` needs job `" + name + "`, which is not among these files", m.source(),
                        "fine if `" + name + "` comes with the rest of the system; with --complete this is an error"));
            } else if (fatal) {
                String what = start ? "can never start" : "is never stopped by an event";
                out.add(Diagnostic.of(Code.UNKNOWN_JOB_EVENT, m.source(),
                        "`" + job.name() + "` " + what + ": `" + leaf + "` needs job `" + name
                                + "`, which does not exist",
                        hint != null ? hint : "define job `" + name + "`, or change " + stanza));
            } else {
                out.add(new Diagnostic(Severity.WARNING, Code.UNKNOWN_JOB_EVENT, "`" + leaf
                        + "` never happens: there is no job `" + name + "` (another branch of " + stanza
                        + " can still match)", m.source(),
                        hint != null ? hint : "fine if `" + name + "` is optional on some systems; otherwise define it"));
            }
        }
    }

    /** The relation as its author wrote it: {@code after} in YAML, {@code After=} in a unit file. */
    static String key(Job job, RelationKind kind) {
        if (job.format() != Format.SYSTEMD) return kind.key();
        return switch (kind) {
            case REQUIRES -> "Requires=";
            case WANTS -> "Wants=";
            case REQUISITE -> "Requisite=";
            case BINDS_TO -> "BindsTo=";
            case PART_OF -> "PartOf=";
            case AFTER -> "After=";
            case BEFORE -> "Before=";
            case CONFLICTS -> "Conflicts=";
            case ON_FAILURE -> "OnFailure=";
            case ON_SUCCESS -> "OnSuccess=";
            case TRIGGERS -> "Unit=";
        };
    }
}
