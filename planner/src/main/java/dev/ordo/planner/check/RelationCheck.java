package dev.ordo.planner.check;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.List;
import java.util.Map;

/**
 * Relations that are legal but probably not what the author meant: {@code requires} with no order
 * (ORD201), needing and conflicting with the same job (ORD204), a respawn limit with nothing to limit
 * (ORD206).
 */
final class RelationCheck {

    private RelationCheck() {
    }

    static void run(Config config, List<Diagnostic> out) {
        Map<String, Job> jobs = config.byName();
        for (Job job : config.jobs()) {
            for (Relation r : job.relations()) {
                Job target = jobs.get(r.target());
                if (target == null || target == job) continue;
                if (r.kind() == RelationKind.REQUIRES && r.origin() != Relation.Origin.IMPLICIT
                        && !ordered(job, target)) {
                    out.add(Diagnostic.of(Code.REQUIRES_WITHOUT_AFTER, r.source(),
                            "`" + job.name() + "` requires `" + target.name() + "` but is not ordered after it: both"
                                    + " start at the same time, and a failure of `" + target.name()
                                    + "` does not stop `" + job.name() + "` from starting",
                            job.format() == Format.SYSTEMD ? "add After=" + target.name() + " next to the Requires="
                                    : "add `after: [" + target.name() + "]` if it needs `" + target.name()
                                            + "` up first"));
                }
                if (pulls(r.kind()) && conflicts(job, target)) {
                    out.add(Diagnostic.of(Code.CONFLICTING_RELATIONS, r.source(),
                            "`" + job.name() + "` both " + r.kind().key() + " and conflicts with `" + target.name()
                                    + "`: starting one stops the other",
                            "remove one of the two relations"));
                }
            }
            if (job.format() == Format.UPSTART && !job.respawn().enabled() && job.respawn().source() != null) {
                out.add(Diagnostic.of(Code.RESPAWN_LIMIT_WITHOUT_RESPAWN, job.respawn().source(),
                        "`respawn limit` without `respawn`: this job is never respawned, so the limit does nothing",
                        "add a `respawn` stanza, or remove the limit"));
            }
        }
    }

    private static boolean pulls(RelationKind k) {
        return k == RelationKind.REQUIRES || k == RelationKind.WANTS || k == RelationKind.BINDS_TO
                || k == RelationKind.REQUISITE;
    }

    /** Any ordering between the two, in either direction and from either side. */
    static boolean ordered(Job a, Job b) {
        for (Relation r : a.relations()) {
            if (r.kind().ordering() && r.target().equals(b.name())) return true;
        }
        for (Relation r : b.relations()) {
            if (r.kind().ordering() && r.target().equals(a.name())) return true;
        }
        return false;
    }

    private static boolean conflicts(Job a, Job b) {
        for (Relation r : a.relations()) {
            if (r.kind() == RelationKind.CONFLICTS && r.target().equals(b.name())) return true;
        }
        for (Relation r : b.relations()) {
            if (r.kind() == RelationKind.CONFLICTS && r.target().equals(a.name())) return true;
        }
        return false;
    }
}
