package dev.ordo.executor.posix;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Signal;

/**
 * What the process layer saw. Events reach the listener in the order they happened, and for one pid
 * {@code Spawned} (or {@code Forked} naming it as child) always comes before anything else about it;
 * each maps onto one engine {@code Input}.
 */
public sealed interface ProcessEvent {

    /** The process of request {@code tag} runs as {@code pid} (its own session and group). */
    record Spawned(long tag, int pid, ProcessIdentity identity) implements ProcessEvent {
    }

    /** Request {@code tag} could not start anything. */
    record SpawnFailed(long tag, int errno, String reason) implements ProcessEvent {
    }

    /** A tracked process ended: its exit code, or the signal that killed it. */
    record Exited(int pid, ExitStatus status) implements ProcessEvent {
    }

    /** A tracked process was stopped by a signal (SIGSTOP for {@code ready: stop}); it stays stopped. */
    record Stopped(int pid, Signal signal) implements ProcessEvent {
    }

    /** A followed process left {@code child} behind when it exited; {@code child} is tracked from now on. */
    record Forked(int pid, int child) implements ProcessEvent {
    }

    /** {@code READY=1} arrived on the notify socket of {@code key}; {@code sender} as the kernel saw it (0 if unknown). */
    record Ready(String key, int sender) implements ProcessEvent {
    }

    /** {@code STATUS=} text on the notify socket of {@code key}. */
    record Status(String key, String text) implements ProcessEvent {
    }

    /** Something the supervisor's log should say, once: e.g. why forks are inferred instead of counted. */
    record Note(String text) implements ProcessEvent {
    }

    /** {@code MAINPID=} on the notify socket of {@code key}. */
    record MainPid(String key, int pid) implements ProcessEvent {
    }
}
