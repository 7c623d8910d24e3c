/**
 * The supervisor: one loop that feeds the engine its inputs (process events from {@code posix}, commands from
 * the control socket, timers, signals) and carries out the effects it answers with (spawn, kill, arm a timer,
 * reply, log; open, watch and close a socket unit's sockets). Around it: the state file that lets a restarted supervisor adopt what is still running, job
 * logs written from the jobs' output pipes and rotated between lines, the supervisor's own output, and the
 * history that {@code ordo plan --learned} reads. What can wait on a disk or a reader (state, logs, output,
 * history) has a thread of its own and a bounded buffer, never the loop.
 */
package dev.ordo.executor.runtime;
