package dev.ordo.executor.posix;

/**
 * Whether the kernel's audit subsystem is there to talk to, asked as systemd's use_audit() asks it (for
 * {@code ConditionSecurity=audit}): a NETLINK_AUDIT socket opens, or fails for another reason than audit
 * being absent from the kernel or from this network namespace, or forbidden.
 */
public final class Audit {

    private static final int AF_NETLINK = 16;
    private static final int SOCK_RAW = 3;
    private static final int SOCK_NONBLOCK = 04000;
    private static final int SOCK_CLOEXEC = 02000000;
    private static final int NETLINK_AUDIT = 9;
    private static final int EPROTONOSUPPORT = 93;
    private static final int EAFNOSUPPORT = 97;

    private Audit() {
    }

    public static boolean inUse() {
        int fd = Sys.C.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
        if (fd < 0) {
            int e = Sys.errno();
            return e != EAFNOSUPPORT && e != EPROTONOSUPPORT && e != Sys.EPERM;
        }
        Sys.C.close(fd);
        return true;
    }
}
