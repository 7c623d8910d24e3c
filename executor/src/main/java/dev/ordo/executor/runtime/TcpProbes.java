package dev.ordo.executor.runtime;

import dev.ordo.planner.model.Readiness;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code ready: {tcp: HOST:PORT}}: connect attempts until one succeeds, which makes the instance ready.
 * Giving up is the engine's business: it armed the probe's timeout itself and sends {@code StopProbe}.
 * Start and stop are called from the supervisor's loop only.
 */
final class TcpProbes implements AutoCloseable {

    static final long PERIOD_MILLIS = 100;
    static final int CONNECT_TIMEOUT_MILLIS = 500;

    private final ScheduledExecutorService scheduler;
    private final Map<String, ScheduledFuture<?>> running = new HashMap<>();

    TcpProbes(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    /** Starts probing {@code key}; {@code passed} runs once, on a probe thread, when a connection succeeds. */
    void start(String key, Readiness.Tcp tcp, Consumer<String> passed) {
        stop(key);
        ScheduledFuture<?>[] self = new ScheduledFuture<?>[1];
        Runnable attempt = () -> {
            if (connects(tcp.host(), tcp.port())) {
                passed.accept(key);
                synchronized (self) {
                    if (self[0] != null) self[0].cancel(false);
                }
            }
        };
        synchronized (self) {
            self[0] = scheduler.scheduleWithFixedDelay(attempt, 0, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        }
        running.put(key, self[0]);
    }

    void stop(String key) {
        ScheduledFuture<?> f = running.remove(key);
        if (f != null) f.cancel(false);
    }

    static boolean connects(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host == null || host.isEmpty() ? "127.0.0.1" : host, port),
                    CONNECT_TIMEOUT_MILLIS);
            return true;
        } catch (IOException | IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        for (ScheduledFuture<?> f : running.values()) f.cancel(false);
        running.clear();
    }
}
