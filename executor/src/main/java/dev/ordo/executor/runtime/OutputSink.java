package dev.ordo.executor.runtime;

/**
 * Where the output of a job's processes goes: the runtime pumps what it reads from a process's stdout
 * and stderr pipe into one of these ({@link JobLog} for {@code console: log}, {@link ConsoleOutput} for
 * {@code console: output}).
 */
public interface OutputSink extends AutoCloseable {

    /** Takes the next bytes of output; lines may be split across calls anywhere, even inside a character. */
    void write(byte[] bytes, int offset, int length);

    /** Ends the output: a last line without a newline is given out as a line. */
    @Override
    void close();
}
