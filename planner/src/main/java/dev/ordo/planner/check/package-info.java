/**
 * The checks that need the whole configuration but no plan: unknown jobs and events, undefined variables,
 * suspicious relations, ordering cycles (every elementary cycle with each edge's kind and source, and the
 * weakest edge to cut). Findings only a plan shows (deadlocks, held events) are added by
 * {@code plan.Planner.check}, which is what {@code ordo check} runs.
 */
package dev.ordo.planner.check;
