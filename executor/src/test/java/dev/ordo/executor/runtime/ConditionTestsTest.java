package dev.ordo.executor.runtime;

import static dev.ordo.planner.engine.ConditionResult.FAILS;
import static dev.ordo.planner.engine.ConditionResult.HOLDS;
import static dev.ordo.planner.engine.ConditionResult.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.engine.ConditionResult;
import dev.ordo.planner.model.ConditionKind;
import dev.ordo.planner.model.UnitCondition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each condition of systemd.unit(5) tested on a made-up machine: the kernel's and the system's files in a
 * temporary root, the supervisor's environment in a map, and real paths for the path conditions. Every
 * answer is the bare test, before {@code !} (the engine applies it). The comment over each test is the man
 * page's line it follows.
 */
class ConditionTestsTest {

    @TempDir
    Path root;
    @TempDir
    Path files;

    final Map<String, String> env = new HashMap<>();
    boolean pid1;

    private void file(String absolute, String text) throws IOException {
        Path p = root.resolve(absolute.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    private ConditionResult test(ConditionKind kind, String parameter) {
        UnitCondition c = new UnitCondition(kind, false, false, false, parameter, new Source("t.service", 1, 1));
        return new ConditionTests(new MachineFacts(root, env, pid1)).test(c).result();
    }

    private String path(String name) {
        return files.resolve(name).toString();
    }

    // "Check for the existence of a file. If the specified absolute path name does not exist, the condition will fail."
    @Test
    void pathExists() throws IOException {
        Files.writeString(files.resolve("a"), "");
        Files.createSymbolicLink(files.resolve("dangling"), files.resolve("nowhere"));
        assertEquals(HOLDS, test(ConditionKind.PATH_EXISTS, path("a")));
        assertEquals(FAILS, test(ConditionKind.PATH_EXISTS, path("b")));
        assertEquals(FAILS, test(ConditionKind.PATH_EXISTS, path("dangling")), "all path checks follow symlinks");
    }

    // sd_booted(3): /run/systemd/system exists when systemd is the service manager; under ordo it is not.
    @Test
    void systemdAsTheManagerIsNeverSo() {
        assertEquals(FAILS, test(ConditionKind.PATH_EXISTS, "/run/systemd/system"));
        assertEquals(FAILS, test(ConditionKind.PATH_IS_DIRECTORY, "/run/systemd/system/"));
    }

    // "checks for the existence of at least one file or directory matching the specified globbing pattern."
    @Test
    void pathExistsGlob() throws IOException {
        Files.createDirectories(files.resolve("d/sub"));
        Files.writeString(files.resolve("d/sub/one.conf"), "");
        Files.writeString(files.resolve("d/.hidden"), "");
        assertEquals(HOLDS, test(ConditionKind.PATH_EXISTS_GLOB, path("d/*/*.conf")));
        assertEquals(HOLDS, test(ConditionKind.PATH_EXISTS_GLOB, path("d/s[tu]b/on?.conf")));
        assertEquals(FAILS, test(ConditionKind.PATH_EXISTS_GLOB, path("d/*.conf")));
        assertEquals(FAILS, test(ConditionKind.PATH_EXISTS_GLOB, path("d/*hidden")), "* does not match a leading dot");
        assertEquals(HOLDS, test(ConditionKind.PATH_EXISTS_GLOB, path("d/.hid*")));
    }

    // "verifies that a certain path exists and is a directory."
    @Test
    void pathIsDirectory() throws IOException {
        Files.createDirectories(files.resolve("d"));
        Files.createSymbolicLink(files.resolve("l"), files.resolve("d"));
        Files.writeString(files.resolve("f"), "");
        assertEquals(HOLDS, test(ConditionKind.PATH_IS_DIRECTORY, path("d")));
        assertEquals(HOLDS, test(ConditionKind.PATH_IS_DIRECTORY, path("l")));
        assertEquals(FAILS, test(ConditionKind.PATH_IS_DIRECTORY, path("f")));
    }

    // "verifies that a certain path exists and is a symbolic link." (the one check that does not follow links)
    @Test
    void pathIsSymbolicLink() throws IOException {
        Files.createDirectories(files.resolve("d"));
        Files.createSymbolicLink(files.resolve("l"), files.resolve("d"));
        assertEquals(HOLDS, test(ConditionKind.PATH_IS_SYMBOLIC_LINK, path("l")));
        assertEquals(FAILS, test(ConditionKind.PATH_IS_SYMBOLIC_LINK, path("d")));
    }

    // "verifies that a certain path exists and is a mount point."
    @Test
    void pathIsMountPoint() throws IOException {
        Files.createDirectories(files.resolve("mnt point"));
        Files.createDirectories(files.resolve("plain"));
        String real = files.resolve("mnt point").toRealPath().toString().replace(" ", "\\040");
        file("/proc/self/mountinfo", "22 1 0:21 / / rw - ext4 /dev/sda1 rw\n40 22 0:35 / " + real + " rw - tmpfs tmpfs rw\n");
        assertEquals(HOLDS, test(ConditionKind.PATH_IS_MOUNT_POINT, path("mnt point")));
        assertEquals(FAILS, test(ConditionKind.PATH_IS_MOUNT_POINT, path("plain")));
        assertEquals(FAILS, test(ConditionKind.PATH_IS_MOUNT_POINT, path("missing")));
    }

    // "verifies that the underlying file system is readable and writable (i.e. not mounted read-only)."
    @Test
    void pathIsReadWrite() {
        assertEquals(HOLDS, test(ConditionKind.PATH_IS_READ_WRITE, files.toString()));
        assertEquals(FAILS, test(ConditionKind.PATH_IS_READ_WRITE, path("missing")));
    }

    // "verifies that the underlying file system's backing block device is encrypted using dm-crypt/LUKS."
    @Test
    void pathIsEncrypted() throws IOException {
        assertEquals(FAILS, test(ConditionKind.PATH_IS_ENCRYPTED, path("missing")));
        // The walk through sysfs: a file system on LVM on LUKS.
        Path lv = root.resolve("sys/devices/virtual/block/dm-1");
        Path crypt = root.resolve("sys/devices/virtual/block/dm-0");
        Files.createDirectories(lv.resolve("dm"));
        Files.createDirectories(lv.resolve("slaves"));
        Files.createDirectories(crypt.resolve("dm"));
        Files.writeString(lv.resolve("dm/uuid"), "LVM-abc\n");
        Files.writeString(crypt.resolve("dm/uuid"), "CRYPT-LUKS2-0123-luks\n");
        Files.createSymbolicLink(lv.resolve("slaves/dm-0"), crypt);
        assertTrue(BlockDevices.crypt(lv, 0));
        Files.writeString(crypt.resolve("dm/uuid"), "LVM-def\n");
        assertTrue(!BlockDevices.crypt(lv, 0));
    }

    // "verifies that a certain path exists and is a non-empty directory." (hidden and backup files do not count)
    @Test
    void directoryNotEmpty() throws IOException {
        Files.createDirectories(files.resolve("d"));
        assertEquals(FAILS, test(ConditionKind.DIRECTORY_NOT_EMPTY, path("d")));
        for (String f : new String[] {".hidden", "x~", "a.dpkg-old", "lost+found"}) Files.writeString(files.resolve("d/" + f), "");
        assertEquals(FAILS, test(ConditionKind.DIRECTORY_NOT_EMPTY, path("d")));
        Files.writeString(files.resolve("d/a.conf"), "");
        assertEquals(HOLDS, test(ConditionKind.DIRECTORY_NOT_EMPTY, path("d")));
        assertEquals(FAILS, test(ConditionKind.DIRECTORY_NOT_EMPTY, path("d/a.conf")));
        assertEquals(FAILS, test(ConditionKind.DIRECTORY_NOT_EMPTY, path("missing")));
    }

    // "verifies that a certain path exists and refers to a regular file with a non-zero size."
    @Test
    void fileNotEmpty() throws IOException {
        Files.writeString(files.resolve("empty"), "");
        Files.writeString(files.resolve("full"), "x");
        assertEquals(FAILS, test(ConditionKind.FILE_NOT_EMPTY, path("empty")));
        assertEquals(HOLDS, test(ConditionKind.FILE_NOT_EMPTY, path("full")));
        assertEquals(FAILS, test(ConditionKind.FILE_NOT_EMPTY, files.toString()));
    }

    // "verifies that a certain path exists, is a regular file, and marked executable."
    @Test
    void fileIsExecutable() throws IOException {
        Files.writeString(files.resolve("x"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(files.resolve("x"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(files.resolve("r"), "");
        Files.setPosixFilePermissions(files.resolve("r"), PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(HOLDS, test(ConditionKind.FILE_IS_EXECUTABLE, path("x")));
        assertEquals(FAILS, test(ConditionKind.FILE_IS_EXECUTABLE, path("r")));
        assertEquals(FAILS, test(ConditionKind.FILE_IS_EXECUTABLE, files.toString()), "a directory is not a file");
    }

    // "takes a numeric UID, a UNIX user name, or the special value @system. This condition may be used to check
    // whether the service manager is running as the given user."
    @Test
    void user() throws IOException {
        file("/proc/self/status", "Name:\tjava\nUid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nGroups:\t27 100 \n");
        file("/etc/passwd", "root:x:0:0::/root:/bin/sh\nalice:x:1000:100::/home/alice:/bin/sh\n");
        assertEquals(HOLDS, test(ConditionKind.USER, "1000"));
        assertEquals(HOLDS, test(ConditionKind.USER, "alice"));
        assertEquals(FAILS, test(ConditionKind.USER, "root"));
        assertEquals(FAILS, test(ConditionKind.USER, "@system"));
        assertEquals(FAILS, test(ConditionKind.USER, "bob"));
        file("/proc/self/status", "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nGroups:\n");
        assertEquals(HOLDS, test(ConditionKind.USER, "root"));
        assertEquals(HOLDS, test(ConditionKind.USER, "@system"));
        pid1 = true;
        assertEquals(FAILS, test(ConditionKind.USER, "alice"), "as PID 1 systemd looks up no names: it runs as root");
    }

    // "verifies that the service manager's real or effective group, or any of its auxiliary groups, match the
    // specified group or GID."
    @Test
    void group() throws IOException {
        file("/proc/self/status", "Uid:\t1000\t1000\t1000\t1000\nGid:\t100\t100\t100\t100\nGroups:\t27 100\n");
        file("/etc/group", "root:x:0:\nsudo:x:27:alice\nusers:x:100:\ndisk:x:6:\n");
        assertEquals(HOLDS, test(ConditionKind.GROUP, "27"));
        assertEquals(HOLDS, test(ConditionKind.GROUP, "sudo"));
        assertEquals(HOLDS, test(ConditionKind.GROUP, "users"));
        assertEquals(FAILS, test(ConditionKind.GROUP, "disk"));
    }

    // "Check whether the system is executed in a virtualized environment and optionally test whether it is a
    // specific implementation."
    @Test
    void virtualization() throws IOException {
        assertEquals(FAILS, test(ConditionKind.VIRTUALIZATION, "yes"), "nothing in the made-up root");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "no"));
        file("/.dockerenv", "");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "container"));
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "docker"));
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "yes"));
        assertEquals(FAILS, test(ConditionKind.VIRTUALIZATION, "vm"));
        file("/proc/1/environ", "PATH=/bin\0container=systemd-nspawn\0");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "systemd-nspawn"), "PID 1's word before the files");
        pid1 = true;
        env.put("container", "lxc");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "lxc"), "as PID 1, its own environment decides");
        env.clear();
        assertEquals(FAILS, test(ConditionKind.VIRTUALIZATION, "container"));
    }

    // systemd-detect-virt: PID 1 of a PID namespace is another PID on the host, which /proc/1/sched shows.
    @Test
    void aPidNamespaceIsAContainer() throws IOException {
        file("/proc/1/sched", "bash (4242, #threads: 1)\n------\n");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "container"));
        file("/proc/1/sched", "systemd (1, #threads: 1)\n------\n");
        assertEquals(FAILS, test(ConditionKind.VIRTUALIZATION, "container"));
    }

    @Test
    void virtualMachines() throws IOException {
        file("/sys/class/dmi/id/sys_vendor", "QEMU\n");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "vm"));
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "qemu"));
        assertEquals(FAILS, test(ConditionKind.VIRTUALIZATION, "kvm"));
        file("/proc/self/uid_map", "         0          0 4294967295\n");
        assertEquals(FAILS, test(ConditionKind.VIRTUALIZATION, "private-users"));
        file("/proc/self/uid_map", "         0     100000      65536\n");
        assertEquals(HOLDS, test(ConditionKind.VIRTUALIZATION, "private-users"));
    }

    // "In the former case the kernel command line is searched for the word appearing as is, or as left hand side
    // of an assignment. In the latter case, the exact assignment is looked for"
    @Test
    void kernelCommandLine() throws IOException {
        file("/proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet opt=\"a b\"\n");
        assertEquals(HOLDS, test(ConditionKind.KERNEL_COMMAND_LINE, "quiet"));
        assertEquals(HOLDS, test(ConditionKind.KERNEL_COMMAND_LINE, "root"));
        assertEquals(HOLDS, test(ConditionKind.KERNEL_COMMAND_LINE, "root=/dev/sda1"));
        assertEquals(HOLDS, test(ConditionKind.KERNEL_COMMAND_LINE, "opt=a b"));
        assertEquals(FAILS, test(ConditionKind.KERNEL_COMMAND_LINE, "root=/dev/sdb"));
        assertEquals(FAILS, test(ConditionKind.KERNEL_COMMAND_LINE, "roo"));
    }

    // "Each expression starts with one of "=" or "!=" for string comparisons, "<", "<=", "==", "<>", ">=", ">" for
    // version comparisons, or "$=", "!$=" for a shell-style glob match. If no operator is specified, "$=" is implied."
    @Test
    void kernelVersion() throws IOException {
        file("/proc/sys/kernel/osrelease", "6.1.0-13-amd64\n");
        assertEquals(HOLDS, test(ConditionKind.KERNEL_VERSION, ">=6.1"));
        assertEquals(HOLDS, test(ConditionKind.KERNEL_VERSION, ">= 5.10"), "a blank after the first operator");
        assertEquals(HOLDS, test(ConditionKind.KERNEL_VERSION, ">=5 <7"));
        assertEquals(FAILS, test(ConditionKind.KERNEL_VERSION, ">=5 <6"));
        assertEquals(HOLDS, test(ConditionKind.KERNEL_VERSION, "6.1.*"));
        assertEquals(HOLDS, test(ConditionKind.KERNEL_VERSION, "=6.1.0-13-amd64"));
        assertEquals(FAILS, test(ConditionKind.KERNEL_VERSION, "!=6.1.0-13-amd64"));
    }

    @Test
    void versionOrderIsSystemds() {
        assertTrue(VersionOrder.compare("6.1.0", "6.10") < 0);
        assertTrue(VersionOrder.compare("1.0~rc1", "1.0") < 0, "~ sorts before the end");
        assertTrue(VersionOrder.compare("123-9", "123.1-1") < 0, "- sorts before .");
        assertTrue(VersionOrder.compare("00123", "123") == 0, "leading zeros do not count");
        assertTrue(VersionOrder.compare("123a", "123.a") < 0);
        assertTrue(VersionOrder.compare("5.10.1^post1", "5.10.1") > 0);
        assertTrue(VersionOrder.compare("abc", "abcd") < 0);
        assertTrue(VersionOrder.compare("1.2", "1.2") == 0);
    }

    // "Verify that a specific key=value pair is set in the host's os-release(5)." with =, !=, <, <=, ==, <>, >=,
    // >, $=, !$=
    @Test
    void osRelease() throws IOException {
        file("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\n");
        assertEquals(HOLDS, test(ConditionKind.OS_RELEASE, "ID=debian"));
        assertEquals(HOLDS, test(ConditionKind.OS_RELEASE, "ID!=ubuntu VERSION_ID>=11"));
        assertEquals(HOLDS, test(ConditionKind.OS_RELEASE, "PRETTY_NAME$=Debian*"));
        assertEquals(FAILS, test(ConditionKind.OS_RELEASE, "VERSION_ID<12"));
    }

    // "Verify that the specified amount of system memory is available to the current system. Takes a memory size
    // in bytes as argument, optionally prefixed with a comparison operator"
    @Test
    void memory() throws IOException {
        file("/proc/meminfo", "MemTotal:        2097152 kB\nMemFree:  1000 kB\n");
        assertEquals(HOLDS, test(ConditionKind.MEMORY, "1G"), ">= when no operator is given");
        assertEquals(HOLDS, test(ConditionKind.MEMORY, "=2G"));
        assertEquals(FAILS, test(ConditionKind.MEMORY, "4G"));
        assertEquals(FAILS, test(ConditionKind.MEMORY, "<1G"));
        assertEquals(UNKNOWN, test(ConditionKind.MEMORY, "lots"));
    }

    // "Compares the number of CPUs in the CPU affinity mask configured of the service manager itself"
    @Test
    void cpus() throws IOException {
        file("/proc/self/status", "Cpus_allowed_list:\t0-3,8\n");
        assertEquals(HOLDS, test(ConditionKind.CPUS, "5"));
        assertEquals(HOLDS, test(ConditionKind.CPUS, "=5"));
        assertEquals(HOLDS, test(ConditionKind.CPUS, "<8"));
        assertEquals(FAILS, test(ConditionKind.CPUS, ">5"));
    }

    // "This either takes a hostname string (optionally with shell style globs) ... or a machine ID"
    @Test
    void host() throws IOException {
        file("/proc/sys/kernel/hostname", "Web-01\n");
        file("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        assertEquals(HOLDS, test(ConditionKind.HOST, "web-*"));
        assertEquals(FAILS, test(ConditionKind.HOST, "db-*"));
        assertEquals(HOLDS, test(ConditionKind.HOST, "0123456789abcdef0123456789abcdef"));
        assertEquals(HOLDS, test(ConditionKind.HOST, "01234567-89ab-cdef-0123-456789abcdef"));
        assertEquals(FAILS, test(ConditionKind.HOST, "ffffffffffffffffffffffffffffffff"));
    }

    // "A special architecture name native is mapped to the architecture the system manager itself is compiled for."
    @Test
    void architecture() {
        assertEquals(HOLDS, test(ConditionKind.ARCHITECTURE, "native"));
        assertEquals(HOLDS, test(ConditionKind.ARCHITECTURE, SystemConditions.architecture()));
        assertEquals(FAILS, test(ConditionKind.ARCHITECTURE, "alpha"));
    }

    // "may be used to check whether a specific environment variable is set ... in the service manager's
    // environment block."
    @Test
    void environment() {
        env.put("LANG", "C.UTF-8");
        assertEquals(HOLDS, test(ConditionKind.ENVIRONMENT, "LANG"));
        assertEquals(HOLDS, test(ConditionKind.ENVIRONMENT, "LANG=C.UTF-8"));
        assertEquals(FAILS, test(ConditionKind.ENVIRONMENT, "LANG=C"));
        assertEquals(FAILS, test(ConditionKind.ENVIRONMENT, "LC_ALL"));
    }

    // "may be used to check whether a credential by the specified name was passed into the service manager."
    @Test
    void credential() throws IOException {
        Files.writeString(files.resolve("token"), "secret");
        env.put("CREDENTIALS_DIRECTORY", files.toString());
        assertEquals(HOLDS, test(ConditionKind.CREDENTIAL, "token"));
        assertEquals(FAILS, test(ConditionKind.CREDENTIAL, "other"));
        assertEquals(FAILS, test(ConditionKind.CREDENTIAL, "../token"), "not a credential name");
        env.clear();
        assertEquals(FAILS, test(ConditionKind.CREDENTIAL, "token"));
    }

    // "Check whether the given capability exists in the capability bounding set of the service manager"
    @Test
    void capability() throws IOException {
        file("/proc/self/status", "CapBnd:\t00000000a80425fb\n");
        assertEquals(HOLDS, test(ConditionKind.CAPABILITY, "CAP_MKNOD"));
        assertEquals(HOLDS, test(ConditionKind.CAPABILITY, "cap_chown"));
        assertEquals(FAILS, test(ConditionKind.CAPABILITY, "CAP_SYS_ADMIN"));
        assertEquals(UNKNOWN, test(ConditionKind.CAPABILITY, "CAP_FLY"));
    }

    // "Currently, the recognized values are selinux, apparmor, tomoyo, ima, smack, audit, uefi-secureboot and tpm2."
    @Test
    void security() throws IOException {
        file("/sys/module/apparmor/parameters/enabled", "Y\n");
        assertEquals(HOLDS, test(ConditionKind.SECURITY, "apparmor"));
        assertEquals(FAILS, test(ConditionKind.SECURITY, "selinux"));
        assertEquals(FAILS, test(ConditionKind.SECURITY, "tpm2"));
        assertEquals(UNKNOWN, test(ConditionKind.SECURITY, "audit"), "said, not guessed, when it cannot be asked");
        UnitCondition audit = new UnitCondition(ConditionKind.SECURITY, false, false, false, "audit", new Source("t", 1, 1));
        assertEquals(HOLDS, new ConditionTests(new MachineFacts(root, env, false, () -> true)).test(audit).result());
        assertEquals(FAILS, new ConditionTests(new MachineFacts(root, env, false, () -> false)).test(audit).result());
        assertEquals(FAILS, test(ConditionKind.SECURITY, "magic"));
    }

    // "If set to true, the condition will hold only if at least one AC connector of the system is connected to a
    // power source, or if no AC connectors are known."
    @Test
    void acPower() throws IOException {
        assertEquals(HOLDS, test(ConditionKind.AC_POWER, "true"), "no AC connector known");
        file("/sys/class/power_supply/AC/type", "Mains\n");
        file("/sys/class/power_supply/AC/online", "0\n");
        file("/sys/class/power_supply/BAT0/type", "Battery\n");
        assertEquals(FAILS, test(ConditionKind.AC_POWER, "true"));
        assertEquals(HOLDS, test(ConditionKind.AC_POWER, "false"));
        file("/sys/class/power_supply/AC/online", "1\n");
        assertEquals(HOLDS, test(ConditionKind.AC_POWER, "yes"));
        assertEquals(UNKNOWN, test(ConditionKind.AC_POWER, "maybe"));
    }

    // "Check whether given cgroup controllers (e.g. cpu) are available for use on the system or whether the legacy
    // v1 cgroup or the modern v2 cgroup hierarchy is used."
    @Test
    void controlGroupController() throws IOException {
        file("/sys/fs/cgroup/cgroup.controllers", "cpuset cpu io memory pids\n");
        assertEquals(HOLDS, test(ConditionKind.CONTROL_GROUP_CONTROLLER, "v2"));
        assertEquals(FAILS, test(ConditionKind.CONTROL_GROUP_CONTROLLER, "v1"));
        assertEquals(HOLDS, test(ConditionKind.CONTROL_GROUP_CONTROLLER, "cpu memory"));
        assertEquals(FAILS, test(ConditionKind.CONTROL_GROUP_CONTROLLER, "cpu blkio"));
        // "Controllers unknown to systemd are ignored."
        assertEquals(HOLDS, test(ConditionKind.CONTROL_GROUP_CONTROLLER, "frobnicator"));
    }

    // "This condition may be used to conditionalize units on whether the specified directory requires an update
    // because /usr/'s modification time is newer than the stamp file .updated in the specified directory."
    @Test
    void needsUpdate() throws IOException {
        Files.createDirectories(root.resolve("usr"));
        Files.createDirectories(files.resolve("etc"));
        Files.writeString(files.resolve("etc/.updated"), "");
        Files.setLastModifiedTime(root.resolve("usr"), FileTime.fromMillis(2_000_000));
        Files.setLastModifiedTime(files.resolve("etc/.updated"), FileTime.fromMillis(1_000_000));
        file("/proc/cmdline", "quiet\n");
        assertEquals(HOLDS, test(ConditionKind.NEEDS_UPDATE, path("etc")));
        Files.setLastModifiedTime(files.resolve("etc/.updated"), FileTime.fromMillis(3_000_000));
        assertEquals(FAILS, test(ConditionKind.NEEDS_UPDATE, path("etc")));
        // "If the systemd.condition-needs-update= option is specified on the kernel command line (taking a boolean),
        // it will override the result of this condition check"
        file("/proc/cmdline", "quiet systemd.condition-needs-update=1\n");
        assertEquals(HOLDS, test(ConditionKind.NEEDS_UPDATE, path("etc")));
    }

    // "Takes a boolean argument. This condition may be used to conditionalize units on whether the system is
    // booting up for the first time."
    @Test
    void firstBoot() throws IOException {
        file("/proc/cmdline", "quiet\n");
        assertEquals(HOLDS, test(ConditionKind.FIRST_BOOT, "yes"), "no /etc/machine-id");
        file("/etc/machine-id", "uninitialized\n");
        assertEquals(HOLDS, test(ConditionKind.FIRST_BOOT, "yes"));
        file("/etc/machine-id", "0123456789abcdef0123456789abcdef\n");
        assertEquals(FAILS, test(ConditionKind.FIRST_BOOT, "yes"));
        assertEquals(HOLDS, test(ConditionKind.FIRST_BOOT, "no"));
        file("/proc/cmdline", "systemd.condition-first-boot=true\n");
        assertEquals(HOLDS, test(ConditionKind.FIRST_BOOT, "yes"));
    }

    // "Verify that the overall system (memory, CPU or IO) pressure is below or equal to a threshold."
    @Test
    void pressure() throws IOException {
        file("/proc/pressure/memory", "some avg10=5.00 avg60=1.00 avg300=0.50 total=1\nfull avg10=2.00 avg60=0.50 avg300=0.25 total=1\n");
        assertEquals(HOLDS, test(ConditionKind.MEMORY_PRESSURE, "1%"), "full, over 5min");
        assertEquals(FAILS, test(ConditionKind.MEMORY_PRESSURE, "1%/10sec"));
        assertEquals(UNKNOWN, test(ConditionKind.MEMORY_PRESSURE, "system.slice:1%"));
        assertEquals(UNKNOWN, test(ConditionKind.IO_PRESSURE, "1%"), "no /proc/pressure/io here");
    }

    // "Verify that a given CPU feature is available via the CPUID instruction. ... On other processors it is
    // assumed that the CPU does not support the given feature."
    @Test
    void cpuFeature() throws IOException {
        file("/proc/cpuinfo", "processor\t: 0\nflags\t\t: fpu sse2 pni pclmulqdq avx2\n");
        String arch = SystemConditions.architecture();
        boolean x86 = arch.equals("x86-64") || arch.equals("x86");
        assertEquals(x86 ? HOLDS : FAILS, test(ConditionKind.CPU_FEATURE, "pclmul"));
        assertEquals(FAILS, test(ConditionKind.CPU_FEATURE, "avx512f"));
    }
}
