package dev.ordo.executor.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ordo.planner.engine.Input;
import dev.ordo.planner.diag.Suggest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The control protocol's wire form (docs/control.md): one JSON object per line, UTF-8, both ways.
 * Parsing is strict, because a request the supervisor half-understands is worse than one it refuses:
 * unknown fields and commands, wrong types and fields that do not apply are errors that name the problem.
 * Nothing here throws on bad input.
 */
public final class Protocol {

    /** The longest request line the supervisor reads, in bytes without the newline. */
    public static final int MAX_REQUEST_BYTES = 64 * 1024;

    // Only jackson-core: the client must start fast, and databind costs more to load than it saves here.
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private static final Set<String> COMMON = Set.of("id", "cmd");
    private static final Map<ControlRequest.Cmd, Set<String>> FIELDS = new EnumMap<>(ControlRequest.Cmd.class);

    static {
        Set<String> job = Set.of("job", "instance", "env", "wait", "caller", "format");
        FIELDS.put(ControlRequest.Cmd.START, job);
        FIELDS.put(ControlRequest.Cmd.STOP, job);
        FIELDS.put(ControlRequest.Cmd.RESTART, job);
        FIELDS.put(ControlRequest.Cmd.STATUS, Set.of("job", "instance", "env", "caller", "format"));
        FIELDS.put(ControlRequest.Cmd.LIST, Set.of("format"));
        FIELDS.put(ControlRequest.Cmd.EMIT, Set.of("event", "env", "wait", "format"));
        FIELDS.put(ControlRequest.Cmd.RELOAD, Set.of("job", "instance", "env"));
        FIELDS.put(ControlRequest.Cmd.LOG, Set.of("job", "instance", "follow", "lines"));
        FIELDS.put(ControlRequest.Cmd.SHUTDOWN, Set.of());
    }

    private static final List<String> ALL_FIELDS =
            List.of("id", "cmd", "job", "event", "instance", "env", "wait", "caller", "follow", "lines", "format");

    private Protocol() {
    }

    /** A parsed request line: either {@code request}, or {@code error} to send back with {@code id} (null if unknown). */
    public record Parsed(ControlRequest request, Long id, String error) {

        static Parsed ok(ControlRequest r) {
            return new Parsed(r, r.id(), null);
        }

        static Parsed error(Long id, String error) {
            return new Parsed(null, id, error);
        }
    }

    /** Parses one request line (without its newline). */
    public static Parsed parseRequest(byte[] line, int length) {
        String text;
        try {
            text = utf8(line, length);
        } catch (CharacterCodingException e) {
            return Parsed.error(null, "request is not valid UTF-8 (byte " + (badByte(line, length) + 1) + ")");
        }
        Map<String, Object> fields;
        try {
            fields = object(text);
        } catch (Malformed e) {
            return Parsed.error(null, e.getMessage());
        }
        Long id = null;
        Object rawId = fields.get("id");
        if (rawId instanceof Long l && l >= 0) id = l;
        String problem = validate(fields, id);
        if (problem != null) return Parsed.error(id, problem);
        return Parsed.ok(build(fields, id));
    }

    /** The string form of a request line (for tests and error messages). */
    public static Parsed parseRequest(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parseRequest(b, b.length);
    }

