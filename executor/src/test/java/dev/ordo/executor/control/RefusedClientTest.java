package dev.ordo.executor.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A client the supervisor refuses is told why (it printed only "Broken pipe"). */
class RefusedClientTest {

    @Test
    void aClientOverTheConnectionLimitHearsTheReasonNotBrokenPipe(@TempDir Path dir) throws Exception {
        Path socket = ControlClient.socketIn(dir);
        Files.createDirectories(socket.getParent());
        try (ControlServer server = ControlServer.start(socket, (r, a) -> a.ok("fine"),
                new ControlServer.Limits(Protocol.MAX_REQUEST_BYTES, 1, 16, 4), m -> { });
             ControlClient idle = ControlClient.connect(socket)) {
            assertEquals("fine", idle.call(ControlRequest.of(1, ControlRequest.Cmd.LIST, null), l -> { }).text());
            // The second client: refused whether its request was written before the close or not.
            for (int i = 0; i < 20; i++) {
                try (ControlClient late = ControlClient.connect(socket)) {
                    ControlReply r = late.call(ControlRequest.of(2, ControlRequest.Cmd.LIST, null), l -> { });
                    assertEquals(ControlReply.ReplyKind.ERROR, r.kind());
                    assertEquals("too many connections (1); try again", r.text());
                }
            }
        }
    }
}
