package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;

/**
 * A step waits for another: {@code id} is the other step, {@code kind} why, {@code source} the place
 * that says so (null for edges nobody wrote, such as a reversed boot order).
 */
public record Wait(String id, EdgeKind kind, Source source) {
}
