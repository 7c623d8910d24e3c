package dev.ordo.executor.cli;

import dev.ordo.executor.posix.ProcessEvent;
import dev.ordo.executor.posix.Processes;
import dev.ordo.executor.posix.SpawnRequest;
import dev.ordo.executor.posix.SpawnResult;
import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The floor for {@code ordo bench run}: what the posix layer alone needs to start and to end the same
 * processes, with no engine, no log files, no ordering. Kept apart from {@link BenchRun} so that
 * picocli, which builds every command at start-up, does not load the native layer for other commands.
 */
final class RawSpawn {

    /**
     * Nanoseconds: all {@code n} spawned (spawn returned and the reaper saw them), all ended after SIGTERM, and
     * {@code n} serial spawn-and-reap of {@code /bin/true}; {@code upTicks}: this JVM's CPU time (utime+stime,
     * clock ticks, every thread) for the spawning, comparable with the supervisor's own for its boot.
     */
    record Cost(long up, long down, long serialTrue, long upTicks) {
    }

    private RawSpawn() {
    }

    static Cost measure(int n, List<String> argv) throws IOException, InterruptedException {
        LinkedBlockingQueue<ProcessEvent> events = new LinkedBlockingQueue<>();
        List<String> env = List.of("PATH=/usr/bin:/bin");
        try (Processes p = Processes.open(null, events::add)) {
            List<Integer> pids = new ArrayList<>(n);
            long c0 = BenchRun.Usage.of(ProcessHandle.current().pid()).ticks();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SpawnResult r = p.spawn(SpawnRequest.of(i, argv, env));
                if (!(r instanceof SpawnResult.Started s)) throw new IOException("spawn failed: " + r);
                pids.add(s.pid());
            }
            await(events, n, ProcessEvent.Launched.class);
            long up = System.nanoTime() - t0;
            long upTicks = BenchRun.Usage.of(ProcessHandle.current().pid()).ticks() - c0;
            long t1 = System.nanoTime();
            for (int pid : pids) p.kill(pid, true, Signal.TERM);
            await(events, n, ProcessEvent.Reaped.class);
            long down = System.nanoTime() - t1;

            long t2 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SpawnResult r = p.spawn(SpawnRequest.of(i, List.of("/bin/true"), env));
                if (!(r instanceof SpawnResult.Started)) throw new IOException("spawn failed: " + r);
                await(events, 1, ProcessEvent.Reaped.class);
            }
            return new Cost(up, down, System.nanoTime() - t2, upTicks);
        }
    }

    /**
     * Nanoseconds to create {@code n} empty files in a new directory under {@code parent} and to open them
     * again (as a first boot creates one log per job, and every later boot finds them): the file system's
     * share of a boot, which the raw spawn does not pay.
     */
    static long[] logFiles(Path parent, int n) throws IOException {
        Path dir = Files.createDirectories(parent.resolve("raw-logs"));
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (FileChannel ch = FileChannel.open(dir.resolve(i + ".log"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ch.size();
            }
        }
        long created = System.nanoTime() - t0;
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try (FileChannel ch = FileChannel.open(dir.resolve(i + ".log"), StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                ch.size();
            }
        }
        return new long[] {created, System.nanoTime() - t1};
    }

    private static void await(LinkedBlockingQueue<ProcessEvent> events, int n, Class<? extends ProcessEvent> kind)
            throws IOException, InterruptedException {
        int seen = 0;
        while (seen < n) {
            ProcessEvent e = events.poll(30, TimeUnit.SECONDS);
            if (e == null) throw new IOException("timed out: " + seen + " of " + n + " " + kind.getSimpleName());
            if (kind.isInstance(e)) seen++;
        }
    }
}
