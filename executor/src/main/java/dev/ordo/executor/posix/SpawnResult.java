package dev.ordo.executor.posix;

/** What {@link Processes#spawn} did, known before it returns (the same is also sent as an event). */
public sealed interface SpawnResult {

    /** exec succeeded (or the trampoline started, when resources need one). */
    record Started(int pid, ProcessIdentity identity) implements SpawnResult {
    }

    /** Nothing was started. {@code errno} is 0 for errors that are not the kernel's (unknown user). */
    record Failed(int errno, String reason) implements SpawnResult {
    }
}
