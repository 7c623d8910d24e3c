package dev.ordo.executor.cli;

import static dev.ordo.executor.cli.CheckCommandTest.ordo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Completion scripts made from the command definitions, tried in a real bash. */
class CompletionCommandTest {

    /** What bash's completion offers for the words of {@code line} (its last word being completed). */
    static String complete(Path script, String... words) throws IOException, InterruptedException {
        StringBuilder array = new StringBuilder();
        for (String w : words) array.append('\'').append(w).append("' ");
        String line = String.join(" ", words);
        String program = "source " + script + " 2>/dev/null; COMP_WORDS=(" + array + "); COMP_CWORD=" + (words.length - 1)
                + "; COMP_LINE='" + line + "'; COMP_POINT=" + line.length() + "; _complete_ordo ordo '"
                + words[words.length - 1] + "' '" + words[words.length - 2] + "' 2>/dev/null; echo \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void bashCompletesCommandsOptionsAndTheirValues(@TempDir Path dir) throws Exception {
        CheckCommandTest.Run r = ordo("completion", "bash");
        assertEquals(0, r.status(), r.err());
        Path script = Files.writeString(dir.resolve("ordo.bash"), r.out());
        assertEquals("plan", complete(script, "ordo", "pl"));
        assertEquals("--format", complete(script, "ordo", "check", "--fo"));
        assertEquals("text json", complete(script, "ordo", "check", "--format", ""));
        assertEquals("text json dot mermaid svg", complete(script, "ordo", "plan", "--format", ""));
        assertTrue(complete(script, "ordo", "run", "--").contains("--start"), "run takes --start");
    }

    @Test
    void zshAndFishToo() {
        String zsh = ordo("completion", "zsh").out();
        assertTrue(zsh.startsWith("autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"), zsh);
        assertTrue(zsh.contains("complete -F _complete_ordo"), "zsh runs the bash function through bashcompinit");
        String fish = ordo("completion", "fish").out();
        assertTrue(fish.contains("complete -c ordo -n '__fish_use_subcommand' -a plan -d 'Plan the boot"), fish);
        assertTrue(fish.contains("complete -c ordo -n '__fish_seen_subcommand_from check' -l format -r -a 'text json'"), fish);
        for (String command : new String[] {"check", "plan", "run", "status", "completion"}) {
            assertTrue(fish.contains("-a " + command + " -d "), command);
        }
        CheckCommandTest.Run bad = ordo("completion", "powershell");
        assertEquals(2, bad.status());
        assertEquals("ordo: completion is for bash, zsh or fish, not `powershell`\n", bad.err());
    }
}
