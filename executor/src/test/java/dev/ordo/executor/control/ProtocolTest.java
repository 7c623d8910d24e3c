package dev.ordo.executor.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.engine.Input;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The wire form: every command parses to what it says, and every kind of bad line gets a precise error. */
class ProtocolTest {

    static ControlRequest ok(String line) {
        Protocol.Parsed p = Protocol.parseRequest(line);
        assertNull(p.error(), line);
        return p.request();
    }

    static void error(String line, Long id, String message) {
        Protocol.Parsed p = Protocol.parseRequest(line);
        assertNull(p.request(), line);
        assertEquals(message, p.error(), line);
        assertEquals(id, p.id(), line);
    }

    @Test
    void everyCommandParses() {
        assertEquals(new ControlRequest(1, ControlRequest.Cmd.START, "hal", "", List.of("K=V"), true, false, -1, null),
                ok("{\"id\":1,\"cmd\":\"start\",\"job\":\"hal\",\"instance\":\"\",\"env\":[\"K=V\"],\"wait\":true}"));
        assertEquals(new ControlRequest(2, ControlRequest.Cmd.STOP, "hal", null, List.of(), false, false, -1, null),
                ok("{\"id\":2,\"cmd\":\"stop\",\"job\":\"hal\",\"wait\":false}"));
        assertEquals(new ControlRequest(3, ControlRequest.Cmd.RESTART, null, null, List.of(), true, false, -1,
                        new Input.Caller("getty", "tty1")),
                ok("{\"cmd\":\"restart\",\"id\":3,\"caller\":{\"job\":\"getty\",\"instance\":\"tty1\"}}"));
        assertEquals(ControlRequest.of(4, ControlRequest.Cmd.STATUS, "hal"), ok("{\"id\":4,\"cmd\":\"status\",\"job\":\"hal\"}"));
        assertEquals(ControlRequest.of(5, ControlRequest.Cmd.LIST, null), ok("{\"id\":5,\"cmd\":\"list\"}"));
        assertEquals(new ControlRequest(6, ControlRequest.Cmd.EMIT, "tty-added", null, List.of("TTY=tty1"), false, false, -1, null),
                ok("{\"id\":6,\"cmd\":\"emit\",\"event\":\"tty-added\",\"env\":[\"TTY=tty1\"],\"wait\":false}"));
        assertEquals(ControlRequest.of(7, ControlRequest.Cmd.RELOAD, null), ok("{\"id\":7,\"cmd\":\"reload\"}"));
        assertEquals(new ControlRequest(8, ControlRequest.Cmd.LOG, "getty", "tty1", List.of(), true, true, 10, null),
                ok("{\"id\":8,\"cmd\":\"log\",\"job\":\"getty\",\"instance\":\"tty1\",\"follow\":true,\"lines\":10}"));
        assertEquals(ControlRequest.of(9, ControlRequest.Cmd.SHUTDOWN, null), ok(" {\"id\":9, \"cmd\":\"shutdown\"} "));
    }

