package dev.ordo.executor.posix;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;

/**
 * The loaded native libraries. Loading costs ~250 ms (jffi extraction, ASM stubs), so it happens on
 * first use by the supervisor only; nothing under {@code dev.ordo.planner} or the CLI touches this.
 */
final class Sys {

    static final Libc C = LibraryLoader.create(Libc.class).load("c");
    static final jnr.ffi.Runtime RT = jnr.ffi.Runtime.getRuntime(C);
    /** getNativePOSIX, never getPOSIX: the latter silently falls back to a Java emulation. */
    static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    // Linux values (x86_64 and aarch64 agree on all of these).
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EINTR = 4;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ECHILD = 10;
    static final int EAGAIN = 11;
    static final int EPROTO = 71;
    static final int ECONNABORTED = 103;
    /** poll(2): there is data to read. */
    static final short POLLIN = 1;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0100;
    static final int O_APPEND = 02000;
    static final int O_TRUNC = 01000;
    static final int O_NOCTTY = 0400;
    static final int O_NONBLOCK = 04000;
    static final int O_CLOEXEC = 02000000;

    static final int P_ALL = 0;
    static final int P_PID = 1;
    static final int WNOHANG = 1;
    static final int WSTOPPED = 2;
    static final int WEXITED = 4;
    static final int WNOWAIT = 0x01000000;

    static final int CLD_EXITED = 1;
    static final int CLD_KILLED = 2;
    static final int CLD_DUMPED = 3;
    static final int CLD_TRAPPED = 4;
    static final int CLD_STOPPED = 5;

    static final long SYS_PIDFD_SEND_SIGNAL = 424;
    static final long SYS_PIDFD_OPEN = 434;
    static final int PR_SET_CHILD_SUBREAPER = 36;

    static final int SIGTRAP = 5;
    static final int SIGCONT = 18;
    static final int SIGSTOP = 19;

    static final int PTRACE_CONT = 7;
    static final int PTRACE_DETACH = 17;
    static final int PTRACE_GETEVENTMSG = 0x4201;
    static final int PTRACE_GETSIGINFO = 0x4202;
    static final int PTRACE_SEIZE = 0x4206;
    static final int PTRACE_INTERRUPT = 0x4207;
    static final int PTRACE_LISTEN = 0x4208;
    static final int PTRACE_O_TRACEFORK = 0x02;
    static final int PTRACE_O_TRACEVFORK = 0x04;
    static final int PTRACE_EVENT_FORK = 1;
    static final int PTRACE_EVENT_VFORK = 2;
    static final int PTRACE_EVENT_STOP = 128;

    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSID = 0x80;

    /** glibc x86_64/aarch64: file actions 80, attributes 336, sigset 128 bytes; rounded up for safety. */
    static final int FILE_ACTIONS_SIZE = 128;
    static final int SPAWNATTR_SIZE = 512;
    static final int SIGSET_SIZE = 128;
    static final int SIGINFO_SIZE = 128;

    private Sys() {
    }

    static int errno() {
        return RT.getLastError();
    }

    static Pointer allocate(int size) {
        Pointer p = Memory.allocateDirect(RT, size, true);
        return p;
    }

    /** "No such file or directory (ENOENT)" style text for an errno value. */
    static String describe(int errno) {
        String text = C.strerror(errno);
        String name = jnr.constants.platform.Errno.valueOf(errno).name();
        return (text == null ? "error " + errno : text) + " (" + name + ")";
    }
}
