package dev.ordo.planner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** environ_expand's forms (U§3.4). */
class ExpansionTest {

    private static final Map<String, String> ENV = Map.of("cluster", "prod", "id", "3", "EMPTY", "", "TTY", "tty1");

    @Test
    void plainAndBracedReferences() {
        assertEquals("tty1", Expansion.expand("$TTY", ENV));
        assertEquals("prod/3", Expansion.expand("${cluster}/$id", ENV));
    }

    @Test
    void defaultsAndAlternatives() {
        assertEquals("ceph/3", Expansion.expand("${nope:-ceph}/$id", ENV));
        assertEquals("", Expansion.expand("${EMPTY-x}", ENV), "- only replaces an unset variable");
        assertEquals("x", Expansion.expand("${EMPTY:-x}", ENV), ":- also replaces an empty one");
        assertEquals("/", Expansion.expand("${TTY:+/}", ENV));
        assertEquals("", Expansion.expand("${nope:+/}", ENV));
        assertEquals("", Expansion.expand("${EMPTY:+/}", ENV));
        assertEquals("/", Expansion.expand("${EMPTY+/}", ENV));
    }

    @Test
    void unknownPlainReferenceIsAnError() {
        Expansion.UnknownVariable e = assertThrows(Expansion.UnknownVariable.class,
                () -> Expansion.expand("[!$RUNLEVEL]", ENV));
        assertEquals("RUNLEVEL", e.name());
    }

    @Test
    void referencesKnowWhetherADefaultGuardsThem() {
        List<Expansion.Reference> refs = Expansion.references("$JOB${INTERFACE:+/}${INTERFACE:-}$a ${b:-$c}");
        assertEquals(List.of("JOB", "INTERFACE", "INTERFACE", "a", "b", "c"),
                refs.stream().map(Expansion.Reference::name).toList());
        assertEquals(List.of(false, true, true, false, true, true),
                refs.stream().map(Expansion.Reference::guarded).toList());
    }
}
