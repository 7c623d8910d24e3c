package dev.ordo.executor.runtime;

/**
 * Where the output of a job's process goes: the runtime hands what it reads from the process's stdout and
 * stderr pipe to one or more of these ({@link LogStream} into the job's log for {@code console: log}, a
 * {@link ConsoleOutput} sink for {@code console: output}, the lines a log readiness probe watches). They are
 * called on the output pipes' thread and must not wait on anything but a file.
 */
public interface OutputSink extends AutoCloseable {

    /** Takes the next bytes of output; lines may be split across calls anywhere, even inside a character. */
    void write(byte[] bytes, int offset, int length);

    /** The process has written nothing for a moment. */
    default void quiet() {
    }

    /** Ends the output: a last line without a newline is given out as a line. */
    @Override
    void close();
}
