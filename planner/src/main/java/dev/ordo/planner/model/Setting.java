package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/** A unit-file assignment kept as written, for keys ordo does not interpret. */
public record Setting(String section, String key, String value, Source source) {
}
