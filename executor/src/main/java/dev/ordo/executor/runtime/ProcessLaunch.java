package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.Argv;
import dev.ordo.planner.engine.Effect;
import dev.ordo.planner.model.EnvironmentFile;
import dev.ordo.planner.model.ExecCommand;
import dev.ordo.planner.model.ExecPrefix;
import dev.ordo.planner.model.OutputTarget;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Resources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one line of a job's process runs, made at the moment it starts: the environment with the job's
 * {@code EnvironmentFile=}s read now (they are the administrator's, changed without touching the unit),
 * then the argv as the job's format says: a systemd command line with its prefixes and {@code $VAR}
 * expansion, no shell; an Upstart or ordo.yaml line by Upstart's rule ({@link Argv#argv(String)}).
 *
 * @param program the file to execute when it is not argv[0], or null
 */
record ProcessLaunch(List<String> argv, String program, List<String> env, Resources resources) {

    /** An environment file larger than this is refused: it is a few lines of defaults, not data. */
    static final long MAX_ENVIRONMENT_FILE = 1 << 20;

    /** Why a line cannot be started (a required environment file missing or unreadable). */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    static ProcessLaunch of(Effect.Spawn s) throws Refused {
        Process p = s.command();
        Resources res = s.resources();
        List<String> env = s.env();
        if (!res.environmentFiles().isEmpty()) env = withFiles(env, res.environmentFiles());
        if (!res.directories().isEmpty()) {
            // Made before the first process of a start (again at a respawn: it is idempotent), named for all.
            if (s.line() == 0 && s.phase().ordinal() <= Phase.MAIN.ordinal()) ServiceDirectories.prepare(res);
            Map<String, String> m = map(env);
            m.putAll(ServiceDirectories.variables(res));
            env = list(m);
        }
        outputDirectory("StandardOutput", res.output());
        outputDirectory("StandardError", res.error());
        if (p.isScript()) return new ProcessLaunch(Argv.argv(p), null, env, res);
        if (p.commands().isEmpty()) return new ProcessLaunch(Argv.argv(p.exec().get(s.line())), null, env, res);
        ExecCommand c = p.commands().get(s.line());
        ExecCommand.Invocation inv = c.invocation(map(env));
        String program = inv.program();
        // systemd looks a plain name up in its own fixed search path, not in the unit's PATH (systemd.service(5)).
        if (program.indexOf('/') < 0) {
            Argv.Resolved r = Argv.resolve(program, Argv.DEFAULT_PATH);
            if (r.found()) program = r.path();
        }
        if (c.has(ExecPrefix.FULL_PRIVILEGES)) res = res.withoutCredentials(true);
        else if (c.has(ExecPrefix.NO_CREDENTIALS) || c.has(ExecPrefix.NO_CREDENTIALS_WITHOUT_AMBIENT)) res = res.withoutCredentials(false);
        List<String> argv = inv.argv();
        if (argv.isEmpty()) argv = List.of(program);
        return new ProcessLaunch(argv, program.equals(argv.get(0)) ? null : program, env, res);
    }

    /**
     * A file for an output stream is opened by the new process as it starts; a directory that is not there would
     * fail that as "No such file or directory", which reads as a missing program (systemd's 209, EXIT_STDOUT).
     */
    private static void outputDirectory(String key, OutputTarget t) throws Refused {
        if (t == null || t.path() == null) return;
        Path parent = Path.of(t.path()).getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new Refused(key + "=" + t.text() + ": the directory " + parent + " does not exist");
        }
    }

    /** This launch with {@code variables} in its environment (over any earlier values). */
    ProcessLaunch withVariables(Map<String, String> variables) {
        Map<String, String> m = map(env);
        m.putAll(variables);
        return new ProcessLaunch(argv, program, list(m), resources);
    }

    /** The environment with each file's assignments over it, in order; systemd reads them at every start. */
    private static List<String> withFiles(List<String> env, List<EnvironmentFile> files) throws Refused {
        Map<String, String> m = map(env);
        for (EnvironmentFile f : files) {
            Path path = Path.of(f.path());
            try {
                if (!Files.isRegularFile(path)) {
                    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS) && f.optional()) continue;
                    throw new Refused("EnvironmentFile " + f.path() + (Files.exists(path) ? " is not a regular file" : " does not exist"));
                }
                if (Files.size(path) > MAX_ENVIRONMENT_FILE) {
                    throw new Refused("EnvironmentFile " + f.path() + " is over " + MAX_ENVIRONMENT_FILE + " bytes");
                }
                m.putAll(EnvironmentFile.parse(Files.readString(path, StandardCharsets.UTF_8)));
            } catch (NoSuchFileException e) {
                if (!f.optional()) throw new Refused("EnvironmentFile " + f.path() + " does not exist");
            } catch (IOException | RuntimeException e) {
                if (!f.optional()) throw new Refused("cannot read EnvironmentFile " + f.path() + ": " + e.getMessage());
            }
        }
        return list(m);
    }

    private static List<String> list(Map<String, String> m) {
        List<String> out = new ArrayList<>(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) out.add(e.getKey() + "=" + e.getValue());
        return out;
    }

    private static Map<String, String> map(List<String> env) {
        return dev.ordo.planner.model.EnvVar.putAll(new LinkedHashMap<>(), env);
    }
}
