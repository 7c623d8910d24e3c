package dev.ordo.executor.posix;

import dev.ordo.planner.model.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** How a job's process becomes an argv, and where its program is found. Pure Java, no native code. */
public final class Argv {

    /** Upstart's default PATH for jobs, used when the job's environment has none. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private static final String SH = "/bin/sh";
    /** Compiled once: String.split compiled it again for every process started. */
    private static final Pattern BLANKS = Pattern.compile("[ \t\r\n]+");

    private Argv() {
    }

    /**
     * The argv for a process: a script runs as {@code /bin/sh -e -c SCRIPT}; one command line as Upstart
     * runs it (split on blanks, or {@code /bin/sh -e -c "exec LINE"} when it has shell characters);
     * several lines (systemd's repeated {@code ExecStartPre=}) as one {@code sh -e} script, so the first
     * failing line ends it.
     */
    public static List<String> argv(Process process) {
        if (process.isScript()) return List.of(SH, "-e", "-c", process.script());
        if (process.exec().size() == 1) return argv(process.exec().get(0));
        return List.of(SH, "-e", "-c", String.join("\n", process.exec()));
    }

    /** One command line, as Upstart's {@code exec} runs it. */
    public static List<String> argv(String line) {
        if (Process.throughShell(line)) return List.of(SH, "-e", "-c", "exec " + line);
        List<String> out = new ArrayList<>();
        for (String w : BLANKS.split(line.trim())) if (!w.isEmpty()) out.add(w);
        return out;
    }

    /** The value of {@code PATH} in a {@code K=V} environment, or {@link #DEFAULT_PATH}. */
    public static String path(List<String> env) {
        String found = null;
        for (String e : env) if (e.startsWith("PATH=")) found = e.substring(5);
        return found == null ? DEFAULT_PATH : found;
    }

    /** Where the program was found, or the errno execvp would have failed with. */
    public record Resolved(String path, int errno) {
        public boolean found() {
            return path != null;
        }
    }

    /**
     * Resolves {@code program} the way execvp does, but against the JOB's {@code PATH}: posix_spawnp
     * would search the supervisor's PATH instead (docs/notes/jvm-posix.md §1). A name with a slash is taken
     * as it is. ENOENT when nothing matches, EACCES when only non-executable files do.
     */
    public static Resolved resolve(String program, String path) {
        if (program.isEmpty()) return new Resolved(null, Sys.ENOENT);
        if (program.indexOf('/') >= 0) return check(Path.of(program));
        boolean denied = false;
        for (String dir : path.split(":", -1)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir).resolve(program);
            Resolved r = check(p);
            if (r.found()) return new Resolved(p.toAbsolutePath().toString(), 0);
            if (r.errno() == Sys.EACCES) denied = true;
        }
        return new Resolved(null, denied ? Sys.EACCES : Sys.ENOENT);
    }

    private static Resolved check(Path p) {
        if (!Files.exists(p)) return new Resolved(null, Sys.ENOENT);
        if (Files.isDirectory(p) || !Files.isRegularFile(p) || !Files.isExecutable(p)) return new Resolved(null, Sys.EACCES);
        return new Resolved(p.toString(), 0);
    }
}
