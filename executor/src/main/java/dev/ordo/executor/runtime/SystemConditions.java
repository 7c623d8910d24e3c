package dev.ordo.executor.runtime;

import static dev.ordo.executor.runtime.PathConditions.answer;
import static dev.ordo.executor.runtime.PathConditions.unknown;

import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.Glob;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The conditions about the machine (systemd.unit(5)): its architecture, kernel, memory and CPUs, host name,
 * os-release, firmware, security modules, cgroup controllers, power, and whether this boot is a first boot or
 * needs an update, each tested from the files systemd's condition.c reads, under {@link MachineFacts#root}.
 */
final class SystemConditions {

    private SystemConditions() {
    }

    /** Java's os.arch as systemd's architecture names (architecture.h), for uname's machine. */
    private static final Map<String, String> ARCHITECTURES = Map.ofEntries(Map.entry("amd64", "x86-64"),
            Map.entry("x86_64", "x86-64"), Map.entry("x86", "x86"), Map.entry("i386", "x86"), Map.entry("i686", "x86"),
            Map.entry("aarch64", "arm64"), Map.entry("arm", "arm"), Map.entry("ppc64le", "ppc64-le"),
            Map.entry("ppc64", "ppc64"), Map.entry("s390x", "s390x"), Map.entry("riscv64", "riscv64"),
            Map.entry("loongarch64", "loongarch64"), Map.entry("mips64el", "mips64-le"), Map.entry("sparcv9", "sparc64"));

    static String architecture() {
        String a = System.getProperty("os.arch", "");
        return ARCHITECTURES.getOrDefault(a, a);
    }

    /** ConditionArchitecture=: a name of systemd's, or native (the manager's own); an unknown name is not ours. */
    static Input.ConditionAnswer architecture(String p) {
        String mine = architecture();
        return answer(p.equals("native") || p.equals(mine), "the machine is " + mine);
    }

    /**
     * The kernel command line's words (quotes undone): /proc/cmdline, or PID 1's command line when the manager
     * is a container's payload (systemd.unit(5), ConditionKernelCommandLine=).
     */
    static List<String> commandLine(MachineFacts m) throws IOException {
        if (Virtualization.container(m) != null) {
            String own = m.readOrNull("/proc/1/cmdline");
            if (own != null) return List.of(own.split("\0"));
        }
        return words(m.read("/proc/cmdline"));
    }

