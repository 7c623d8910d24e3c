/**
 * The control socket: a Unix domain socket in the state directory that speaks JSON lines (docs/control.md),
 * the server side the supervisor listens with and the client that {@code ordo start|stop|status|...} use.
 * The server is one thread over non-blocking channels: no client, idle, following or stuck, can hold up
 * the supervisor's loop or another client.
 */
package dev.ordo.executor.control;
