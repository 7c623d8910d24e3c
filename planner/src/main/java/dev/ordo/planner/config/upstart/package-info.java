/**
 * Upstart job files (init(5)): libnih's tokenising rules ({@code UpstartScanner}), every stanza with Upstart's
 * own errors and its last-wins or accumulating rule ({@code UpstartStanzas}, which hands events, processes,
 * exits and resources to {@code EventStanzas}, {@code ProcessStanzas}, {@code ExitStanzas} and
 * {@code ResourceStanzas}), and {@code .override} files.
 * The facts and their sources are in docs/upstart.md.
 */
package dev.ordo.planner.config.upstart;
