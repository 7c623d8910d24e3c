package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** LANG=C gets ASCII arrows instead of question marks; a UTF-8 locale gets the real ones. */
class GlyphsTest {

    static String plan(Map<String, String> env) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintWriter out = Glyphs.writer(bytes, env);
        int status = Main.execute(new String[] {"plan", CheckCommandTest.TOP.resolve("samples/yaml").toString()}, out,
                new PrintWriter(new ByteArrayOutputStream(), true));
        assertEquals(0, status);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theCLocaleGetsAsciiArrowsAndNothingGarbled() {
        for (Map<String, String> env : new Map[] {Map.of("LANG", "C"), Map.of(), Map.of("LC_ALL", "C", "LANG", "en_US.UTF-8"),
            Map.of("LANG", "POSIX")}) {
            String out = plan(env);
            assertTrue(out.contains("    0s -> 0.3s    dbus"), env + "\n" + out);
            assertFalse(out.contains("?"), env + "\n" + out);
            assertTrue(out.chars().allMatch(c -> c < 128), env + "\n" + out);
        }
    }

    @Test
    void aUtf8LocaleGetsTheRealGlyphs() {
        for (Map<String, String> env : new Map[] {Map.of("LANG", "en_US.UTF-8"), Map.of("LC_CTYPE", "C.utf8", "LANG", "C")}) {
            assertTrue(plan(env).contains("    0s → 0.3s    dbus"), env.toString());
        }
    }

    @Test
    void eachGlyphHasItsAsciiSpelling() {
        assertEquals("a -> b, `- c, | d, e - f -- g...", Glyphs.ascii("a → b, └─ c, │ d, e ─ f — g…"));
        assertEquals("plain", Glyphs.ascii("plain"));
    }
}
