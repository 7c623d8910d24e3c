/**
 * The leaf every other package reports with: a {@link dev.ordo.planner.diag.Diagnostic} is a finding (severity,
 * stable {@link dev.ordo.planner.diag.Code}, message, {@link dev.ordo.planner.diag.Source} position, hint), and
 * {@link dev.ordo.planner.diag.Suggest} gives the "did you mean" for a mistyped name. It depends on nothing of
 * ordo's, so readers, checks, the engine and the plan can all use it without depending on one another.
 */
package dev.ordo.planner.diag;
