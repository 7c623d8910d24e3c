/**
 * The control socket: a Unix domain socket in the state directory that speaks JSON lines (docs/control.md),
 * the server side the supervisor listens with and the client that {@code ordo start|stop|status|...} use.
 */
package dev.ordo.executor.control;
