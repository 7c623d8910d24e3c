/**
 * systemd units as systemd 252 reads them: the search path under a root, drop-ins, {@code .wants/} and
 * {@code .requires/} links, aliases, templates and specifiers, masking, and the implicit dependencies of
 * {@code DefaultDependencies=}; each unit becomes a job of the model with its systemd settings kept
 * ({@link dev.ordo.planner.model.Unit}).
 */
package dev.ordo.planner.config.systemd;
