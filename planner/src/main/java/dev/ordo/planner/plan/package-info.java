/**
 * Plans a goal (SEMANTICS §6): which jobs start, when, why, in which waves, the critical path, what does not
 * start and why, the shutdown, {@code --fail}, explain and diff. The plan's record types
 * ({@link dev.ordo.planner.plan.Plan}, {@link dev.ordo.planner.plan.Step}, {@link dev.ordo.planner.plan.Schedule})
 * are what the renderers show; {@link dev.ordo.planner.plan.Planner} is the entry point for both {@code ordo plan}
 * and {@code ordo check}.
 */
package dev.ordo.planner.plan;
