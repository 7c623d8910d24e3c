package dev.ordo.planner.config.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.resolver.Resolver;

/** The reader's faster resolver must give every scalar the tag SnakeYAML's own resolver gives it. */
class PlainResolverProperties {

    private static final Resolver SNAKE = new Resolver();
    private static final PlainResolver PLAIN = new PlainResolver();

    @Provide
    Arbitrary<String> scalars() {
        // Characters every resolver keys on, and others; short, so that booleans, numbers, nulls,
        // timestamps and merges come up often.
        Arbitrary<Character> c = Arbitraries.of('y', 'Y', 'n', 'N', 't', 'T', 'f', 'F', 'o', 'O', 'e', 's', 'r', 'u',
                'l', 'a', '~', '0', '1', '9', '-', '+', '.', ':', '<', '=', '!', '&', '*', '_', 'x', ' ', 'j', '$');
        return c.list().ofMaxSize(12).map(l -> {
            StringBuilder b = new StringBuilder();
            l.forEach(b::append);
            return b.toString();
        });
    }

    @Property(tries = 3000)
    void sameTagAsSnakeYaml(@ForAll("scalars") String value) {
        for (NodeId kind : NodeId.values()) {
            for (boolean implicit : new boolean[] {true, false}) {
                assertEquals(SNAKE.resolve(kind, value, implicit), PLAIN.resolve(kind, value, implicit),
                        kind + " `" + value + "` implicit=" + implicit);
            }
        }
    }

    @Test
    void knownValuesKeepTheirTags() {
        for (String v : new String[] {"", "yes", "No", "true", "off", "~", "null", "Null", "12", "-1.5", "0x1F", ".inf",
            "2001-12-14", "<<", "=", "sleep infinity", "j000001", "startup", "started dbus", "!x", "*a", "&a"}) {
            assertEquals(SNAKE.resolve(NodeId.scalar, v, true), PLAIN.resolve(NodeId.scalar, v, true), v);
        }
    }

    @Test
    void theResolverIsOursForThisSnakeYaml() {
        assertTrue(PLAIN.own(), "SnakeYAML registers its resolvers differently now");
    }
}
