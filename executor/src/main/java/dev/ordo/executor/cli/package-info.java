/**
 * The {@code ordo} command line (picocli): the offline commands ({@code check}, {@code plan}, {@code explain},
 * {@code diff}) reach only the planner, so they never load native code; {@code run} starts the supervisor;
 * the client commands talk to a running one; {@code bench} measures ordo against its yardsticks.
 */
package dev.ordo.executor.cli;
