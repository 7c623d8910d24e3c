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
 */
public record SpawnRequest(long tag, List<String> argv, List<String> env, Resources resources, Stdio stdio,
                           Follow follow, String notifyKey) {

    public SpawnRequest {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) throw new IllegalArgumentException("empty argv");
        env = List.copyOf(env);
        resources = resources == null ? Resources.DEFAULT : resources;
        stdio = stdio == null ? Stdio.DISCARD : stdio;
        follow = follow == null ? Follow.NONE : follow;
    }

    /** A plain request: default resources, output discarded, nothing followed. */
    public static SpawnRequest of(long tag, List<String> argv, List<String> env) {
        return new SpawnRequest(tag, argv, env, Resources.DEFAULT, Stdio.DISCARD, Follow.NONE, null);
    }

    public SpawnRequest withResources(Resources r) {
        return new SpawnRequest(tag, argv, env, r, stdio, follow, notifyKey);
    }

    public SpawnRequest withStdio(Stdio s) {
        return new SpawnRequest(tag, argv, env, resources, s, follow, notifyKey);
    }

    public SpawnRequest withFollow(Follow f) {
        return new SpawnRequest(tag, argv, env, resources, stdio, f, notifyKey);
    }

    public SpawnRequest withNotify(String key) {
        return new SpawnRequest(tag, argv, env, resources, stdio, follow, Objects.requireNonNull(key));
    }
}
