package dev.ordo.executor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a forked ordo (or a seal around one) writes, line by line, read by a thread of its own as it comes:
 * a pipe left unread would stop the supervisor once full. Shared by the forked-process and sealed tests.
 */
public final class ProcessLines {

    /** How long {@link #awaitLine} waits unless told otherwise. */
    public static final long WAIT_MILLIS = 15_000;

    private final Process process;
    private final long waitMillis;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private ProcessLines(Process process, long waitMillis) {
        this.process = process;
        this.waitMillis = waitMillis;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "process-lines");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts reading {@code process}'s output; {@link #awaitLine} waits {@link #WAIT_MILLIS}. */
    public static ProcessLines of(Process process) {
        return new ProcessLines(process, WAIT_MILLIS);
    }

    /** Starts reading {@code process}'s output; {@link #awaitLine} waits {@code waitMillis}. */
    public static ProcessLines of(Process process, long waitMillis) {
        return new ProcessLines(process, waitMillis);
    }

    public List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    public String text() {
        return String.join("\n", lines());
    }

    public boolean has(String prefix) {
        return lines().stream().anyMatch(l -> l.startsWith(prefix));
    }

    /** Waits for a line starting with {@code prefix}; fails when the process ends or the limit passes without one. */
    public void awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        while (!has(prefix)) {
            if (System.nanoTime() > deadline || !process.isAlive()) {
                // The last lines may still be on their way through the pipe.
                reader.join(1000);
                if (has(prefix)) return;
                throw new AssertionError("no line `" + prefix + "` in\n" + text());
            }
            Thread.sleep(10);
        }
    }

    /** The position of the first line starting with {@code prefix}. */
    public int index(String prefix) {
        List<String> l = lines();
        for (int i = 0; i < l.size(); i++) if (l.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no line `" + prefix + "` in\n" + String.join("\n", l));
    }

    /** Waits until everything the process wrote has been read. */
    public void join(long millis) throws InterruptedException {
        reader.join(millis);
    }
}
