/**
 * The one model every format is read into: immutable records for a {@link dev.ordo.planner.model.Job} (its
 * processes, relations, event expressions, readiness, kill and respawn policy, resources) and for the whole
 * {@link dev.ordo.planner.model.Config}. Dependency-style relations and Upstart's event expressions sit side by
 * side here; what they mean is the engine's business, not the model's.
 */
package dev.ordo.planner.model;
