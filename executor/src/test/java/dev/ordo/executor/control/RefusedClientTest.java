package dev.ordo.executor.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client the supervisor refuses is told why (it printed only "Broken pipe"), as a {@link ControlClient.RequestRefused}
 * whether the refusal came before its request was read or after.
 */
class RefusedClientTest {

    @TempDir
    Path dir;

    Path socket() throws Exception {
        Path socket = ControlClient.socketIn(dir);
        Files.createDirectories(socket.getParent());
        return socket;
    }

    @Test
    void aClientOverTheIdleBoundHearsTheReasonNotBrokenPipe() throws Exception {
        Path socket = socket();
        try (ControlServer server = ControlServer.start(socket, (r, a) -> a.ok("fine"),
                ControlServer.Limits.defaults().withConnections(1, 1, 1), m -> { });
             ControlClient idle = ControlClient.connect(socket)) {
            assertEquals("fine", idle.call(ControlRequest.of(1, ControlRequest.Cmd.LIST, null), l -> { }).text());
            // The second client: refused whether its request was written before the close or not.
            for (int i = 0; i < 20; i++) {
                try (ControlClient late = ControlClient.connect(socket)) {
                    ControlClient.RequestRefused r = assertThrows(ControlClient.RequestRefused.class,
                            () -> late.call(ControlRequest.of(2, ControlRequest.Cmd.LIST, null), l -> { }));
                    assertEquals("too many idle connections (1); try again in 10s", r.getMessage());
                }
            }
        }
    }

    @Test
    void aFollowerThatFindsEveryWaitingPlaceTakenHearsTheReason() throws Exception {
        Path socket = socket();
        BlockingQueue<Responder> held = new LinkedBlockingQueue<>();
        try (ControlServer server = ControlServer.start(socket, (r, a) -> {
            if (r.follow()) held.add(a);
            else a.ok("fine");
        }, ControlServer.Limits.defaults().withConnections(8, 8, 1), m -> { });
             Wire follower = new Wire(server.socket())) {
            follower.send("{\"id\":1,\"cmd\":\"log\",\"job\":\"x\",\"follow\":true}\n");
            Responder follow = held.poll(5, TimeUnit.SECONDS);
            ControlRequest another = new ControlRequest(2, ControlRequest.Cmd.LOG, "x", null, List.of(), true, true, -1, null);
            for (int i = 0; i < 20; i++) {
                try (ControlClient late = ControlClient.connect(socket)) {
                    ControlClient.RequestRefused r = assertThrows(ControlClient.RequestRefused.class,
                            () -> late.call(another, l -> { }));
                    assertEquals("too many clients waiting on jobs or logs (1); try again", r.getMessage());
                }
            }
            follow.ok("");
            assertEquals("{\"id\":1,\"ok\":true,\"text\":\"\"}", follower.next());
            try (ControlClient next = ControlClient.connect(socket)) {
                assertEquals("fine", next.call(ControlRequest.of(3, ControlRequest.Cmd.LIST, null), l -> { }).text());
            }
        }
    }
}
