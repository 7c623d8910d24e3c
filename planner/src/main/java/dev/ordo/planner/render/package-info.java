/**
 * How checks and plans are shown: compiler-style text with the source line and a caret, JSON (the
 * {@code ordo.check/1}, {@code ordo.plan/1} and {@code ordo.diff/1} formats of docs/plan-format.md), DOT,
 * Mermaid and an SVG timeline. Same input, byte-identical output; colour only on a terminal and never with
 * {@code NO_COLOR}.
 */
package dev.ordo.planner.render;
