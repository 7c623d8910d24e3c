package dev.ordo.planner.engine;

/**
 * Where the engine reads the time. The engine never reads a real clock itself, so that a simulation
 * with a fake clock runs the same way every time.
 */
@FunctionalInterface
public interface Clock {

    /** Milliseconds on a monotonic scale; only differences matter. */
    long millis();
}
