package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.OutputPipes;
import java.util.List;

/**
 * What one process's output pipe feeds: every sink the process's {@code console} and readiness ask for (its
 * log, the supervisor's output, a log probe), each given the same bytes in turn on the output pipes' thread.
 */
final class ProcessOutput implements OutputPipes.Receiver {

    private final List<OutputSink> sinks;

    ProcessOutput(List<OutputSink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void bytes(byte[] b, int offset, int length) {
        for (OutputSink s : sinks) s.write(b, offset, length);
    }

    @Override
    public void quiet() {
        for (OutputSink s : sinks) s.quiet();
    }

    @Override
    public void end() {
        for (OutputSink s : sinks) s.close();
    }
}
