package dev.ordo.executor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.executor.cli.Main;
import dev.ordo.executor.control.ControlServer;
import dev.ordo.executor.control.ControlRequest;
import dev.ordo.executor.control.RequestHandler;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.engine.Engine;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.ExitStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seams put together the way the runtime will: the real engine on one loop thread, the control
 * server handing it requests through {@link PendingReplies}, and the real `ordo` client commands. The
 * process layer is played by the loop itself (pids handed out, a kill ends the process at once).
 */
class EngineOverSocketTest {

    @TempDir
    Path tmp;

    final ExecutorService loop = Executors.newSingleThreadExecutor();
    ControlServer server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) server.close();
        loop.shutdownNow();
        assertTrue(loop.awaitTermination(5, TimeUnit.SECONDS));
    }

    record Run(int status, String out, String err) {
    }

    Run ordo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = List.of(args).toArray(new String[args.length + 2]);
        all[args.length] = "--state-dir";
        all[args.length + 1] = tmp.resolve("state").toString();
        int status = Main.execute(all, new PrintWriter(out), new PrintWriter(err));
        return new Run(status, out.toString(), err.toString());
    }

    @Test
    void clientCommandsDriveTheEngine() throws Exception {
        Path yaml = tmp.resolve("ordo.yaml");
        Files.writeString(yaml, """
                jobs:
                  dbus:
                    exec: dbus-daemon --nofork
                  hal:
                    exec: hald
                    start_on: started dbus
                    stop_on: stopping dbus
                """);
        Config config = ConfigLoader.load(List.of(yaml), null);
        Engine engine = new Engine(config.jobs(), System::currentTimeMillis);
        PendingReplies pending = new PendingReplies();
        int[] pids = {1000};

        // The loop: one thread owns the engine; effects that need an answer from the world get it at once.
        java.util.function.Consumer<Input> feed = new java.util.function.Consumer<>() {
            @Override
            public void accept(Input first) {
                Deque<Input> inputs = new ArrayDeque<>(List.of(first));
                while (!inputs.isEmpty()) {
                    for (Effect e : engine.handle(inputs.poll())) {
                        if (e instanceof Effect.Spawn s) inputs.add(new Input.Spawned(s.process(), ++pids[0]));
                        else if (e instanceof Effect.SendSignal k) inputs.add(new Input.Exited(k.pid(), ExitStatus.signal(k.signal())));
                        else if (e instanceof Effect.Reply r) pending.answer(r);
                    }
                }
            }
        };
        RequestHandler handler = (request, responder) -> {
            if (request.cmd().engine()) loop.execute(() -> feed.accept(pending.command(request, responder)));
            else responder.error("`" + request.cmd().word() + "` is not in this test");
        };
        StateFiles files = new StateFiles(tmp.resolve("state")).prepare();
        try (SupervisorLock lock = SupervisorLock.acquire(files)) {
            server = ControlServer.start(files.socket(), handler, ControlServer.Limits.defaults(), m -> { });

            assertEquals(new Run(0, "dbus start/running, process 1001\n", ""), ordo("start", "dbus"));
            assertEquals(new Run(0, "hal start/running, process 1002\n", ""), ordo("status", "hal"));
            assertEquals(new Run(1, "", "ordo: Job is already running: dbus\n"), ordo("start", "dbus"));
            assertEquals(new Run(1, "", "ordo: Unknown job: hla\n"), ordo("stop", "hla"));
            assertEquals(new Run(0, "dbus stop/waiting\n", ""), ordo("stop", "dbus"));
            assertEquals(new Run(3, "hal stop/waiting\n", ""), ordo("status", "hal")); // LSB: not running
            assertEquals(new Run(1, "", "ordo: `reload` is not in this test\n"), ordo("reload"));
            assertEquals(0, pending.size(), "every engine reply found its client");
        }
    }
}
