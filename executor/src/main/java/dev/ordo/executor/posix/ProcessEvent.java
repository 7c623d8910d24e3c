package dev.ordo.executor.posix;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Signal;

/**
 * What the process layer saw, in the OS's words (a process launched, reaped, halted by a signal, a child
 * left behind, a notify datagram). Events reach the listener in the order they happened, and for one pid
 * {@code Launched} (or {@code LeftChild} naming it as child) always comes before anything else about it;
 * the runtime turns each into one engine {@code Input}, whose names are the engine's own.
 */
public sealed interface ProcessEvent {

    /** The process of request {@code tag} runs as {@code pid} (its own session and group). */
    record Launched(long tag, int pid, ProcessIdentity identity) implements ProcessEvent {
    }

    /** Request {@code tag} could not start anything. */
    record LaunchFailed(long tag, int errno, String reason) implements ProcessEvent {
    }

    /** A tracked process ended: its exit code, or the signal that killed it. */
    record Reaped(int pid, ExitStatus status) implements ProcessEvent {
    }

    /** A tracked process was stopped by a signal (SIGSTOP for {@code ready: stop}); it stays stopped. */
    record Halted(int pid, Signal signal) implements ProcessEvent {
    }

    /** A followed process left {@code child} behind when it exited; {@code child} is tracked from now on. */
    record LeftChild(int pid, int child) implements ProcessEvent {
    }

    /** {@code READY=1} arrived on the notify socket of {@code key}; {@code sender} as the kernel saw it (0 if unknown). */
    record NotifyReady(String key, int sender) implements ProcessEvent {
    }

    /** {@code STATUS=} text on the notify socket of {@code key}. */
    record NotifyStatus(String key, String text) implements ProcessEvent {
    }

    /** Something the supervisor's log should say, once: e.g. why forks are inferred instead of counted. */
    record Note(String text) implements ProcessEvent {
    }

    /** {@code MAINPID=} on the notify socket of {@code key}. */
    record NotifyMainPid(String key, int pid) implements ProcessEvent {
    }
}
