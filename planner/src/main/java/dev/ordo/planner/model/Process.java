package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

import java.util.List;

/**
 * One of a job's processes: either commands run one after the other ({@code exec}; Upstart has one,
 * systemd's {@code ExecStartPre=} may list several) or a shell script run with {@code /bin/sh -e}.
 *
 * @param exec the command lines, empty for a script
 * @param script the script body, or null for commands
 */
public record Process(Phase phase, List<String> exec, String script, Source source) {

    public Process {
        exec = exec == null ? List.of() : List.copyOf(exec);
        if (exec.isEmpty() == (script == null)) throw new IllegalArgumentException("exec or script, not both");
    }

    public static Process exec(Phase phase, String commandLine, Source source) {
        return new Process(phase, List.of(commandLine), null, source);
    }

    public static Process script(Phase phase, String body, Source source) {
        return new Process(phase, List.of(), body, source);
    }

    public boolean isScript() {
        return script != null;
    }

    /** Upstart's shell characters (U§1.4): a command line with any of them runs through the shell. */
    public static final String SHELL_CHARACTERS = "~`!$^&*()=|\\{}[];\"'<>?";

    /**
     * Whether a command line runs as {@code /bin/sh -e -c "exec LINE"} rather than split on blanks: when it
     * has any of {@link #SHELL_CHARACTERS} (Upstart's rule, which ordo.yaml's {@code exec} follows too).
     */
    public static boolean throughShell(String line) {
        for (int i = 0; i < line.length(); i++) if (SHELL_CHARACTERS.indexOf(line.charAt(i)) >= 0) return true;
        return false;
    }
}
