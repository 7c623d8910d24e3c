package dev.ordo.planner.plan;

/**
 * A job that does not start for this goal, and why, in words a person can act on
 * ("waits for `tty-added`, which nothing emits").
 *
 * @param reason {@code no-trigger}, {@code waits-for}, {@code deadlock}, {@code held}, {@code failed},
 *     {@code dependency-failed}, {@code requisite-missing}, {@code instance}: a stable word for tools
 */
public record NotStarted(String id, String reason, String why) {
}
