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
}
