/**
 * The only package that touches the OS through native code (jnr-ffi, jnr-posix, jnr-unixsocket); nothing
 * else may reference jnr, so {@code ordo check} and {@code plan} never pay the ~250 ms it costs to load.
 *
 * <p>{@link dev.ordo.executor.posix.Processes} carries out the engine's {@code Spawn} and {@code Kill}
 * effects and reports what it saw as {@link dev.ordo.executor.posix.ProcessEvent}s ({@code Launched},
 * {@code LaunchFailed}, {@code Reaped}, {@code Halted}, {@code LeftChild}, {@code NotifyReady}, ...), each of
 * which becomes one engine input: a runtime loop only has to translate. {@link dev.ordo.executor.posix.ListenSockets}
 * makes socket units' sockets and {@link dev.ordo.executor.posix.SocketWatch} watches them; a spawn passes
 * them on at fd 3, 4, ... ({@link dev.ordo.executor.posix.PassedFds}). A process's stdout and stderr are an
 * {@link dev.ordo.executor.posix.OutputPipe} that {@link dev.ordo.executor.posix.OutputPipes} reads, one thread
 * for all of them. What a process is, as the kernel keeps it and as ordo marked it, is read back by
 * {@link dev.ordo.executor.posix.ProcessFacts} and {@link dev.ordo.executor.posix.ProcessMark}, so that a
 * supervisor started after a crash can tell its own. The recipes and their evidence are in
 * {@code docs/notes/jvm-posix.md}.
 */
package dev.ordo.executor.posix;
