package dev.ordo.planner.plan;

import dev.ordo.planner.diag.Source;

/**
 * Why a step is in the plan at all.
 *
 * @param kind {@code goal}, the job event or event that triggered it, or the relation that pulled it in
 * @param by the step or event that did it: a step id ({@code dbus}), an event text
 *     ({@code tty-added TTY=tty1}), or null for a goal
 * @param condition the start or stop condition that held, as written ({@code started dbus and started hal}),
 *     or null
 * @param source where the condition or relation is written, or null
 */
public record Because(EdgeKind kind, String by, String condition, Source source) {
}