    private static String validate(Map<String, Object> f, Long id) {
        if (!f.containsKey("id")) return "request has no `id`";
        if (id == null) return "`id` must be a whole number ≥ 0, not " + describe(f.get("id"));
        if (!f.containsKey("cmd")) return "request has no `cmd`";
        if (!(f.get("cmd") instanceof String word)) return "`cmd` must be a string, not " + describe(f.get("cmd"));
        ControlRequest.Cmd cmd = ControlRequest.Cmd.of(word);
        if (cmd == null) {
            String hint = Suggest.hint(word, Arrays.stream(ControlRequest.Cmd.values()).map(ControlRequest.Cmd::word).toList());
            return "unknown command `" + word + "`" + (hint == null ? "" : "; " + hint);
        }
        Set<String> allowed = FIELDS.get(cmd);
        for (Map.Entry<String, Object> e : f.entrySet()) {
            String k = e.getKey();
            if (COMMON.contains(k)) continue;
            if (!ALL_FIELDS.contains(k)) {
                String hint = Suggest.hint(k, ALL_FIELDS);
                return "unknown field `" + k + "`" + (hint == null ? "" : "; " + hint);
            }
            if (!allowed.contains(k)) return "`" + k + "` does not apply to `" + word + "`";
            Object v = e.getValue();
            switch (k) {
                case "job", "event" -> {
                    if (!(v instanceof String s)) return "`" + k + "` must be a string, not " + describe(v);
                    if (s.isEmpty()) return "`" + k + "` must not be empty";
                }
                case "instance" -> {
                    if (v != null && !(v instanceof String)) return "`instance` must be a string or null, not " + describe(v);
                }
                case "env" -> {
                    if (!(v instanceof StringList)) return "`env` must be a list of strings, not " + describe(v);
                }
                case "format" -> {
                    if (!"text".equals(v) && !"json".equals(v)) return "`format` must be \"text\" or \"json\"";
                }
                case "wait", "follow" -> {
                    if (!(v instanceof Boolean)) return "`" + k + "` must be true or false, not " + describe(v);
                }
                case "lines" -> {
                    if (!(v instanceof Long l) || l < 0 || l > Integer.MAX_VALUE) {
                        return "`lines` must be a whole number ≥ 0, not " + describe(v);
                    }
                }
                case "caller" -> {
                    if (!(v instanceof CallerField c)) return "`caller` must be {\"job\":…,\"instance\":…}, not " + describe(v);
                    if (c.caller() == null) return "`caller` must be {\"job\":…,\"instance\":…} with strings";
                }
                default -> throw new IllegalStateException(k);
            }
        }
        boolean hasCaller = f.get("caller") != null;
        switch (cmd) {
            case START, STOP, RESTART -> {
                if (!f.containsKey("job") && !hasCaller) return "`" + word + "` needs a `job`";
            }
            case LOG -> {
                if (!f.containsKey("job")) return "`log` needs a `job`";
            }
            case EMIT -> {
                if (!f.containsKey("event")) return "`emit` needs an `event`";
            }
            case RELOAD -> {
                if (!f.containsKey("job") && (f.containsKey("instance") || f.containsKey("env"))) {
                    return "`reload` with `instance` or `env` needs a `job`";
                }
            }
            default -> {
            }
        }
        return null;
    }

    private static ControlRequest build(Map<String, Object> f, long id) {
        ControlRequest.Cmd cmd = ControlRequest.Cmd.of((String) f.get("cmd"));
        String name = cmd == ControlRequest.Cmd.EMIT ? (String) f.get("event") : (String) f.get("job");
        List<String> env = f.get("env") instanceof StringList s ? s.values() : List.of();
        boolean waits = !(f.get("wait") instanceof Boolean b) || b;
        boolean follow = f.get("follow") instanceof Boolean b && b;
        int lines = f.get("lines") instanceof Long l ? (int) (long) l : -1;
        Input.Caller caller = f.get("caller") instanceof CallerField c ? c.caller() : null;
        return new ControlRequest(id, cmd, name, (String) f.get("instance"), env, waits, follow, lines, caller,
                "json".equals(f.get("format")));
    }

    // Values of the one-level object: String, Long, Double, Boolean, null, StringList, Caller, or a
    // Shape naming what else it was. Nothing deeper is kept, so a deeply nested request costs nothing.
    private record StringList(List<String> values) {
    }

    private record CallerField(Input.Caller caller) {
    }

    private record Shape(String what) {
    }

