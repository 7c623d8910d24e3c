package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * A dependency-style relation from the job that holds it to {@code target}.
 *
 * @param origin why the relation exists: written in the file, implied by systemd's defaults, or read
 *     from a {@code .wants/}/{@code .requires/} link
 */
public record Relation(RelationKind kind, String target, Source source, Origin origin) {

    /** Where a relation comes from; shown in explanations so nobody hunts for an edge nobody wrote. */
    public enum Origin {
        DECLARED("declared"),
        IMPLICIT("implicit"),
        LINK("link"),
        INSTALL("install");

        private final String label;

        Origin(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public Relation {
        if (kind == null || target == null || source == null || origin == null) throw new IllegalArgumentException();
    }

    public static Relation declared(RelationKind kind, String target, Source source) {
        return new Relation(kind, target, source, Origin.DECLARED);
    }
}
