/**
 * Turns the paths a user names into one {@link dev.ordo.planner.model.Config}: which files are ordo.yaml, Upstart
 * job files or systemd units (a unit tree is read with its search path, drop-ins and links), each handed to its
 * format's reader, and every reader's findings kept with their positions.
 */
package dev.ordo.planner.config.load;