    private static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    private static Map<String, Object> object(String text) throws Malformed {
        Map<String, Object> out = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken t = p.nextToken();
            if (t == null) throw new Malformed("request is empty");
            if (t != JsonToken.START_OBJECT) throw new Malformed("request must be a JSON object, not " + tokenName(t));
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                if (out.containsKey(key)) throw new Malformed("field `" + key + "` appears twice");
                out.put(key, value(p, p.nextToken()));
            }
            if (p.nextToken() != null) throw new Malformed("request has more after its closing `}` (one object per line)");
        } catch (JsonProcessingException e) {
            int col = e.getLocation() == null ? -1 : e.getLocation().getColumnNr();
            throw new Malformed("request is not JSON" + (col > 0 ? " (near column " + col + ")" : "") + ": "
                    + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new Malformed("request cannot be read: " + e.getMessage());
        }
        return out;
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) return new Shape("a number too large");
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_ARRAY: {
                List<String> xs = new ArrayList<>();
                boolean strings = true;
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
                    if (e == JsonToken.VALUE_STRING) {
                        xs.add(p.getText());
                    } else {
                        strings = false;
                        p.skipChildren();
                    }
                }
                return strings ? new StringList(xs) : new Shape("a list with a non-string in it");
            }
            case START_OBJECT: {
                String job = null;
                String instance = "";
                boolean good = true;
                JsonToken e;
                while ((e = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    JsonToken v = p.nextToken();
                    if ("job".equals(k) && v == JsonToken.VALUE_STRING) {
                        job = p.getText();
                    } else if ("instance".equals(k) && v == JsonToken.VALUE_STRING) {
                        instance = p.getText();
                    } else {
                        good = false;
                        p.skipChildren();
                    }
                }
                return new CallerField(good && job != null && !job.isEmpty() ? new Input.Caller(job, instance) : null);
            }
            default:
                return new Shape(tokenName(t));
        }
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String) return "a string";
        if (v instanceof Long l) return l < 0 ? "a negative number" : "a number";
        if (v instanceof Double) return "a fractional number";
        if (v instanceof Boolean) return "true/false";
        if (v instanceof StringList) return "a list";
        if (v instanceof CallerField) return "an object";
        if (v instanceof Shape s) return s.what();
        return v.getClass().getSimpleName();
    }

    private static String tokenName(JsonToken t) {
        switch (t) {
            case START_ARRAY: return "a list";
            case START_OBJECT: return "an object";
            case VALUE_STRING: return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "true/false";
            case VALUE_NULL: return "null";
            default: return t.asString() == null ? t.name() : "`" + t.asString() + "`";
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static String utf8(byte[] b, int len) throws CharacterCodingException {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        return d.decode(ByteBuffer.wrap(b, 0, len)).toString();
    }

    /** The 0-based offset of the first byte that makes {@code b} invalid UTF-8. */
    private static int badByte(byte[] b, int len) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b, 0, len);
        CharBuffer out = CharBuffer.allocate(len + 1);
        d.decode(in, out, true);
        return in.position();
    }

    // ---- writing ----

    /** A request as one line, newline included. */
    public static byte[] encode(ControlRequest r) {
        return write(g -> {
            g.writeNumberField("id", r.id());
            g.writeStringField("cmd", r.cmd().word());
            if (r.name() != null) g.writeStringField(r.cmd() == ControlRequest.Cmd.EMIT ? "event" : "job", r.name());
            Set<String> allowed = FIELDS.get(r.cmd());
            if (r.instance() != null && allowed.contains("instance")) g.writeStringField("instance", r.instance());
            if (allowed.contains("env") && !r.env().isEmpty()) {
                g.writeArrayFieldStart("env");
                for (String e : r.env()) g.writeString(e);
                g.writeEndArray();
            }
            if (allowed.contains("wait") && !r.waits()) g.writeBooleanField("wait", false);
            if (allowed.contains("follow") && r.follow()) g.writeBooleanField("follow", true);
            if (allowed.contains("lines") && r.lines() >= 0) g.writeNumberField("lines", r.lines());
            if (allowed.contains("format") && r.json()) g.writeStringField("format", "json");
            if (allowed.contains("caller") && r.caller() != null) {
                g.writeObjectFieldStart("caller");
                g.writeStringField("job", r.caller().job());
                g.writeStringField("instance", r.caller().instance());
                g.writeEndObject();
            }
        });
    }

    /** A reply as one line, newline included. */
    public static byte[] encode(ControlReply r) {
        return write(g -> {
            if (r.id() == null) g.writeNullField("id");
            else g.writeNumberField("id", r.id());
            switch (r.kind()) {
                case OK -> {
                    g.writeBooleanField("ok", true);
                    g.writeStringField("text", r.text());
                }
                case ERROR -> {
                    g.writeBooleanField("ok", false);
                    g.writeStringField("error", r.text());
                }
                case LINE -> g.writeStringField("line", r.text());
                default -> throw new IllegalStateException();
            }
        });
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        out.write('\n');
        return out.toByteArray();
    }

    /**
     * Parses a reply line (the client side).
     *
     * @throws IllegalArgumentException when the line is not a reply; the client reports it and gives up
     */
    public static ControlReply parseReply(String line) {
        Map<String, Object> f;
        try {
            f = object(line);
        } catch (Malformed e) {
            throw new IllegalArgumentException("the supervisor sent something that is not a reply: " + e.getMessage());
        }
        Long id = f.get("id") instanceof Long l ? l : null;
        if (f.get("line") instanceof String s) return ControlReply.line(id, s);
        if (Boolean.TRUE.equals(f.get("ok")) && f.get("text") instanceof String s) return ControlReply.ok(id, s);
        if (Boolean.FALSE.equals(f.get("ok")) && f.get("error") instanceof String s) return ControlReply.error(id, s);
        throw new IllegalArgumentException("the supervisor sent something that is not a reply: " + line);
    }
}