    /** Blank-separated words, with "…" and '…' quoting (extract_first_word with EXTRACT_UNQUOTE|EXTRACT_RELAX). */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                if (w == null) w = new StringBuilder();
                quote = c;
            } else if (Character.isWhitespace(c)) {
                if (w != null) out.add(w.toString());
                w = null;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (w != null) out.add(w.toString());
        return out;
    }

    /** ConditionKernelCommandLine=: WORD as a word or the left side of one; WORD=VALUE exactly. */
    static Input.ConditionAnswer kernelCommandLine(String p, MachineFacts m) {
        List<String> words;
        try {
            words = commandLine(m);
        } catch (IOException e) {
            return unknown("the kernel command line cannot be read: " + e.getMessage());
        }
        boolean assignment = p.indexOf('=') >= 0;
        for (String w : words) {
            if (assignment ? w.equals(p) : (w.equals(p) || w.startsWith(p + "="))) return answer(true, w + " is on the kernel command line");
        }
        return answer(false, p + " is not on the kernel command line");
    }

    /** ConditionKernelVersion=: every expression (an operator and a version, or a glob) holds for uname -r. */
    static Input.ConditionAnswer kernelVersion(String p, MachineFacts m) {
        String release;
        try {
            release = m.read("/proc/sys/kernel/osrelease").trim();
        } catch (IOException e) {
            return unknown("the kernel's release cannot be read: " + e.getMessage());
        }
        List<String> ws = words(p);
        for (int i = 0; i < ws.size(); i++) {
            String w = ws.get(i).trim();
            VersionOrder.Comparison op = VersionOrder.operator(w);
            String v = op == null ? w : w.substring(op.text.length()).trim();
            if (op == null) op = VersionOrder.Comparison.FNMATCH_EQUAL;
            // For backwards compatibility, systemd allows a blank after the operator in the first expression.
            if (v.isEmpty() && i == 0 && ws.size() > 1) v = ws.get(++i);
            if (v.isEmpty()) return unknown("unexpected end of expression in " + p);
            if (!VersionOrder.test(op, release, v)) return answer(false, "the kernel is " + release);
        }
        return answer(true, "the kernel is " + release);
    }

    /** ConditionOSRelease=: every KEY OP VALUE holds for /etc/os-release (or /usr/lib/os-release). */
    static Input.ConditionAnswer osRelease(String p, MachineFacts m) {
        String text = m.readOrNull("/etc/os-release");
        if (text == null) text = m.readOrNull("/usr/lib/os-release");
        if (text == null) return unknown("neither /etc/os-release nor /usr/lib/os-release can be read");
        Map<String, String> release = new java.util.HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0 || line.startsWith("#")) continue;
            List<String> v = words(line.substring(eq + 1));
            release.put(line.substring(0, eq).trim(), v.isEmpty() ? "" : v.get(0));
        }
        for (String w : words(p)) {
            int k = 0;
            while (k < w.length() && "!<=>$".indexOf(w.charAt(k)) < 0) k++;
            VersionOrder.Comparison op = VersionOrder.operator(w.substring(k));
            String key = w.substring(0, k);
            if (op == null || key.isEmpty()) return unknown("`" + w + "` is not KEY=VALUE (or another operator)");
            String want = w.substring(k + op.text.length());
            String have = release.getOrDefault(key, "");
            if (!VersionOrder.test(op, have, want)) return answer(false, key + "=" + have + " in os-release");
        }
        return answer(true, "os-release matches " + p);
    }

    /** A size in bytes with systemd's base-1024 suffixes (parse_size): 512, 1.5G, 64M. */
    static long size(String s) {
        String t = s.trim();
        long factor = 1;
        if (!t.isEmpty()) {
            int at = "BKMGTPE".indexOf(Character.toUpperCase(t.charAt(t.length() - 1)));
            if (at >= 0) {
                factor = 1L << (10 * at);
                t = t.substring(0, t.length() - 1).trim();
            }
        }
        return Math.round(Double.parseDouble(t) * factor);
    }

    /** ConditionMemory=: the memory ordo's system has (MemTotal, within its cgroup's limit) against a size. */
    static Input.ConditionAnswer memory(String p, MachineFacts m) {
        long have;
        try {
            have = -1;
            for (String line : m.read("/proc/meminfo").split("\n")) {
                if (line.startsWith("MemTotal:")) have = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
            if (have < 0) return unknown("/proc/meminfo has no MemTotal:");
            String limit = cgroupFile(m, "memory.max");
            if (limit != null && limit.trim().matches("[0-9]+")) have = Math.min(have, Long.parseLong(limit.trim()));
        } catch (IOException | NumberFormatException e) {
            return unknown("the memory cannot be read: " + e.getMessage());
        }
        return compareNumber(p, have, true, "ordo's system has " + have + " bytes of memory");
    }

    /** ConditionCPUs=: the CPUs in ordo's affinity mask (Cpus_allowed_list) against a number. */
    static Input.ConditionAnswer cpus(String p, MachineFacts m) {
        int n = 0;
        try {
            String list = m.status("Cpus_allowed_list");
            if (list == null) return unknown("/proc/self/status has no Cpus_allowed_list:");
            for (String range : list.split(",")) {
                String[] ab = range.trim().split("-");
                n += ab.length == 1 ? 1 : Integer.parseInt(ab[1]) - Integer.parseInt(ab[0]) + 1;
            }
        } catch (IOException | NumberFormatException e) {
            return unknown("the CPU affinity cannot be read: " + e.getMessage());
        }
        return compareNumber(p, n, false, "ordo may use " + n + " CPUs");
    }

    /** An operator (>= when there is none; = and != compare numbers here) and a number or size. */
    private static Input.ConditionAnswer compareNumber(String p, long have, boolean sizes, String why) {
        String t = p.trim();
        VersionOrder.Comparison op = VersionOrder.operator(t);
        if (op != null) t = t.substring(op.text.length()).trim();
        if (op == null) op = VersionOrder.Comparison.GREATER_OR_EQUAL;
        if (op == VersionOrder.Comparison.FNMATCH_EQUAL || op == VersionOrder.Comparison.FNMATCH_UNEQUAL) {
            return unknown(op.text + " does not compare numbers");
        }
        long want;
        try {
            want = sizes ? size(t) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            return unknown("`" + t + "` is not a " + (sizes ? "size" : "number"));
        }
        return answer(VersionOrder.order(op, Long.compare(have, want)), why);
    }

    /** A file of the cgroup (v2) ordo runs in, or null. */
    private static String cgroupFile(MachineFacts m, String name) {
        String self = m.readOrNull("/proc/self/cgroup");
        if (self == null) return null;
        for (String line : self.split("\n")) {
            if (line.startsWith("0::")) return m.readOrNull("/sys/fs/cgroup" + line.substring(3).trim().replaceAll("/$", "") + "/" + name);
        }
        return null;
    }

    /** ConditionHost=: a machine id against /etc/machine-id, or a glob against the host name (case folded). */
    static Input.ConditionAnswer host(String p, MachineFacts m) {
        String id = p.replace("-", "").toLowerCase(Locale.ROOT);
        if (id.matches("[0-9a-f]{32}")) {
            String mine = m.readOrNull("/etc/machine-id");
            if (mine == null) return unknown("/etc/machine-id cannot be read");
            return answer(mine.trim().equals(id), "the machine id is " + mine.trim());
        }
        String name = m.readOrNull("/proc/sys/kernel/hostname");
        if (name == null) return unknown("the host name cannot be read");
        name = name.trim();
        boolean ok = Glob.matches(p.toLowerCase(Locale.ROOT), name.toLowerCase(Locale.ROOT));
        return answer(ok, "the host is " + name);
    }

    /** ConditionSecurity=: whether a security technology is in use, from the files the kernel shows for it. */
    static Input.ConditionAnswer security(String p, MachineFacts m) {
        return switch (p) {
            case "selinux" -> answer(m.exists("/sys/fs/selinux/enforce"), "selinuxfs " + seen(m, "/sys/fs/selinux/enforce"));
            case "smack" -> answer(m.exists("/sys/fs/smackfs/load2"), "smackfs " + seen(m, "/sys/fs/smackfs/load2"));
            case "apparmor" -> {
                String v = m.readOrNull("/sys/module/apparmor/parameters/enabled");
                yield answer(v != null && v.startsWith("Y"), "AppArmor is " + (v != null && v.startsWith("Y") ? "enabled" : "not enabled"));
            }
            case "ima" -> answer(m.exists("/sys/kernel/security/ima"), "IMA " + seen(m, "/sys/kernel/security/ima"));
            case "tomoyo" -> answer(m.exists("/sys/kernel/security/tomoyo"), "TOMOYO " + seen(m, "/sys/kernel/security/tomoyo"));
            case "uefi-secureboot" -> {
                Path v = m.path("/sys/firmware/efi/efivars/SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c");
                try {
                    byte[] b = Files.readAllBytes(v);
                    yield answer(b.length == 5 && b[4] == 1, "SecureBoot is " + (b.length == 5 && b[4] == 1 ? "on" : "off"));
                } catch (IOException e) {
                    yield answer(false, "no SecureBoot EFI variable");
                }
            }
            case "tpm2" -> answer(nonEmpty(m.path("/sys/class/tpmrm")), "TPM2 resource manager " + seen(m, "/sys/class/tpmrm"));
            case "audit" -> {
                Boolean audit = m.audit().get();
                yield audit == null ? unknown("ordo cannot open a netlink audit socket to tell whether audit is in use")
                        : answer(audit, "the kernel's audit " + (audit ? "answers" : "is not there"));
            }
            default -> answer(false, p + " is not a security technology systemd knows");
        };
    }

    private static String seen(MachineFacts m, String path) {
        return m.exists(path) ? "is there" : "is not there";
    }

    private static boolean nonEmpty(Path dir) {
        if (!Files.isDirectory(dir)) return false;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    /** ConditionFirmware=: uefi, device-tree, device-tree-compatible(VALUE). */
    static Input.ConditionAnswer firmware(String p, MachineFacts m) {
        if (p.equals("uefi")) return answer(m.exists("/sys/firmware/efi"), "/sys/firmware/efi " + seen(m, "/sys/firmware/efi"));
        if (p.equals("device-tree")) return answer(m.exists("/sys/firmware/devicetree"), "device tree " + seen(m, "/sys/firmware/devicetree"));
        if (p.startsWith("device-tree-compatible(") && p.endsWith(")")) {
            String want = p.substring("device-tree-compatible(".length(), p.length() - 1);
            String c = m.readOrNull("/sys/firmware/devicetree/base/compatible");
            boolean ok = c != null && List.of(c.split("\0")).contains(want);
            return answer(ok, "the device tree is " + (ok ? "" : "not ") + "compatible with " + want);
        }
        return unknown("ordo does not test ConditionFirmware=" + p);
    }

    /**
     * ConditionACPower=: true holds when a mains supply is online or none is known; false when one is known and
     * none is online (on_ac_power() over /sys/class/power_supply).
     */
    static Input.ConditionAnswer acPower(String p, MachineFacts m) {
        Boolean want = bool(p);
        if (want == null) return unknown("`" + p + "` is not a boolean");
        boolean online = false;
        boolean offline = false;
        Path dir = m.path("/sys/class/power_supply");
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path s : ds) {
                    String type = read(s.resolve("type"));
                    if (!"Mains".equals(type)) continue;
                    String on = read(s.resolve("online"));
                    if ("1".equals(on)) online = true;
                    else if ("0".equals(on)) offline = true;
                }
            } catch (IOException e) {
                return unknown("the power supplies cannot be read: " + e.getMessage());
            }
        }
        boolean ac = online || !offline;
        return answer(ac == want, ac ? "on AC power (or none known)" : "on battery");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return null;
        }
    }

    static Boolean bool(String s) {
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "1", "yes", "y", "true", "t", "on" -> true;
            case "0", "no", "n", "false", "f", "off" -> false;
            default -> null;
        };
    }

    /** systemd.condition-first-boot= or -needs-update= on the kernel command line, which decides when given. */
    private static Boolean override(MachineFacts m, String key) {
        try {
            for (String w : commandLine(m)) {
                if (w.equals(key)) return true;
                if (w.startsWith(key + "=")) return bool(w.substring(key.length() + 1));
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }

    /**
     * ConditionFirstBoot=: this boot is a first boot when /run/systemd/first-boot exists (systemd 252 makes it
     * when it finds no machine id) or /etc/machine-id is missing, empty or "uninitialized" (what that file
     * says at first boot; ordo makes no /run/systemd/first-boot).
     */
    static Input.ConditionAnswer firstBoot(String p, MachineFacts m) {
        Boolean want = bool(p);
        if (want == null) return unknown("`" + p + "` is not a boolean");
        Boolean forced = override(m, "systemd.condition-first-boot");
        if (forced != null) return answer(forced == want, "systemd.condition-first-boot= on the kernel command line");
        String id = m.readOrNull("/etc/machine-id");
        boolean first = m.exists("/run/systemd/first-boot") || id == null || id.isBlank() || id.trim().equals("uninitialized");
        return answer(first == want, first ? "this is a first boot" : "this is not a first boot (/etc/machine-id is set)");
    }

    /**
     * ConditionNeedsUpdate=: /usr is newer than DIR/.updated; not in an initrd, not on a read-only DIR, and any
     * doubt counts as needing the update (systemd would rather update too often than too rarely).
     */
    static Input.ConditionAnswer needsUpdate(String p, MachineFacts m) {
        Boolean forced = override(m, "systemd.condition-needs-update");
        if (forced != null) return answer(forced, "systemd.condition-needs-update= on the kernel command line");
        if (m.exists("/etc/initrd-release")) return answer(false, "in an initrd, nothing is updated");
        Path dir = Path.of(p);
        try {
            if (Files.exists(dir) && Files.getFileStore(dir).isReadOnly()) return answer(false, p + " is read-only");
        } catch (IOException e) {
            // systemd ignores this and goes on
        }
        Path stamp = dir.resolve(".updated");
        try {
            long updated = Files.getLastModifiedTime(stamp, java.nio.file.LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.NANOSECONDS);
            long usr = Files.getLastModifiedTime(m.path("/usr"), java.nio.file.LinkOption.NOFOLLOW_LINKS).to(java.util.concurrent.TimeUnit.NANOSECONDS);
            return answer(usr > updated, "/usr is " + (usr > updated ? "newer" : "not newer") + " than " + stamp);
        } catch (IOException e) {
            return answer(true, stamp + " cannot be read, so an update is taken to be needed");
        }
    }

    /** systemd's cgroup controller names, and the v2 controller that provides each ("" where v2 has none). */
    private static final Map<String, String> CONTROLLERS = Map.of("cpu", "cpu", "cpuacct", "cpu", "cpuset", "cpuset",
            "io", "io", "blkio", "", "memory", "memory", "devices", "", "pids", "pids");

    /**
     * ConditionControlGroupController=: v2 (the unified hierarchy is mounted), v1 (it is not), or controllers
     * that must all be available; names systemd does not know are ignored, and with none it knows the
     * condition holds, as in systemd.
     */
    static Input.ConditionAnswer controlGroupController(String p, MachineFacts m) {
        boolean v2 = m.exists("/sys/fs/cgroup/cgroup.controllers");
        if (p.equals("v2")) return answer(v2, "the cgroup hierarchy is " + (v2 ? "v2" : "v1 or hybrid"));
        if (p.equals("v1")) return answer(!v2, "the cgroup hierarchy is " + (v2 ? "v2" : "v1 or hybrid"));
        List<String> available = new ArrayList<>();
        if (v2) {
            String c = m.readOrNull("/sys/fs/cgroup/cgroup.controllers");
            if (c == null) return unknown("/sys/fs/cgroup/cgroup.controllers cannot be read");
            available.addAll(List.of(c.trim().split("\\s+")));
        } else {
            String c = m.readOrNull("/proc/cgroups");
            if (c == null) return unknown("/proc/cgroups cannot be read");
            for (String line : c.split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 4 && !line.startsWith("#") && f[3].equals("1")) available.add(f[0]);
            }
        }
        boolean known = false;
        for (String want : words(p)) {
            if (want.startsWith("bpf-")) return unknown("ordo cannot tell whether " + want + " is available");
            String v2name = CONTROLLERS.get(want);
            if (v2name == null) continue;
            known = true;
            String needed = v2 ? v2name : want;
            if (needed.isEmpty() || !available.contains(needed)) return answer(false, want + " is not available (" + available + ")");
        }
        return answer(true, known ? "the controllers are available" : "no controller systemd knows, which systemd lets pass");
    }
}