    @Test
    void engineCommandsCarryTheirFieldsOver() {
        ControlRequest r = ok("{\"id\":1,\"cmd\":\"start\",\"job\":\"getty\",\"env\":[\"TTY=tty1\"],\"wait\":false}");
        assertEquals(new Input.Command(77, Input.Verb.START, "getty", null, List.of("TTY=tty1"), false, null),
                r.toCommand(77));
        assertThrows(IllegalStateException.class, () -> ControlRequest.of(1, ControlRequest.Cmd.LOG, "x").toCommand(1));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "not json                                   | | request is not JSON (near column 4): Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
        "{\"id\":1,                                  | | request is not JSON (near column 9): Unexpected end-of-input within/between Object entries",
        "[1,2]                                      | | request must be a JSON object, not a list",
        "{\"id\":1,\"cmd\":\"list\"}{\"id\":2}           | | request has more after its closing `}` (one object per line)",
        "{\"cmd\":\"list\"}                           | | request has no `id`",
        "{\"id\":-1,\"cmd\":\"list\"}                   | | `id` must be a whole number ≥ 0, not a negative number",
        "{\"id\":\"1\",\"cmd\":\"list\"}                  | | `id` must be a whole number ≥ 0, not a string",
        "{\"id\":1.5,\"cmd\":\"list\"}                  | | `id` must be a whole number ≥ 0, not a fractional number",
        "{\"id\":99999999999999999999,\"cmd\":\"list\"} | | `id` must be a whole number ≥ 0, not a number too large",
        "{\"id\":1}                                  | 1 | request has no `cmd`",
        "{\"id\":1,\"cmd\":7}                          | 1 | `cmd` must be a string, not a number",
        "{\"id\":1,\"cmd\":\"strat\",\"job\":\"a\"}        | 1 | unknown command `strat`; did you mean `start`?",
        "{\"id\":1,\"cmd\":\"frobnicate\"}               | 1 | unknown command `frobnicate`",
        "{\"id\":1,\"cmd\":\"start\",\"jbo\":\"a\"}        | 1 | unknown field `jbo`; did you mean `job`?",
        "{\"id\":1,\"cmd\":\"list\",\"job\":\"a\"}         | 1 | `job` does not apply to `list`",
        "{\"id\":1,\"cmd\":\"start\",\"follow\":true}    | 1 | `follow` does not apply to `start`",
        "{\"id\":1,\"cmd\":\"start\"}                    | 1 | `start` needs a `job`",
        "{\"id\":1,\"cmd\":\"emit\"}                     | 1 | `emit` needs an `event`",
        "{\"id\":1,\"cmd\":\"log\"}                      | 1 | `log` needs a `job`",
        "{\"id\":1,\"cmd\":\"reload\",\"env\":[\"K=V\"]}   | 1 | `reload` with `instance` or `env` needs a `job`",
        "{\"id\":1,\"cmd\":\"start\",\"job\":5}          | 1 | `job` must be a string, not a number",
        "{\"id\":1,\"cmd\":\"start\",\"job\":\"\"}         | 1 | `job` must not be empty",
        "{\"id\":1,\"cmd\":\"start\",\"job\":\"a\",\"wait\":\"yes\"} | 1 | `wait` must be true or false, not a string",
        "{\"id\":1,\"cmd\":\"start\",\"job\":\"a\",\"env\":\"K=V\"} | 1 | `env` must be a list of strings, not a string",
        "{\"id\":1,\"cmd\":\"start\",\"job\":\"a\",\"env\":[1,[2]]} | 1 | `env` must be a list of strings, not a list with a non-string in it",
        "{\"id\":1,\"cmd\":\"start\",\"job\":\"a\",\"instance\":{}} | 1 | `instance` must be a string or null, not an object",
        "{\"id\":1,\"cmd\":\"log\",\"job\":\"a\",\"lines\":-2} | 1 | `lines` must be a whole number ≥ 0, not a negative number",
        "{\"id\":1,\"cmd\":\"start\",\"caller\":{\"job\":1}} | 1 | `caller` must be {\"job\":…,\"instance\":…} with strings",
        "{\"id\":1,\"id\":2,\"cmd\":\"list\"}             | | field `id` appears twice",
        "{\"id\":1,\"cmd\":\"list\",\"x\":[[[[[[[[[[]]]]]]]]]]} | 1 | unknown field `x`",
    })
    void badRequestsAreNamed(String line, Long id, String message) {
        error(line.strip(), id, message);
    }

    @Test
    void emptyAndInvalidUtf8() {
        error("", null, "request is empty");
        byte[] bad = "{\"id\":1,\"cmd\":\"st\u00e9\"}".getBytes(StandardCharsets.UTF_8);
        bad[18] = (byte) 0xff; // the é's second byte: the bad sequence starts at its first, byte 18
        Protocol.Parsed p = Protocol.parseRequest(bad, bad.length);
        assertEquals("request is not valid UTF-8 (byte 18)", p.error());
    }

    @Test
    void repliesHaveAFixedShape() {
        assertEquals("{\"id\":1,\"ok\":true,\"text\":\"hal start/running, process 1234\"}\n",
                new String(Protocol.encode(ControlReply.ok(1L, "hal start/running, process 1234")), StandardCharsets.UTF_8));
        assertEquals("{\"id\":1,\"ok\":false,\"error\":\"Job is already running: hal\"}\n",
                new String(Protocol.encode(ControlReply.error(1L, "Job is already running: hal")), StandardCharsets.UTF_8));
        assertEquals("{\"id\":null,\"ok\":false,\"error\":\"x\"}\n",
                new String(Protocol.encode(ControlReply.error(null, "x")), StandardCharsets.UTF_8));
        assertEquals("{\"id\":3,\"line\":\"a\\tb\\u0001\"}\n",
                new String(Protocol.encode(ControlReply.line(3L, "a\tb\u0001")), StandardCharsets.UTF_8));
        assertEquals(ControlReply.line(3L, "a\tb"), Protocol.parseReply("{\"id\":3,\"line\":\"a\\tb\"}"));
        assertThrows(IllegalArgumentException.class, () -> Protocol.parseReply("{\"id\":3}"));
    }

    @Provide
    Arbitrary<ControlRequest> requests() {
        Arbitrary<String> text = Arbitraries.strings().ofMinLength(1).ofMaxLength(12)
                .withCharRange(' ', '\u00ff').withChars('\n', '"', '\\', '\u20ac');
        Arbitrary<ControlRequest.Cmd> cmds = Arbitraries.of(ControlRequest.Cmd.class);
        Arbitrary<List<String>> env = text.list().ofMaxSize(3);
        return Combinators.combine(Arbitraries.longs().between(0, Long.MAX_VALUE), cmds, text, text, env,
                        Arbitraries.of(true, false), Arbitraries.integers().between(-1, 1000))
                .as((id, cmd, name, instance, e, flag, lines) -> canonical(
                        new ControlRequest(id, cmd, name, instance, e, flag, flag, lines, null)));
    }

    /** What survives the wire: fields that do not apply to the command are not sent. */
    static ControlRequest canonical(ControlRequest r) {
        boolean job = r.cmd() == ControlRequest.Cmd.START || r.cmd() == ControlRequest.Cmd.STOP || r.cmd() == ControlRequest.Cmd.RESTART;
        boolean status = r.cmd() == ControlRequest.Cmd.STATUS;
        boolean log = r.cmd() == ControlRequest.Cmd.LOG;
        boolean emit = r.cmd() == ControlRequest.Cmd.EMIT;
        String name = job || status || log || emit ? r.name() : null;
        String instance = job || status || log ? r.instance() : null;
        List<String> env = job || status || emit ? r.env() : List.of();
        boolean waits = !(job || emit) || r.waits();
        return new ControlRequest(r.id(), r.cmd(), name, instance, env, waits, log && r.follow(), log ? r.lines() : -1, null);
    }

    @Property(tries = 300)
    void everyRequestSurvivesTheWire(@ForAll("requests") ControlRequest r) {
        byte[] line = Protocol.encode(r);
        assertEquals('\n', line[line.length - 1]);
        Protocol.Parsed p = Protocol.parseRequest(line, line.length - 1);
        assertNull(p.error());
        assertEquals(r, p.request());
        assertArrayEquals(line, Protocol.encode(p.request()));
    }

    @Provide
    Arbitrary<byte[]> junk() {
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"id\"", "\"cmd\"", "\"start\"",
                "\"job\"", "\"env\"", "\"caller\"", "1", "-1", "1e999", "99999999999999999999", "true", "null",
                "\"", "\\", "\\u12", "\u00e9", " ", "\t", "\u0000");
        Arbitrary<byte[]> structured = pieces.list().ofMaxSize(40)
                .map(xs -> String.join("", xs).getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(200);
        return Arbitraries.oneOf(structured, random);
    }

    @Property(tries = 2000)
    void nothingMakesTheParserThrow(@ForAll("junk") byte[] line) {
        Protocol.Parsed p = Protocol.parseRequest(line, line.length);
        assertTrue((p.request() == null) != (p.error() == null), p.toString());
        if (p.request() != null) assertEquals(p.request(), Protocol.parseRequest(Protocol.encode(p.request()),
                Protocol.encode(p.request()).length - 1).request());
    }
}
