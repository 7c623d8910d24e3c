package dev.ordo.executor.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /** A name must not clear the screen or retitle the window: control characters are shown escaped. */
    @Test
    void controlCharactersFromNamesAreEscapedButOrdosColoursPass() {
        assertEquals("a\\x1b[2Jb\\x07c", Glyphs.escapeControls("a\u001b[2Jb\u0007c"));
        assertEquals("\u001b[1;31merror\u001b[0m\ttab\n", Glyphs.escapeControls("\u001b[1;31merror\u001b[0m\ttab\n"));
        assertEquals("\\x1b]0;title\\x07", Glyphs.escapeControls("\u001b]0;title\u0007"));
        assertEquals("plain", Glyphs.escapeControls("plain"));
    }

    @Test
    void aJobNamedWithEscapesReachesTheTerminalEscaped(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        java.nio.file.Files.writeString(dir.resolve("ordo.yaml"),
                "jobs:\n  \"evil\\e[2J\\a\":\n    exec: x\n    requires: [nothere]\n");
        for (Map<String, String> env : List.of(Map.of("LANG", "C.UTF-8"), Map.of("LANG", "C"))) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            PrintWriter out = Glyphs.writer(bytes, env);
            Main.execute(new String[] {"check", dir.toString()}, out, new PrintWriter(new ByteArrayOutputStream(), true));
            out.flush();
            String text = bytes.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("evil\\x1b[2J\\x07"), text);
            assertFalse(text.chars().anyMatch(c -> c == 0x1b || c == 0x07), text);
        }
    }
}
