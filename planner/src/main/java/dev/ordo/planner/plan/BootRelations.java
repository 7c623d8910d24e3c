package dev.ordo.planner.plan;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a boot evaluation reads off a job's dependency relations (SEMANTICS §5): the edge kind a relation
 * is shown with, whether one job requires or only follows the end of another, and which jobs a requisite
 * outside the boot set refuses.
 */
final class BootRelations {

    private BootRelations() {
    }

    static EdgeKind kindOf(RelationKind k) {
        return switch (k) {
            case REQUIRES -> EdgeKind.REQUIRES;
            case WANTS -> EdgeKind.WANTS;
            case BINDS_TO -> EdgeKind.BINDS_TO;
            case REQUISITE -> EdgeKind.REQUISITE;
            case BEFORE -> EdgeKind.BEFORE;
            case ON_FAILURE -> EdgeKind.ON_FAILURE;
            case ON_SUCCESS -> EdgeKind.ON_SUCCESS;
            default -> EdgeKind.AFTER;
        };
    }

    static boolean hasRequisite(Job j) {
        for (Relation r : j.relations()) if (r.kind() == RelationKind.REQUISITE) return true;
        return false;
    }

    /**
     * Is {@code b} one of {@code a}'s {@code on_failure}/{@code on_success} targets? Those start only
     * once {@code a} has ended, so {@code a} is never ordered after them: systemd orders an
     * OnFailure= unit after the failed unit's stop, whatever After=/Before= say. Waiting would be a
     * circle.
     */
    static boolean startsWhenEnded(Job a, String b) {
        for (Relation r : a.relations()) {
            if ((r.kind() == RelationKind.ON_FAILURE || r.kind() == RelationKind.ON_SUCCESS) && r.target().equals(b)) {
                return true;
            }
        }
        return false;
    }

    static boolean requires(Job a, String b) {
        for (Relation r : a.relations()) {
            if (!r.target().equals(b)) continue;
            if (r.kind() == RelationKind.REQUIRES || r.kind() == RelationKind.BINDS_TO
                    || r.kind() == RelationKind.REQUISITE) {
                return true;
            }
        }
        return false;
    }

    /**
     * The jobs among {@code in} with a requisite outside it and outside {@code promised} (the boot set
     * without supposed failures): a requisite is never pulled in, so such a
     * job is refused whenever it is triggered (templated targets are left to the run, as in
     * {@link BootRequisites}).
     */
    static Set<String> requisiteOutside(Set<String> in, Set<String> promised, Map<String, Job> jobs) {
        Set<String> out = new HashSet<>();
        for (String name : in) {
            Job j = jobs.get(name);
            for (Relation r : j.relations()) {
                if (r.kind() != RelationKind.REQUISITE) continue;
                Job target = jobs.get(r.target());
                if (target == null || target == j || target.instance() != null) continue;
                if (!in.contains(target.name()) && !promised.contains(target.name())) out.add(name);
            }
        }
        return out;
    }
}
