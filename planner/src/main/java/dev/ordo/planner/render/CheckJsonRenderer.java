package dev.ordo.planner.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ordo.planner.check.CheckReport;
import dev.ordo.planner.diag.Diagnostic;

/**
 * {@code ordo check --format json}: the {@code ordo.check/1} document (docs/checks.md describes it).
 * Keys are written in a fixed order so the output is byte-identical for the same input.
 */
public final class CheckJsonRenderer {

    public static final String FORMAT = "ordo.check/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String render(CheckReport report) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("files", report.config().files().size());
        root.put("jobs", report.config().jobs().size());
        root.put("errors", report.errors());
        root.put("warnings", report.warnings());
        ArrayNode ext = root.putArray("external_events");
        report.externalEvents().forEach(ext::add);
        ArrayNode ds = root.putArray("diagnostics");
        for (Diagnostic d : report.diagnostics()) DiagnosticJson.put(ds.addObject(), d, true);
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of plain nodes always serialises
        }
    }
}
