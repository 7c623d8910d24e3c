/**
 * The rules that the plan and the engine both apply, each written once: which event matches which leaf
 * of a condition (U§3.2), which stop relations take the place of the reversed boot order at shutdown,
 * which units make up the early boot, and which programs need systemd itself as PID 1.
 * Pure functions over the model; the plan ({@code plan}) and the engine ({@code engine}) call them with
 * their own view of an event or a job. docs/architecture.md names the home of every rule.
 */
package dev.ordo.planner.rules;
