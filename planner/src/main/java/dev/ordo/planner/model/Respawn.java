package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

import java.time.Duration;

/**
 * Respawn policy (U§1.5). {@code limit == 0} or a zero interval means unlimited. The limit is kept even
 * when respawn is off, because Upstart's {@code respawn limit} alone does not turn respawning on.
 *
 * @param source where respawn or its limit was set, or null for the defaults
 * @param delay how long after the main process ended it starts again (systemd's {@code RestartSec=}); zero
 *     for at once, as Upstart does (ordo still never starts one instance's main process more often than
 *     every 100 ms)
 */
public record Respawn(boolean enabled, int limit, Duration interval, Source source, Duration delay) {

    public Respawn {
        delay = delay == null ? Duration.ZERO : delay;
    }

    public Respawn(boolean enabled, int limit, Duration interval, Source source) {
        this(enabled, limit, interval, source, Duration.ZERO);
    }

    public static final int DEFAULT_LIMIT = 10;
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    /** Off, with Upstart's default limit of 10 in 5 s. */
    public static final Respawn OFF = new Respawn(false, DEFAULT_LIMIT, DEFAULT_INTERVAL, null);

    public boolean unlimited() {
        return limit == 0 || interval.isZero();
    }
}
