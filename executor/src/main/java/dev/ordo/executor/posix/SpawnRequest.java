package dev.ordo.executor.posix;

import dev.ordo.planner.model.Resources;
import java.util.List;
import java.util.Objects;

/**
 * One process to start.
 *
 * @param tag the caller's id for it (the engine's process id), echoed in {@link ProcessEvent.Launched}
 *     and {@link ProcessEvent.LaunchFailed}
 * @param argv the program and its arguments; a program without a slash is looked up in the job's
 *     {@code PATH} (from {@code env})
 * @param env the whole environment, {@code K=V}
 * @param resources umask, nice, limits, user/group, chdir (default {@code /}), oom score
 * @param stdio where stdout and stderr go
 * @param follow what to watch the process for
 * @param notifyKey non-null to give the process a {@code NOTIFY_SOCKET} of its own; datagrams on it
 *     are reported with this key (one socket per key, kept across respawns)
 * @param program the file to execute when it is not {@code argv[0]} (systemd's {@code @} prefix), or null
 * @param pidFile with {@link Follow#EXIT}: the file that names the process the main process leaves
 *     (systemd's {@code PIDFile=}), read when it exits; null to find that process by lineage
 * @param fds the descriptors of socket units it is given ({@link PassedFds#NONE} for none)
 * @param start the start of a unit it belongs to, whose cgroup it joins where ordo makes them ({@link ControlGroups});
 *     null for none
 */
public record SpawnRequest(long tag, List<String> argv, List<String> env, Resources resources, Stdio stdio,
                           Follow follow, String notifyKey, String program, String pidFile, PassedFds fds,
                           UnitStart start) {

    /** A unit (its key) and one start of it (its {@code INVOCATION_ID}). */
    public record UnitStart(String unit, String invocation) {
    }

    public SpawnRequest(long tag, List<String> argv, List<String> env, Resources resources, Stdio stdio,
                        Follow follow, String notifyKey, String program, String pidFile, PassedFds fds) {
        this(tag, argv, env, resources, stdio, follow, notifyKey, program, pidFile, fds, null);
    }

    public SpawnRequest(long tag, List<String> argv, List<String> env, Resources resources, Stdio stdio,
                        Follow follow, String notifyKey, String program, String pidFile) {
        this(tag, argv, env, resources, stdio, follow, notifyKey, program, pidFile, PassedFds.NONE);
    }

    public SpawnRequest(long tag, List<String> argv, List<String> env, Resources resources, Stdio stdio,
                        Follow follow, String notifyKey, String program) {
        this(tag, argv, env, resources, stdio, follow, notifyKey, program, null);
    }

    public SpawnRequest(long tag, List<String> argv, List<String> env, Resources resources, Stdio stdio,
                        Follow follow, String notifyKey) {
        this(tag, argv, env, resources, stdio, follow, notifyKey, null, null);
    }

    public SpawnRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
        env = List.copyOf(env);
        resources = resources == null ? Resources.DEFAULT : resources;
        stdio = stdio == null ? Stdio.DISCARD : stdio;
        follow = follow == null ? Follow.NONE : follow;
        fds = fds == null ? PassedFds.NONE : fds;
    }

    /** A plain request: default resources, output discarded, nothing followed. */
    public static SpawnRequest of(long tag, List<String> argv, List<String> env) {
        return new SpawnRequest(tag, argv, env, Resources.DEFAULT, Stdio.DISCARD, Follow.NONE, null);
    }

    public SpawnRequest withResources(Resources r) {
        return new SpawnRequest(tag, argv, env, r, stdio, follow, notifyKey, program, pidFile, fds, start);
    }

    public SpawnRequest withStdio(Stdio s) {
        return new SpawnRequest(tag, argv, env, resources, s, follow, notifyKey, program, pidFile, fds, start);
    }

    public SpawnRequest withFollow(Follow f) {
        return new SpawnRequest(tag, argv, env, resources, stdio, f, notifyKey, program, pidFile, fds, start);
    }

    public SpawnRequest withNotify(String key) {
        return new SpawnRequest(tag, argv, env, resources, stdio, follow, Objects.requireNonNull(key), program, pidFile, fds, start);
    }

    /** The file to execute, when argv[0] is not it. */
    public SpawnRequest withProgram(String file) {
        return new SpawnRequest(tag, argv, env, resources, stdio, follow, notifyKey, Objects.requireNonNull(file), pidFile, fds, start);
    }

    /** The request with the PID file its {@link Follow#EXIT} main process names its daemon in. */
    public SpawnRequest withPidFile(String file) {
        return new SpawnRequest(tag, argv, env, resources, stdio, follow, notifyKey, program, Objects.requireNonNull(file), fds, start);
    }

    /** The request with the descriptors of socket units it is given. */
    public SpawnRequest withFds(PassedFds f) {
        return new SpawnRequest(tag, argv, env, resources, stdio, follow, notifyKey, program, pidFile, Objects.requireNonNull(f), start);
    }

    /** What is executed: {@link #program()} if given, else argv[0]. */
    public String executable() {
        return program != null ? program : argv.get(0);
    }

    /** This request, its process in the cgroup of {@code start} where ordo makes cgroups. */
    public SpawnRequest in(UnitStart unitStart) {
        return new SpawnRequest(tag, argv, env, resources, stdio, follow, notifyKey, program, pidFile, fds, unitStart);
    }
}
