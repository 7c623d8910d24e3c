package dev.ordo.planner.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** $VAR and ${VAR} in systemd command lines (systemd.service(5), "Command lines"), and EnvironmentFile= text. */
class ExecCommandTest {

    private static final Map<String, String> ENV = Map.of("OPTS", "-a  'b c'\t-d", "ONE", "x y", "EMPTY", "");

    private static List<String> argv(Set<ExecPrefix> prefixes, String... words) {
        return new ExecCommand(prefixes, List.of(words)).invocation(ENV).argv();
    }

    @Test
    void aBareVariableWordSplitsAtWhitespaceAndVanishesWhenUnset() {
        // "Use "$FOO" as a separate word on the command line, in which case it will be replaced by the value
        // of the environment variable split at whitespace, resulting in zero or more arguments."
        assertEquals(List.of("/bin/prog", "-a", "b c", "-d", "end"), argv(Set.of(), "/bin/prog", "$OPTS", "end"));
        assertEquals(List.of("/bin/prog", "end"), argv(Set.of(), "/bin/prog", "$UNSET", "end"));
        assertEquals(List.of("/bin/prog"), argv(Set.of(), "/bin/prog", "$EMPTY"));
    }

    @Test
    void aBracedVariableIsOneArgumentWithItsWhitespace() {
        // "${FOO} ... will be erased and replaced by the exact value of the environment variable (if any)
        // including all whitespace it contains, always resulting in exactly a single argument."
        assertEquals(List.of("/bin/prog", "--name=x y", "", "a$b"), argv(Set.of(), "/bin/prog", "--name=${ONE}", "${UNSET}", "a$$b"));
        assertEquals(List.of("/bin/prog", "dflt", "alt", "x y", ""),
                argv(Set.of(), "/bin/prog", "${EMPTY:-dflt}", "${ONE:+alt}", "${ONE:-dflt}", "${UNSET:+alt}"));
        // A word that starts with `$` is all name, as replace_env_argv() takes it: `$ONE/x` names `ONE/x`.
        assertEquals(List.of("/bin/prog"), argv(Set.of(), "/bin/prog", "$ONE/x"));
        assertEquals(List.of("/bin/prog", "a$ONE"), argv(Set.of(), "/bin/prog", "a$ONE"));
    }

    @Test
    void theColonPrefixTurnsExpansionOffAndTheAtPrefixGivesArgv0() {
        assertEquals(List.of("/bin/prog", "$OPTS", "${ONE}"), argv(Set.of(ExecPrefix.NO_EXPANSION), "/bin/prog", "$OPTS", "${ONE}"));
        ExecCommand.Invocation i = new ExecCommand(Set.of(ExecPrefix.ARGV0), List.of("/usr/sbin/sshd", "sshd", "-D")).invocation(ENV);
        assertEquals("/usr/sbin/sshd", i.program());
        assertEquals(List.of("sshd", "-D"), i.argv());
        // The path is never expanded: systemd takes it as written.
        assertEquals("/bin/$ONE", new ExecCommand(Set.of(), List.of("/bin/$ONE")).invocation(ENV).program());
    }

    @Test
    void environmentFilesReadAsSystemdReadsThem() {
        String text = String.join("\n",
                "# comment", "; also a comment", "", "  KEY = value with trailing blanks   ",
                "SINGLE='a \"quoted\" $x \\n'", "DOUBLE=\"say \\\"hi\\\" \\$HOME \\q\"",
                "CONT=first\\", "second", "not a line", "9BAD=x", "EMPTY=", "LAST=x");
        Map<String, String> m = EnvironmentFile.parse(text);
        assertEquals("value with trailing blanks", m.get("KEY"));
        assertEquals("a \"quoted\" $x \\n", m.get("SINGLE"));
        assertEquals("say \"hi\" $HOME \\q", m.get("DOUBLE"));
        assertEquals("firstsecond", m.get("CONT"));
        assertEquals("", m.get("EMPTY"));
        assertEquals(List.of("KEY", "SINGLE", "DOUBLE", "CONT", "EMPTY", "LAST"), List.copyOf(m.keySet()));
    }
}
