package dev.ordo.executor.posix;

import java.util.List;
import jnr.ffi.Pointer;
import jnr.ffi.byref.IntByReference;

/**
 * posix_spawn as the notes' recipe has it: a new session (pid == pgid == sid), stdin from /dev/null,
 * stdout and stderr to one place, the working directory, every other fd closed, an empty signal mask
 * (Java threads block SIGQUIT) and every signal back to its default (undoing inherited SIG_IGN). glibc
 * runs it with CLONE_VFORK, so errors (ENOENT, EACCES, a bad cwd) come back synchronously, with no
 * zombie. Not thread-safe: one instance reuses its native buffers, its owner serialises the calls.
 */
final class Spawner {

    private final Pointer fileActions = Sys.allocate(Sys.FILE_ACTIONS_SIZE);
    private final Pointer attr = Sys.allocate(Sys.SPAWNATTR_SIZE);
    private final Pointer emptySet = Sys.allocate(Sys.SIGSET_SIZE);
    private final Pointer fullSet = Sys.allocate(Sys.SIGSET_SIZE);
    private final IntByReference pidRef = new IntByReference();

    Spawner() {
        Sys.C.sigemptyset(emptySet);
        Sys.C.sigfillset(fullSet);
    }

    /** Returns the pid (> 0) or minus the errno value. */
    int spawn(String path, List<String> argv, List<String> env, String cwd, Stdio stdio) {
        return spawn(path, argv, env, cwd, stdio, PassedFds.NONE);
    }

    /** With the descriptors of socket units: stdio from them where given, and fds 3.. (sd_listen_fds(3)). */
    int spawn(String path, List<String> argv, List<String> env, String cwd, Stdio stdio, PassedFds pass) {
        Libc c = Sys.C;
        c.posix_spawn_file_actions_init(fileActions);
        c.posix_spawnattr_init(attr);
        try {
            if (pass.stdin() >= 0) c.posix_spawn_file_actions_adddup2(fileActions, pass.stdin(), 0);
            else c.posix_spawn_file_actions_addopen(fileActions, 0, "/dev/null", Sys.O_RDONLY, 0);
            if (pass.stdout() >= 0) c.posix_spawn_file_actions_adddup2(fileActions, pass.stdout(), 1);
            else output(stdio, 1);
            boolean ownError = stdio instanceof Stdio.Split s && s.err() != null;
            if (pass.stderr() >= 0) c.posix_spawn_file_actions_adddup2(fileActions, pass.stderr(), 2);
            else if ((pass.stdout() >= 0 && !pass.stderrFollows()) || (pass.stdout() < 0 && ownError)) output(stdio, 2);
            else c.posix_spawn_file_actions_adddup2(fileActions, 1, 2);
            if (cwd != null) c.posix_spawn_file_actions_addchdir_np(fileActions, cwd);
            int n = pass.fds().size();
            if (n > 0) {
                // Each to a number above every source and target first, then down to 3, 4, ...: a source that is
                // itself one of the targets is never overwritten before it is copied. dup2 leaves the copies
                // without close-on-exec, which the supervisor's own descriptors all have.
                int base = 3 + n;
                for (int fd : pass.fds()) base = Math.max(base, fd + 1);
                for (int i = 0; i < n; i++) c.posix_spawn_file_actions_adddup2(fileActions, pass.fds().get(i), base + i);
                for (int i = 0; i < n; i++) c.posix_spawn_file_actions_adddup2(fileActions, base + i, 3 + i);
            }
            // Otherwise ~16 JVM descriptors (jars, modules, sockets) leak into every job.
            c.posix_spawn_file_actions_addclosefrom_np(fileActions, 3 + n);
            c.posix_spawnattr_setsigmask(attr, emptySet);
            c.posix_spawnattr_setsigdefault(attr, fullSet);
            c.posix_spawnattr_setflags(attr,
                    (short) (Sys.POSIX_SPAWN_SETSID | Sys.POSIX_SPAWN_SETSIGMASK | Sys.POSIX_SPAWN_SETSIGDEF));
            int rc = c.posix_spawn(pidRef, path, fileActions, attr, terminated(argv), terminated(env));
            return rc == 0 ? pidRef.getValue() : -rc;
        } finally {
            c.posix_spawnattr_destroy(attr);
            c.posix_spawn_file_actions_destroy(fileActions);
        }
    }

    /** Where {@code stdio} says output goes, onto {@code fd} (1 or 2). */
    private void output(Stdio stdio, int fd) {
        Libc c = Sys.C;
        if (stdio instanceof Stdio.Split s) {
            output(fd == 2 && s.err() != null ? s.err() : s.out(), fd);
        } else if (stdio instanceof Stdio.ToFile f) {
            int mode = switch (f.mode()) {
                case OVERWRITE -> 0;
                case APPEND -> Sys.O_APPEND;
                case TRUNCATE -> Sys.O_TRUNC;
            };
            // 0666 less the umask, as systemd's acquire_path.
            c.posix_spawn_file_actions_addopen(fileActions, fd, f.file().toString(), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_NOCTTY | mode, 0666);
        } else if (stdio instanceof Stdio.Append a) {
            c.posix_spawn_file_actions_addopen(fileActions, fd, a.file().toString(), Sys.O_WRONLY | Sys.O_CREAT | Sys.O_APPEND, 0640);
        } else if (stdio instanceof Stdio.Fd f) {
            c.posix_spawn_file_actions_adddup2(fileActions, f.fd(), fd);
        } else {
            c.posix_spawn_file_actions_addopen(fileActions, fd, "/dev/null", Sys.O_WRONLY, 0);
        }
    }

    /** A NULL-terminated char*[] (jnr-ffi passes a null element as a NULL pointer). */
    private static String[] terminated(List<String> list) {
        String[] a = list.toArray(new String[list.size() + 1]);
        a[list.size()] = null;
        return a;
    }
}
