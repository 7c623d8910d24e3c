package dev.ordo.executor.cli;

import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a clear error of bounded size: never a stack trace, never output that grows with a line's square. */
class BoundedOutputTest {

    @Test
    void aLongLineIsShownAsAWindowAroundTheCaret(@TempDir Path dir) throws IOException {
        // 2,000 events nothing emits on one 30 KB line: 2,000 warnings, each with a snippet of the line.
        StringBuilder expr = new StringBuilder("ev0");
        for (int i = 1; i < 2000; i++) expr.append(" and ev").append(i);
        Files.writeString(dir.resolve("ordo.yaml"), "jobs:\n  a:\n    exec: x\n    start_on: \"" + expr + "\"\n");
        CheckCommandTest.Run r = ordo("check", dir.toString());
        assertEquals(1, r.status(), r.err()); // 1999 operators: over the bound, an error
        assertTrue(r.out().contains("error[ORD005]: event expression too long: more than 512 `and`/`or` operators"), r.out());
        for (String line : r.out().split("\n")) assertTrue(line.length() < 400, "a line of " + line.length());
        // Within the bound: 300 warnings, each a window of the 4 KB line with the caret under its event.
        StringBuilder fewer = new StringBuilder("ev0");
        for (int i = 1; i < 300; i++) fewer.append(" and ev").append(i);
        Files.writeString(dir.resolve("ordo.yaml"), "jobs:\n  a:\n    exec: x\n    start_on: \"" + fewer + "\"\n");
        CheckCommandTest.Run w = ordo("check", dir.toString());
        assertEquals(0, w.status(), w.out());
        assertTrue(w.out().length() < 300 * 700, "bounded: " + w.out().length());
        String[] lines = w.out().split("\n");
        for (int i = 0; i + 2 < lines.length; i++) {
            if (!lines[i].contains("warning[ORD103]: event `ev150`")) continue;
            String snippet = lines[i + 1];
            String caret = lines[i + 2];
            assertTrue(snippet.startsWith(" 4 | ...") && snippet.endsWith("..."), snippet);
            int at = caret.indexOf('^');
            assertEquals("ev150", snippet.substring(at, at + 5), snippet + "\n" + caret);
            return;
        }
        throw new AssertionError("no warning for ev150:\n" + w.out().substring(0, 2000));
    }
}
