package dev.ordo.executor.runtime;

import static dev.ordo.executor.runtime.PathConditions.answer;

import dev.ordo.planner.engine.Input;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ConditionVirtualization=}: what systemd-detect-virt(1) would say, from what the JVM can read. A
 * container is told by the files container managers leave ({@code /run/host/container-manager},
 * {@code /run/systemd/container}, {@code /run/.containerenv}, {@code /.dockerenv}), by {@code container=} in
 * PID 1's environment (the supervisor's own when it is PID 1), and by {@code /proc/1/sched} naming a PID other
 * than 1 (PID 1 of a PID namespace); a virtual machine by DMI's vendor strings, Xen's files, and the CPU's
 * {@code hypervisor} flag (systemd also asks CPUID, which the JVM cannot: such a machine is {@code vm-other}).
 * Only the innermost technology counts: a container first.
 */
final class Virtualization {

    private Virtualization() {
    }

    static final Set<String> CONTAINERS = Set.of("openvz", "lxc", "lxc-libvirt", "systemd-nspawn", "docker", "podman",
            "rkt", "wsl", "proot", "pouch", "container-other");

    /** DMI vendor prefixes and what systemd calls them (virt.c's dmi_vendor_table). */
    private static final List<Map.Entry<String, String>> DMI_VENDORS = List.of(Map.entry("KVM", "kvm"),
            Map.entry("OpenStack", "kvm"), Map.entry("KubeVirt", "kvm"), Map.entry("Amazon EC2", "amazon"),
            Map.entry("QEMU", "qemu"), Map.entry("VMware", "vmware"), Map.entry("VMW", "vmware"),
            Map.entry("innotek GmbH", "oracle"), Map.entry("VirtualBox", "oracle"), Map.entry("Xen", "xen"),
            Map.entry("Bochs", "bochs"), Map.entry("Parallels", "parallels"), Map.entry("BHYVE", "bhyve"),
            Map.entry("Hyper-V", "microsoft"), Map.entry("Apple Virtualization", "apple"));

    /** The container ordo runs in ({@code docker}, {@code lxc}, …, {@code container-other}), or null. */
    static String container(MachineFacts m) {
        if (m.exists("/proc/vz") && !m.exists("/proc/bc")) return "openvz";
        String release = m.readOrNull("/proc/sys/kernel/osrelease");
        if (release != null && (release.contains("Microsoft") || release.contains("WSL"))) return "wsl";
        String manager = line(m.readOrNull("/run/host/container-manager"));
        if (manager != null) return name(manager, m);
        if (m.pid1()) {
            // As PID 1, the container manager's word in our own environment is authoritative.
            String e = m.env().get("container");
            return e == null || e.isEmpty() ? null : name(e, m);
        }
        String file = line(m.readOrNull("/run/systemd/container"));
        if (file != null) return name(file, m);
        String environ = m.readOrNull("/proc/1/environ");
        if (environ != null) {
            for (String kv : environ.split("\0")) if (kv.startsWith("container=") && kv.length() > 10) return name(kv.substring(10), m);
        }
        String files = files(m);
        if (files != null) return files;
        // /proc/1/sched shows the host's PID of what we see as PID 1: not 1 means a PID namespace.
        String sched = m.readOrNull("/proc/1/sched");
        if (sched != null) {
            int open = sched.indexOf('(');
            int comma = sched.indexOf(',', open + 1);
            if (open > 0 && comma > open && !sched.substring(open + 1, comma).trim().equals("1")) return "container-other";
        }
        return null;
    }

    private static String files(MachineFacts m) {
        if (m.exists("/run/.containerenv")) return "podman";
        if (m.exists("/.dockerenv")) return "docker";
        return null;
    }

    private static String line(String s) {
        if (s == null) return null;
        String t = s.strip();
        return t.isEmpty() ? null : t;
    }

    private static String name(String e, MachineFacts m) {
        if (e.equals("oci")) {
            // Not one manager: the files tell which, if any does.
            String f = files(m);
            return f == null ? "container-other" : f;
        }
        return CONTAINERS.contains(e) ? e : "container-other";
    }

    /** The hypervisor ordo's machine runs under ({@code kvm}, {@code qemu}, …, {@code vm-other}), or null. */
    static String vm(MachineFacts m) {
        for (String f : List.of("product_name", "sys_vendor", "board_vendor", "bios_vendor", "product_version")) {
            String v = m.readOrNull("/sys/class/dmi/id/" + f);
            if (v == null) continue;
            for (Map.Entry<String, String> e : DMI_VENDORS) if (v.startsWith(e.getKey())) return e.getValue();
        }
        String xen = m.readOrNull("/sys/hypervisor/type");
        if (xen != null && xen.strip().equals("xen")) return "xen";
        String caps = m.readOrNull("/proc/xen/capabilities");
        if (caps != null && !caps.contains("control_d")) return "xen";
        String cpu = m.readOrNull("/proc/cpuinfo");
        if (cpu != null) {
            if (cpu.contains("User Mode Linux")) return "uml";
            for (String line : cpu.split("\n")) {
                if (line.startsWith("flags") && List.of(line.split("\\s+")).contains("hypervisor")) return "vm-other";
            }
        }
        return null;
    }

    /** Whether ordo runs in a user namespace: its uid map is not the whole range mapped to itself. */
    static boolean userNamespace(MachineFacts m) {
        String map = m.readOrNull("/proc/self/uid_map");
        return map != null && !map.strip().replaceAll("\\s+", " ").equals("0 0 4294967295");
    }

    static Input.ConditionAnswer test(String p, MachineFacts m) {
        if (p.equals("private-users")) {
            boolean ns = userNamespace(m);
            return answer(ns, ns ? "ordo runs in a user namespace" : "ordo does not run in a user namespace");
        }
        String c = container(m);
        String v = c != null ? c : vm(m);
        String why = v == null ? "no virtualization is detected" : "virtualization: " + v;
        Boolean b = SystemConditions.bool(p);
        if (b != null) return answer(b == (v != null), why);
        String want = p.toLowerCase(Locale.ROOT);
        if (want.equals("container")) return answer(c != null, why);
        if (want.equals("vm")) return answer(c == null && v != null, why);
        return answer(want.equals(v), why);
    }
}
