/**
 * A make-believe process layer for the engine: seeded random durations, failures, forks and probes on a
 * virtual clock. The property tests drive the engine through it, and {@code ordo bench engine} times it.
 */
package dev.ordo.planner.engine.sim;
