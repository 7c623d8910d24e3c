package dev.ordo.executor.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The supervisor's own output: its log and boot progress, and each line a {@code console: output} job prints,
 * after the job's name ({@code hal | …}, {@code getty (tty1) | …}). The name is coloured only when the output is
 * a terminal and {@code NO_COLOR} is not set (no-color.org); a job keeps its colour for the whole run. Lines of
 * different jobs never mix: each is written whole.
 *
 * <p>Whoever reads the output (a terminal, a pipe to a logger) may stop reading. So nothing waits for it but a
 * thread of its own: lines wait in a bounded queue, and a line that finds it full is dropped and counted; the
 * count is written where the lines went missing ({@code ordo: 1200 lines of output lost: …}). Jobs' lines may
 * fill {@link #QUEUE_BYTES}, the supervisor's own twice that, so a flood of job output does not crowd them out.
 */
public final class ConsoleOutput implements AutoCloseable {

    /** What jobs' lines may take of the queue, in bytes; the supervisor's own lines may take twice as much. */
    static final int QUEUE_BYTES = 1 << 20;

    // Red and its neighbours are left out: they look like errors.
    private static final int[] COLOURS = {36, 32, 35, 34, 33, 96, 92, 95, 94, 93};

    /** Where lines were dropped, and how many, in the queue's order. */
    private static final class Gap {
        long lines;
    }

    private final OutputStream out;
    private final boolean colour;
    private final int limit;
    /** byte[] lines and Gaps, oldest first; under this object's lock. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** Bytes queued or being written. */
    private long queued;
    private boolean writing;
    private boolean closed;
    private final Thread writer;

    public ConsoleOutput(OutputStream out, boolean colour) {
        this(out, colour, QUEUE_BYTES);
    }

    ConsoleOutput(OutputStream out, boolean colour, int limit) {
        this.out = out;
        this.colour = colour;
        this.limit = limit;
        this.writer = new Thread(this::run, "ordo-console");
        writer.setDaemon(true);
        writer.start();
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

    /** One line of the supervisor's own (its log, boot progress), without the newline. */
    public void line(String text) {
        offer((text + "\n").getBytes(StandardCharsets.UTF_8), 2L * limit);
    }

    /** A sink for one process's output; closing it gives out a last unfinished line. */
    public OutputSink sink(String job, String instance) {
        String label = label(job, instance);
        String prefix = colour
                ? "\033[" + COLOURS[Math.floorMod(label.hashCode(), COLOURS.length)] + "m" + label + "\033[0m | "
                : label + " | ";
        return new LineSplitter(JobLog.MAX_LINE, line -> offer((prefix + line + "\n").getBytes(StandardCharsets.UTF_8), limit));
    }

    private synchronized void offer(byte[] line, long most) {
        if (closed) return;
        if (queued + line.length > most) {
            Object last = queue.peekLast();
            Gap gap = last instanceof Gap g ? g : new Gap();
            if (gap != last) queue.addLast(gap);
            gap.lines++;
        } else {
            queue.addLast(line);
            queued += line.length;
        }
        notifyAll();
    }

    private void run() {
        ArrayDeque<Object> batch = new ArrayDeque<>();
        while (true) {
            synchronized (this) {
                while (queue.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only close() ends this thread
                    }
                }
                if (queue.isEmpty()) return;
                batch.addAll(queue);
                queue.clear();
                writing = true;
            }
            long written = 0;
            try {
                for (Object o : batch) {
                    if (o instanceof byte[] b) {
                        out.write(b);
                    } else {
                        long n = ((Gap) o).lines;
                        out.write(("ordo: " + n + (n == 1 ? " line" : " lines") + " of output lost: the supervisor's output was"
                                + " not read in time\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                out.flush();
            } catch (IOException e) {
                // The output is gone (a closed terminal): the jobs go on regardless, and so does the supervisor.
            }
            for (Object o : batch) if (o instanceof byte[] b) written += b.length;
            batch.clear();
            synchronized (this) {
                queued -= written;
                writing = false;
                notifyAll();
            }
        }
    }

    /** Waits at most {@code millis} until every line offered so far is written; false if it could not be. */
    public synchronized boolean flush(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!queue.isEmpty() || writing) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** Writes what is queued (waiting at most {@code millis} for the output to take it) and ends the writer. */
    public void close(long millis) {
        try {
            flush(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    @Override
    public void close() {
        close(5000);
    }
}
