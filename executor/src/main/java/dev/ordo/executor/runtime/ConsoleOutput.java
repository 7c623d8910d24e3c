package dev.ordo.executor.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code console: output}: each line a job prints goes to the supervisor's own output, after the job's
 * name ({@code hal | …}, {@code getty (tty1) | …}). The name is coloured only when the output is a
 * terminal and {@code NO_COLOR} is not set (no-color.org); a job keeps its colour for the whole run.
 * Lines of different jobs never mix: each is written whole.
 */
public final class ConsoleOutput {

    // Red and its neighbours are left out: they look like errors.
    private static final int[] COLOURS = {36, 32, 35, 34, 33, 96, 92, 95, 94, 93};

    private final OutputStream out;
    private final boolean colour;

    public ConsoleOutput(OutputStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** The supervisor's standard output, coloured if {@link #colourWanted} says so. */
    public static ConsoleOutput standardOutput() {
        return new ConsoleOutput(System.out, colourWanted(System.console() != null, System.getenv()));
    }

    /** Colour only on a terminal, and never when {@code NO_COLOR} is set to anything but "". */
    public static boolean colourWanted(boolean terminal, Map<String, String> env) {
        String no = env.get("NO_COLOR");
        return terminal && (no == null || no.isEmpty());
    }

    /** The label a job's lines carry. */
    public static String label(String job, String instance) {
        if (instance == null || instance.isEmpty()) return job;
        String unit = dev.ordo.planner.model.Unit.instanceName(job, instance); // as the engine names it
        return unit != null ? unit : job + " (" + instance + ")";
    }

    /** A sink for one process's output; closing it gives out a last unfinished line. */
    public OutputSink sink(String job, String instance) {
        String label = label(job, instance);
        String prefix = colour
                ? "\033[" + COLOURS[Math.floorMod(label.hashCode(), COLOURS.length)] + "m" + label + "\033[0m | "
                : label + " | ";
        byte[] head = prefix.getBytes(StandardCharsets.UTF_8);
        LineSplitter lines = new LineSplitter(JobLog.MAX_LINE, line -> print(head, line));
        return new OutputSink() {
            @Override
            public void write(byte[] bytes, int offset, int length) {
                synchronized (this) {
                    lines.write(bytes, offset, length);
                }
            }

            @Override
            public void close() {
                synchronized (this) {
                    lines.flush();
                }
            }
        };
    }

    private void print(byte[] head, String line) {
        byte[] body = (line + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        synchronized (out) {
            try {
                out.write(all);
                out.flush();
            } catch (IOException e) {
                // The supervisor's output is gone (a closed terminal): the job goes on regardless.
            }
        }
    }
}
