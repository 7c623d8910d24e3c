package dev.ordo.executor.posix;

import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Resources;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import jnr.posix.Group;
import jnr.posix.Passwd;

/**
 * The chain of small programs a job's process starts as, each setting something on itself and exec'ing the next:
 * what posix_spawn cannot do for the child (see {@link #build}).
 */
final class Trampoline {

    /** The helper programs found on the supervisor's PATH, by name (null when missing). */
    private final Map<String, String> tools = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * posix_spawn cannot set umask, nice, limits or ids, and setting them after the spawn races with the
     * child's first instructions. So the child starts as a chain of small exec'ing programs that set them
     * on themselves and then exec the job: {@code sh -c 'umask …; exec "$@"'}, {@code nice},
     * {@code prlimit}, {@code setpriv}. Fills {@code argv} with the prefix (empty if none is needed);
     * returns an error text or null.
     *
     * @param cgroupProcs the {@code cgroup.procs} of the cgroup it joins ({@link ControlGroups}), or null
     * @param listenPid the process is given listening sockets: {@code LISTEN_PID} must be its pid, which
     *     posix_spawn tells only after the fact; the shell sets it to its own, {@code $$}, which every exec
     *     after it keeps (systemd sets it in the child between fork and exec)
     */
    String build(Resources res, List<String> argv, boolean listenPid, String cgroupProcs) {
        if (res.umask() != null || res.oomScore() != null || listenPid || cgroupProcs != null) {
            StringBuilder s = new StringBuilder();
            // Into its cgroup first: 0 is the writer itself, and everything it execs and forks stays there.
            if (cgroupProcs != null) s.append("echo 0 >'").append(cgroupProcs.replace("'", "'\\''")).append("' && ");
            if (listenPid) s.append("export LISTEN_PID=$$ && ");
            if (res.umask() != null) s.append("umask ").append(String.format("%04o", res.umask())).append(" && ");
            if (res.oomScore() != null) s.append("echo ").append((int) res.oomScore()).append(" >/proc/self/oom_score_adj && ");
            s.append("exec \"$@\"");
            // $0 names the trampoline in sh's own error messages.
            argv.addAll(List.of("/bin/sh", "-c", s.toString(), "ordo-setup"));
        }
        if (res.nice() != null) {
            String nice = tool("nice");
            if (nice == null) return "nice not found on the supervisor's PATH (needed for nice:)";
            // The child inherits the spawning thread's niceness; nice(1) adds to it.
            int current = Sys.C.getpriority(0, 0);
            argv.addAll(List.of(nice, "-n", Integer.toString(res.nice() - current)));
        }
        if (!res.limits().isEmpty()) {
            String prlimit = tool("prlimit");
            if (prlimit == null) return "prlimit not found on the supervisor's PATH (util-linux; needed for limits)";
            argv.add(prlimit);
            for (Limit l : res.limits()) {
                if (!Limit.RESOURCES.contains(l.resource())) return "unknown limit: " + l.resource();
                argv.add("--" + l.resource() + "=" + limitValue(l.soft()) + ":" + limitValue(l.hard()));
            }
            argv.add("--");
        }
        if (res.user() != null || res.group() != null || !res.supplementaryGroups().isEmpty()) {
            String setpriv = tool("setpriv");
            if (setpriv == null) return "setpriv not found on the supervisor's PATH (util-linux; needed for user:/group:)";
            argv.add(setpriv);
            int gid = -1;
            if (res.user() != null) {
                Passwd pw = Sys.POSIX.getpwnam(res.user());
                if (pw == null) return "unknown user: " + res.user();
                argv.add("--reuid=" + pw.getUID());
                gid = (int) pw.getGID();
            }
            if (res.group() != null) {
                Group gr = Sys.POSIX.getgrnam(res.group());
                if (gr == null) return "unknown group: " + res.group();
                gid = (int) gr.getGID();
            }
            if (gid >= 0) argv.add("--regid=" + gid);
            if (res.supplementaryGroups().isEmpty()) {
                argv.add(res.user() != null ? "--init-groups" : "--clear-groups");
            } else {
                // SupplementaryGroups= adds to the user's own groups (systemd.exec(5)); setpriv takes one list.
                List<String> gids = new ArrayList<>();
                if (res.user() != null) {
                    Passwd pw = Sys.POSIX.getpwnam(res.user());
                    gids.add(Long.toString(pw.getGID()));
                    gids.addAll(memberOf(res.user()));
                }
                for (String g : res.supplementaryGroups()) {
                    Group gr = Sys.POSIX.getgrnam(g);
                    if (gr == null) return "unknown group in SupplementaryGroups=: " + g;
                    gids.add(Long.toString(gr.getGID()));
                }
                argv.add("--groups=" + String.join(",", new java.util.LinkedHashSet<>(gids)));
            }
            argv.add("--");
        }
        return null;
    }

    /** The gids of the groups /etc/group lists {@code user} as a member of (what initgroups(3) would add). */
    private static List<String> memberOf(String user) {
        List<String> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/etc/group"))) {
                String[] f = line.split(":", -1);
                if (f.length < 4) continue;
                for (String m : f[3].split(",")) if (m.equals(user)) out.add(f[2]);
            }
        } catch (IOException | RuntimeException e) {
            return out;
        }
        return out;
    }

    private static String limitValue(Long v) {
        return v == null ? "unlimited" : Long.toString(v);
    }

    /** The path of a helper program on the supervisor's PATH, or null. */
    String tool(String name) {
        return tools.computeIfAbsent(name, n -> {
            String path = System.getenv("PATH");
            Argv.Resolved r = Argv.resolve(n, path == null ? Argv.DEFAULT_PATH : path);
            return r.found() ? r.path() : null;
        });
    }

}
