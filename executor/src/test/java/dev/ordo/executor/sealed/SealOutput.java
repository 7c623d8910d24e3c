package dev.ordo.executor.sealed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a sealed run writes, line by line, read by a thread of its own as it comes (a pipe left unread
 * would stop ordo once full), with the instant each line arrived.
 */
final class SealOutput {

    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final List<Long> arrived = new ArrayList<>();
    private final Thread reader;

    private SealOutput(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(l);
                        arrived.add(System.nanoTime());
                    }
                }
            } catch (IOException e) {
                // The process ended.
            }
        }, "sealed-output");
        reader.setDaemon(true);
        reader.start();
    }

    static SealOutput of(Process process) {
        return new SealOutput(process);
    }

    List<String> lines() {
        synchronized (lines) {
            return new ArrayList<>(lines);
        }
    }

    String text() {
        return String.join("\n", lines());
    }

    boolean has(String prefix) {
        return lines().stream().anyMatch(l -> l.startsWith(prefix));
    }

    /** Waits for a line starting with {@code prefix}; fails when the process ends or the seal's limit passes without one. */
    void awaitLine(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + Seal.WAIT_MILLIS * 1_000_000;
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
    int index(String prefix) {
        List<String> l = lines();
        for (int i = 0; i < l.size(); i++) if (l.get(i).startsWith(prefix)) return i;
        throw new AssertionError("no line `" + prefix + "` in\n" + String.join("\n", l));
    }

    /** Waits until everything the process wrote has been read. */
    void join(long millis) throws InterruptedException {
        reader.join(millis);
    }
}
