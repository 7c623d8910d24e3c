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
        Libc c = Sys.C;
        c.posix_spawn_file_actions_init(fileActions);
        c.posix_spawnattr_init(attr);
        try {
            c.posix_spawn_file_actions_addopen(fileActions, 0, "/dev/null", Sys.O_RDONLY, 0);
            if (stdio instanceof Stdio.Append a) {
                c.posix_spawn_file_actions_addopen(fileActions, 1, a.file().toString(),
                        Sys.O_WRONLY | Sys.O_CREAT | Sys.O_APPEND, 0640);
            } else if (stdio instanceof Stdio.Fd f) {
                c.posix_spawn_file_actions_adddup2(fileActions, f.fd(), 1);
            } else {
                c.posix_spawn_file_actions_addopen(fileActions, 1, "/dev/null", Sys.O_WRONLY, 0);
            }
            c.posix_spawn_file_actions_adddup2(fileActions, 1, 2);
            if (cwd != null) c.posix_spawn_file_actions_addchdir_np(fileActions, cwd);
            // Otherwise ~16 JVM descriptors (jars, modules, sockets) leak into every job.
            c.posix_spawn_file_actions_addclosefrom_np(fileActions, 3);
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

    /** A NULL-terminated char*[] (jnr-ffi passes a null element as a NULL pointer). */
    private static String[] terminated(List<String> list) {
        String[] a = list.toArray(new String[list.size() + 1]);
        a[list.size()] = null;
        return a;
    }
}
