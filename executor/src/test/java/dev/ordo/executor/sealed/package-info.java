/**
 * Real daemons from the machine's own packages, booted by {@code ordo run} in a namespace sealed like a
 * container ({@link dev.ordo.executor.sealed.Seal}), so that a boot's work (tmpfiles emptying /tmp, sysctl,
 * modules) cannot reach the machine: ordo as PID 1 and off it, Debian's units and the corpus's Upstart jobs,
 * probed from inside and driven from outside through the state directory. Skipped, with the reason, without
 * root, the seal or the packages (.ci/run installs them).
 */
package dev.ordo.executor.sealed;
