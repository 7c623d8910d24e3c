package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * A variable in a job's environment. {@code value == null} means "take it from the supervisor's own
 * environment" (Upstart's {@code env KEY}).
 */
public record EnvVar(String key, String value, Source source) {
}
