package dev.ordo.executor.posix;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;
import jnr.ffi.byref.IntByReference;

/**
 * The few libc calls jnr-posix wraps badly or not at all (docs/notes/jvm-posix.md §1 "Recommended"):
 * posix_spawn with chdir/closefrom/sigmask/sigdefault and its real error code, waitid with WNOWAIT,
 * and raw syscalls for pidfds and prlimit. Public only because jnr-ffi generates the implementation.
 */
public interface Libc {

    /** Returns 0 or an errno value (posix_spawn does not use errno). */
    int posix_spawn(@Out IntByReference pid, String path, Pointer fileActions, Pointer attr, String[] argv,
                    String[] envp);

    int posix_spawn_file_actions_init(Pointer fa);

    int posix_spawn_file_actions_destroy(Pointer fa);

    int posix_spawn_file_actions_addopen(Pointer fa, int fd, String path, int oflag, int mode);

    int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newfd);

    /** glibc 2.29+. */
    int posix_spawn_file_actions_addchdir_np(Pointer fa, String path);

    /** glibc 2.34+. */
    int posix_spawn_file_actions_addclosefrom_np(Pointer fa, int from);

    int posix_spawnattr_init(Pointer attr);

    int posix_spawnattr_destroy(Pointer attr);

    int posix_spawnattr_setflags(Pointer attr, short flags);

    int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

    int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

    int sigemptyset(Pointer set);

    int sigfillset(Pointer set);

    @SaveError
    int prctl(int option, long a2, long a3, long a4, long a5);

    @SaveError
    long syscall(long number, long a1, long a2, long a3, long a4);

    @SaveError
    int waitid(int idtype, int id, Pointer siginfo, int options);

    @SaveError
    int kill(int pid, int signal);

    @SaveError
    int poll(Pointer fds, int nfds, int timeoutMillis);

    @SaveError
    int setsockopt(int fd, int level, int name, Pointer value, int length);

    @SaveError
    int pipe2(@Out int[] fds, int flags);

    @SaveError
    long read(int fd, Pointer buffer, long count);

    @SaveError
    long write(int fd, Pointer buffer, long count);

    @SaveError
    int close(int fd);

    int getpriority(int which, int who);

    /** {@code handler} 0 is SIG_DFL; only ever called with that (docs/notes/jvm-posix.md §9). */
    @SaveError
    long signal(int signal, long handler);

    /**
     * glibc's ptrace (variadic in C; every argument here is passed as an integer register, which the
     * x86_64 and aarch64 variadic conventions accept). {@code data} is a signal number, an option mask
     * or, for GETEVENTMSG/GETSIGINFO, the address of a buffer.
     */
    @SaveError
    long ptrace(int request, int pid, long addr, long data);

    String strerror(int errno);

    @SaveError
    int socket(int domain, int type, int protocol);

    // Listening sockets of socket units (ListenSockets): made, bound and accepted on natively, since the JDK
    // has no datagram or sequential packet AF_UNIX sockets, no abstract names, no FIFOs and no raw fds to pass.

    @SaveError
    int bind(int fd, Pointer address, int length);

    @SaveError
    int listen(int fd, int backlog);

    @SaveError
    int accept4(int fd, Pointer address, IntByReference length, int flags);

    @SaveError
    int getsockname(int fd, Pointer address, IntByReference length);

    @SaveError
    int getpeername(int fd, Pointer address, IntByReference length);

    @SaveError
    int getsockopt(int fd, int level, int name, Pointer value, IntByReference length);

    @SaveError
    int fchmod(int fd, int mode);

    @SaveError
    int chmod(String path, int mode);

    @SaveError
    int mkfifo(String path, int mode);

    @SaveError
    int lchown(String path, int uid, int gid);

    @SaveError
    int open(String path, int flags, int mode);

    int if_nametoindex(String name);

    /** Writes the text of an AF_INET/AF_INET6 address into {@code buffer}; null on failure. */
    String inet_ntop(int family, Pointer address, Pointer buffer, int size);
}
