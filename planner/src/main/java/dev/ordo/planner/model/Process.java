package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

import java.util.List;

/**
 * One of a job's processes: either commands run one after the other, each a process of its own, the
 * next only when the last succeeded ({@code exec}; Upstart has one, ordo.yaml a list, systemd's
 * {@code ExecStartPre=} one per line), or a shell script run with {@code /bin/sh -e}.
 *
 * @param exec the command lines, empty for a script
 * @param script the script body, or null for commands
 * @param commands for a systemd unit, each command line as systemd reads it (same size as {@code exec});
 *     empty for the other formats, whose lines follow Upstart's rule ({@link #throughShell(String)})
 */
public record Process(Phase phase, List<String> exec, String script, Source source, List<ExecCommand> commands) {

    public Process {
        exec = exec == null ? List.of() : List.copyOf(exec);
        commands = commands == null ? List.of() : List.copyOf(commands);
        if (exec.isEmpty() == (script == null)) throw new IllegalArgumentException("exec or script, not both");
        if (!commands.isEmpty() && commands.size() != exec.size()) throw new IllegalArgumentException("one command per line");
    }

    public Process(Phase phase, List<String> exec, String script, Source source) {
        this(phase, exec, script, source, List.of());
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

    /** How many processes run one after the other: one for a script, one per command line otherwise. */
    public int lines() {
        return isScript() ? 1 : exec.size();
    }

    /** Whether the failure of line {@code i} counts as success (systemd's {@code -} prefix). */
    public boolean ignoresFailure(int i) {
        return !commands.isEmpty() && commands.get(i).has(ExecPrefix.IGNORE_FAILURE);
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
