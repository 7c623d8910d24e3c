package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.ListenSockets;
import dev.ordo.executor.posix.PassedFds;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.SocketSetup;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The supervisor's side of socket units: the engine's socket effects carried out with {@link ListenSockets}
 * (made on first use: a configuration without socket units never starts its thread), what its watch sees
 * brought back to the loop as inputs, and a spawn's {@link Effect.SocketFds} turned into the descriptors to
 * pass. Loop thread, except the watch's events, which are only queued.
 */
final class SocketUnits implements AutoCloseable {

    private final Supervisor sup;
    private ListenSockets sockets;
    /** The engine's job and instance of each key the sockets are kept under. */
    private final Map<String, Input.Caller> units = new HashMap<>();

    SocketUnits(Supervisor sup) {
        this.sup = sup;
    }

    private static String key(String job, String instance) {
        return ConsoleOutput.label(job, instance);
    }

    void carry(Effect.SocketEffect e) {
        try {
            if (e instanceof Effect.OpenSockets o) open(o);
            else if (e instanceof Effect.WatchSockets w) sockets().watch(key(w.job(), w.instance()));
            else if (e instanceof Effect.CloseSockets c) sockets().close(key(c.job(), c.instance()));
            else if (e instanceof Effect.CloseConnection c) sockets().closeConnection(c.connection());
        } catch (IOException ex) {
            sup.log("cannot watch sockets: " + ex.getMessage());
        }
    }

    private void open(Effect.OpenSockets o) throws IOException {
        String key = key(o.job(), o.instance());
        units.put(key, new Input.Caller(o.job(), o.instance()));
        Input answer;
        try {
            for (String w : sockets().open(key, o.setup())) sup.log(key + ": " + w);
            answer = new Input.SocketsOpened(o.job(), o.instance());
        } catch (IOException ex) {
            answer = new Input.SocketsFailed(o.job(), o.instance(), ex.getMessage());
        }
        // After the effects of this input: the answer is an input of its own.
        Input in = answer;
        sup.submit(() -> sup.feed(in));
    }

    private ListenSockets sockets() throws IOException {
        if (sockets == null) {
            sockets = new ListenSockets(new ListenSockets.Events() {
                @Override
                public void traffic(String key) {
                    sup.submit(() -> {
                        Input.Caller u = units.get(key);
                        if (u != null) sup.feed(new Input.SocketTraffic(u.job(), u.instance()));
                    });
                }

                @Override
                public void connection(String key, long id, String name, List<String> env) {
                    sup.submit(() -> {
                        Input.Caller u = units.get(key);
                        if (u != null) sup.feed(new Input.Connection(u.job(), u.instance(), id, name, env));
                        else sockets.closeConnection(id);
                    });
                }

                @Override
                public void note(String text) {
                    sup.submit(() -> sup.log(text));
                }
            });
        }
        return sockets;
    }

    /** What a spawn is given: the listening sockets of its units, by FileDescriptorName=, or its connection. */
    PassedFds fds(Effect.SocketFds f) {
        if (f.none() || sockets == null) return PassedFds.NONE;
        if (f.connection() != 0) {
            int fd = sockets.connectionFd(f.connection());
            if (fd < 0) return PassedFds.NONE;
            return new PassedFds(List.of(fd), List.of("connection"), f.stdin() ? fd : -1, f.stdout() ? fd : -1,
                    f.stderr() ? fd : -1, false);
        }
        List<Integer> fds = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String unit : f.units()) {
            Job j = sup.jobs.get(unit);
            SocketSetup s = j == null || j.unit() == null ? null : j.unit().socket();
            for (int fd : sockets.fds(key(unit, ""))) {
                fds.add(fd);
                names.add(s == null ? unit : s.fdName(unit));
            }
        }
        return new PassedFds(fds, names, -1, -1, -1, false);
    }

    @Override
    public void close() {
        if (sockets != null) sockets.close();
    }
}
