package dev.ordo.planner.render;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.planner.diag.Diagnostic;

/** A diagnostic's JSON fields, the same in ordo.check/1, ordo.plan/1 and ordo.diff/1. */
final class DiagnosticJson {

    private DiagnosticJson() {
    }

    /** Writes {@code severity} (when asked), {@code code}, {@code name}, {@code message}, the place and the hint. */
    static void put(ObjectNode o, Diagnostic d, boolean severity) {
        if (severity) o.put("severity", d.severity().label());
        o.put("code", d.code().id());
        o.put("name", d.code().slug());
        o.put("message", d.message());
        o.put("file", d.source().file());
        o.put("line", d.source().line());
        o.put("column", d.source().column());
        if (d.hint() == null) o.putNull("hint");
        else o.put("hint", d.hint());
    }
}
