package dev.ordo.planner.config.yaml;

import dev.ordo.planner.config.ReadResult;

import dev.ordo.planner.config.yaml.YamlReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.RelationKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps docs/ordo.schema.json in step with what YamlReader reads and with the model. */
class YamlSchemaTest {

    private static JsonNode schema;
    private static JsonNode job;

    @BeforeAll
    static void load() throws IOException {
        Path top = Path.of(System.getProperty("ordo.top", ".."));
        schema = new ObjectMapper().readTree(top.resolve("docs/ordo.schema.json").toFile());
        job = schema.at("/$defs/job/properties");
    }

    @Test
    void jobKeysAreTheReadersKeys() {
        assertEquals(YamlReader.JOB_KEYS, names(job));
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.get("$schema").asText());
        assertEquals(false, schema.at("/$defs/job/additionalProperties").asBoolean(true));
        assertEquals(false, schema.get("additionalProperties").asBoolean(true));
        for (String key : YamlReader.JOB_KEYS) {
            assertTrue(resolve(job.get(key)).has("description") || job.get(key).has("description"), key + " has a description");
        }
    }

    /** The schema refuses what the reader refuses: an editor must not call valid what `ordo check` calls an error. */
    @Test
    void readyTcpIsHostAndPortInTheSchemaAsInTheReader() {
        JsonNode tcp = job.get("ready").at("/anyOf/1/properties/tcp");
        assertEquals("string", tcp.get("type").asText(), "no bare integer: the reader wants host:port");
        java.util.regex.Pattern pattern = java.util.regex.Pattern.compile(tcp.get("pattern").asText());
        for (String ok : new String[] {"127.0.0.1:5432", "localhost:80", "[::1]:8080", "db.example:5432", "::1:80"}) {
            assertTrue(pattern.matcher(ok).find(), ok);
            ReadResult r = YamlReader.read("t.yaml", "jobs:\n  a:\n    exec: x\n    ready: {tcp: \"" + ok + "\"}\n");
            assertEquals(java.util.List.of(), r.diagnostics(), ok);
        }
        for (String bad : new String[] {"5432", "localhost", "host: 80", "host:port"}) {
            assertFalse(pattern.matcher(bad).find(), bad);
            ReadResult r = YamlReader.read("t.yaml", "jobs:\n  a:\n    exec: x\n    ready: {tcp: \"" + bad + "\"}\n");
            assertFalse(r.diagnostics().isEmpty(), bad);
        }
    }

    @Test
    void everyRelationKindAndPhaseHasItsKey() {
        for (RelationKind k : RelationKind.values()) {
            assertEquals(k != RelationKind.TRIGGERS, YamlReader.JOB_KEYS.contains(k.key()), k.key());
        }
        for (Phase p : Phase.values()) assertTrue(YamlReader.JOB_KEYS.contains(p.yamlKey()), p.yamlKey());
        assertTrue(YamlReader.JOB_KEYS.contains("script"));
    }

    @Test
    void enumsAreTheModels() {
        List<String> consoles = new ArrayList<>();
        for (Console c : Console.values()) consoles.add(c.name().toLowerCase(Locale.ROOT));
        assertEquals(consoles, texts(job.at("/console/enum")));
        assertEquals(Limit.RESOURCES, texts(job.at("/limits/propertyNames/enum")));

        // Modes are Readiness records without components (notify: its timeout only; forking: its systemd
        // PIDFile=, which ordo.yaml does not write); probes are those with some.
        List<String> modes = new ArrayList<>();
        List<String> probes = new ArrayList<>();
        for (Class<?> c : Readiness.class.getPermittedSubclasses()) {
            String mode = mode(c);
            if (c.getRecordComponents().length == 0 || c == Readiness.Notify.class || c == Readiness.Forking.class) modes.add(mode);
            else probes.add(mode);
        }
        assertEquals(new TreeSet<>(modes), new TreeSet<>(YamlReader.READY_MODES));
        assertEquals(new TreeSet<>(probes), new TreeSet<>(YamlReader.READY_PROBES));
        JsonNode ready = job.at("/ready/anyOf");
        assertEquals(YamlReader.READY_MODES, texts(ready.get(0).get("enum")));
        List<String> probeKeys = new ArrayList<>(YamlReader.READY_PROBES);
        probeKeys.add("timeout");
        probeKeys.add("notify"); // {notify: true, timeout: 30s}: notify with a timeout of its own
        assertEquals(new TreeSet<>(probeKeys), new TreeSet<>(names(ready.get(1).get("properties"))));
    }

    private static String mode(Class<?> c) {
        try {
            if (c.getRecordComponents().length == 0) return ((Readiness) c.getDeclaredConstructor().newInstance()).mode();
            Object[] args = new Object[c.getRecordComponents().length];
            Class<?>[] types = new Class<?>[args.length];
            for (int i = 0; i < args.length; i++) {
                types[i] = c.getRecordComponents()[i].getType();
                args[i] = types[i] == int.class ? 1 : null;
            }
            return ((Readiness) c.getDeclaredConstructor(types).newInstance(args)).mode();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void nestedMapsTakeTheKeysTheReaderTakes() {
        Map<String, JsonNode> nested = new LinkedHashMap<>();
        nested.put("kill", job.at("/kill/properties"));
        nested.put("respawn", job.at("/respawn/anyOf/1/properties"));
        nested.put("ready", job.at("/ready/anyOf/1/properties"));
        nested.put("pre_start", schema.at("/$defs/process/anyOf/1/properties"));
        for (Map.Entry<String, JsonNode> e : nested.entrySet()) {
            for (String key : names(e.getValue())) {
                String yaml = YamlReaderTest.job(e.getKey() + ": {" + key + ": 1}");
                assertTrue(YamlReader.read("t.yaml", yaml).diagnostics().stream().noneMatch(d -> d.code() == Code.UNKNOWN_KEY), yaml);
            }
            String bogus = YamlReaderTest.job(e.getKey() + ": {bogus: 1}");
            assertTrue(YamlReader.read("t.yaml", bogus).diagnostics().stream().anyMatch(d -> d.code() == Code.UNKNOWN_KEY), bogus);
        }
    }

    /** A value of each YAML kind, and the JSON Schema types that admit it. */
    private static final Map<String, Set<String>> SAMPLES = new LinkedHashMap<>();

    static {
        SAMPLES.put("x", Set.of("string"));
        SAMPLES.put("5", Set.of("integer", "number"));
        SAMPLES.put("1.5", Set.of("number"));
        SAMPLES.put("true", Set.of("boolean"));
        SAMPLES.put("~", Set.of("null"));
        SAMPLES.put("[x]", Set.of("array"));
        SAMPLES.put("{x: 1}", Set.of("object"));
    }

    @Test
    void everyKeyAcceptsTheKindsOfValueItsSchemaAdmits() {
        List<String> disagreements = new ArrayList<>();
        for (String key : YamlReader.JOB_KEYS) {
            Set<String> types = types(job.get(key));
            for (Map.Entry<String, Set<String>> s : SAMPLES.entrySet()) {
                boolean schemaAdmits = s.getValue().stream().anyMatch(types::contains);
                boolean readerAccepts = readerAccepts(key, s.getKey());
                if (schemaAdmits != readerAccepts) {
                    disagreements.add(key + ": " + s.getKey() + " (schema " + (schemaAdmits ? "admits" : "rejects") + " it, reader "
                            + (readerAccepts ? "accepts" : "rejects") + " it)");
                }
            }
        }
        assertEquals(List.of(), disagreements);
    }

    /** Whether the reader takes a value of this kind for {@code key}, whatever it then thinks of the value. */
    private static boolean readerAccepts(String key, String value) {
        ReadResult r = YamlReader.read("t.yaml", YamlReaderTest.job(key + ": " + value));
        for (Diagnostic d : r.diagnostics()) {
            boolean atValue = d.source().line() == 3 && d.source().column() == 5 + key.length() + 2;
            if (atValue && (d.message().startsWith("`" + key + "` must be ") || d.message().startsWith("`" + key + "` has no value"))) {
                return false;
            }
        }
        return true;
    }

    /** The JSON types a schema admits at its top (through $ref, anyOf and oneOf). */
    private static Set<String> types(JsonNode s) {
        Set<String> out = new TreeSet<>();
        JsonNode node = s;
        if (node.has("$ref")) out.addAll(types(resolve(node)));
        JsonNode type = node.get("type");
        if (type != null) {
            if (type.isArray()) type.forEach(t -> out.add(t.asText()));
            else out.add(type.asText());
        }
        for (String combiner : List.of("anyOf", "oneOf")) {
            if (node.has(combiner)) node.get(combiner).forEach(b -> out.addAll(types(b)));
        }
        return out;
    }

    private static JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) return node;
        return schema.at(node.get("$ref").asText().substring(1));
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) out.add(it.next());
        out.sort(null);
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
