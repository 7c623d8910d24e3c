package dev.ordo.executor.cli;

import java.util.List;

/**
 * The seal a unit tree is booted in when ordo runs it for a measurement or a test: new pid, network, mount, IPC and
 * UTS namespaces (made by {@code unshare}), sealed like a container as ../shared/notes/sealed-runs.md says: tmpfs on
 * /run and /tmp, overlays on /etc and /var (their upper directories in the work directory W), /proc/sys, /sys and
 * Docker's other read-only /proc entries read-only, a /dev of its own, the loopback up, and Docker's default
 * capabilities as the bounding set. What runs inside cannot change the machine: a unit tree booted for real empties
 * /tmp, writes sysctls and loads modules. {@code ordo bench boot} and the sealed test suite share it.
 */
public final class SealScript {

    /** Docker's PATH, which the seal gives what runs inside. */
    public static final String PATH = dev.ordo.executor.posix.Argv.DEFAULT_PATH;

    /** Docker's default capabilities (moby's oci/caps/defaults.go), the bounding set of what runs inside. */
    public static final String CAPABILITIES = "chown,dac_override,fowner,fsetid,kill,setgid,setuid,setpcap,net_bind_service,"
            + "net_raw,sys_chroot,mknod,audit_write,setfcap";

    /** The directories the seal replaces or overlays: nothing needed from outside may lie under them. */
    public static final List<String> SEALED = List.of("/run", "/tmp", "/var", "/etc");

    /** The directories W must hold before the script runs: the overlays' upper and work directories. */
    public static final List<String> WORK_DIRECTORIES = List.of("up/var", "wk/var", "up/etc", "wk/etc");

    /** {@code unshare}'s options: the namespaces, and /proc mounted anew for the new pid namespace. */
    public static final List<String> UNSHARE = List.of("unshare", "--fork", "--pid", "--mount-proc", "--net", "--mount", "--ipc",
            "--uts", "--propagation", "private");

    /** seal.sh W CMD...: run by unshare as PID 1 of the new namespaces; mounts, then execs CMD as PID 1. */
    public static final String TEXT = """
            # Seals the new namespaces like a container (../shared/notes/sealed-runs.md), then becomes CMD.
            set -e
            W=$1; shift
            # A container's PATH, whatever the caller's was (ip and setpriv live in sbin).
            export PATH=%s
            mount -t tmpfs tmpfs /run
            mkdir -p /run/lock
            mount -t tmpfs tmpfs /tmp
            mount -t overlay overlay -o lowerdir=/var,upperdir=$W/up/var,workdir=$W/wk/var /var
            mount -t overlay overlay -o lowerdir=/etc,upperdir=$W/up/etc,workdir=$W/wk/etc /etc
            mount -o bind /proc/sys /proc/sys
            mount -o remount,bind,ro /proc/sys
            mount -o bind /sys /sys
            mount -o remount,bind,ro /sys
            # Docker's read-only /proc entries beyond /proc/sys: the kernel's as seen from a container.
            for p in /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs; do
              if [ -e $p ]; then mount -o bind $p $p; mount -o remount,bind,ro $p; fi
            done
            # A /dev of its own, as Docker gives: the host's would take /dev/log from a syslog daemon (rsyslogd
            # binds it where systemd is not running) and the device nodes systemd-tmpfiles-setup-dev makes.
            mkdir -p $W/dev
            mount -t tmpfs -o mode=755,nosuid tmpfs $W/dev
            for n in null zero full random urandom tty; do touch $W/dev/$n; mount -o bind /dev/$n $W/dev/$n; done
            mount --move $W/dev /dev
            mkdir /dev/pts /dev/shm /dev/mqueue
            mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts /dev/pts
            ln -s pts/ptmx /dev/ptmx
            mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /dev/shm
            mount -t mqueue mqueue /dev/mqueue
            ln -s /proc/self/fd /dev/fd
            ln -s /proc/self/fd/0 /dev/stdin
            ln -s /proc/self/fd/1 /dev/stdout
            ln -s /proc/self/fd/2 /dev/stderr
            ip link set lo up
            exec setpriv --bounding-set=-all,%s "$@"
            """.formatted(PATH, CAPABILITIES.replace(",", ",+").replaceFirst("^", "+"));

    private SealScript() {
    }
}
