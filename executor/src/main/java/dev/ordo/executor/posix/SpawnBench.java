package dev.ordo.executor.posix;

import dev.ordo.planner.model.Resources;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Spawn cost through the whole table (spawn, reaper, event): {@code N} times spawn and wait for the
 * exit, for {@code /bin/true}, {@code /bin/sh -c true}, and {@code /bin/true} behind the umask
 * trampoline. Prints the median of several rounds in µs per spawn. Not a test: figures depend on the
 * machine. {@code java -cp ordo.jar dev.ordo.executor.posix.SpawnBench [N] [rounds]}
 */
public final class SpawnBench {

    private SpawnBench() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        LinkedBlockingQueue<ProcessEvent> events = new LinkedBlockingQueue<>();
        List<String> env = List.of("PATH=/usr/bin:/bin");
        Resources umask = new Resources(022, null, null, null, List.of(), null, null, null);
        try (Processes p = Processes.open(null, events::add)) {
            System.out.printf("spawn and reap, %d per round, median of %d rounds (pidfds: %s)%n", n, rounds, p.usesPidfds());
            report("/bin/true", p, events, rounds, n, SpawnRequest.of(0, List.of("/bin/true"), env));
            report("/bin/sh -c true", p, events, rounds, n, SpawnRequest.of(0, List.of("/bin/sh", "-c", "true"), env));
            report("/bin/true, umask trampoline", p, events, rounds, n,
                    SpawnRequest.of(0, List.of("/bin/true"), env).withResources(umask));
        }
    }

    private static void report(String what, Processes p, LinkedBlockingQueue<ProcessEvent> events, int rounds, int n,
                               SpawnRequest req) throws InterruptedException {
        List<Double> perSpawn = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                SpawnResult res = p.spawn(req);
                if (!(res instanceof SpawnResult.Started s)) throw new IllegalStateException(res.toString());
                while (true) {
                    ProcessEvent e = events.poll(10, TimeUnit.SECONDS);
                    if (e == null) throw new IllegalStateException("no exit for " + s.pid());
                    if (e instanceof ProcessEvent.Reaped x && x.pid() == s.pid()) break;
                }
            }
            perSpawn.add((System.nanoTime() - t0) / 1000.0 / n);
        }
        Collections.sort(perSpawn);
        System.out.printf("%-30s %7.0f µs per spawn   (rounds: %s)%n", what, perSpawn.get(perSpawn.size() / 2), rounds(perSpawn));
    }

    private static String rounds(List<Double> xs) {
        StringBuilder b = new StringBuilder();
        for (double x : xs) b.append(b.length() == 0 ? "" : " ").append(Math.round(x));
        return b.toString();
    }
}
