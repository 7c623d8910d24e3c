package dev.ordo.executor.runtime;

import static dev.ordo.executor.runtime.PathConditions.answer;
import static dev.ordo.executor.runtime.PathConditions.unknown;

import dev.ordo.planner.engine.Input;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The conditions about the service manager itself (systemd.unit(5)): its user and groups, the capabilities in
 * its bounding set, the credentials and the environment it was given. Under ordo the service manager is the
 * supervisor: its ids and bounding set come from {@code /proc/self/status}, names from {@code /etc/passwd}
 * and {@code /etc/group} (not NSS, which systemd avoids in PID 1 too).
 */
final class IdentityConditions {

    /** systemd's compiled-in end of the system user range (SYSTEM_UID_MAX, Debian's 999). */
    static final int SYSTEM_UID_MAX = 999;
    static final int NOBODY = 65534;

    /** capability(7)'s names, by number. */
    static final List<String> CAPABILITIES = List.of("cap_chown", "cap_dac_override", "cap_dac_read_search",
            "cap_fowner", "cap_fsetid", "cap_kill", "cap_setgid", "cap_setuid", "cap_setpcap", "cap_linux_immutable",
            "cap_net_bind_service", "cap_net_broadcast", "cap_net_admin", "cap_net_raw", "cap_ipc_lock", "cap_ipc_owner",
            "cap_sys_module", "cap_sys_rawio", "cap_sys_chroot", "cap_sys_ptrace", "cap_sys_pacct", "cap_sys_admin",
            "cap_sys_boot", "cap_sys_nice", "cap_sys_resource", "cap_sys_time", "cap_sys_tty_config", "cap_mknod",
            "cap_lease", "cap_audit_write", "cap_audit_control", "cap_setfcap", "cap_mac_override", "cap_mac_admin",
            "cap_syslog", "cap_wake_alarm", "cap_block_suspend", "cap_audit_read", "cap_perfmon", "cap_bpf",
            "cap_checkpoint_restore");

    private IdentityConditions() {
    }

    /** The real and effective ids of {@code Uid:} or {@code Gid:} in /proc/self/status. */
    private static long[] ids(MachineFacts m, String field) throws IOException {
        String v = m.status(field);
        if (v == null) throw new IOException("/proc/self/status has no " + field + ":");
        String[] f = v.split("\\s+");
        return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    /** ConditionUser=: a uid, a user name, or @system, against the manager's real or effective uid. */
    static Input.ConditionAnswer user(String p, MachineFacts m) {
        long[] uid;
        try {
            uid = ids(m, "Uid");
        } catch (IOException | RuntimeException e) {
            return unknown("the supervisor's user cannot be read: " + e.getMessage());
        }
        String mine = "uid " + uid[0] + (uid[1] != uid[0] ? "/" + uid[1] : "");
        if (p.equals("root")) return answer(uid[0] == 0 || uid[1] == 0, "ordo runs as " + mine);
        if (p.equals("nobody")) return answer(uid[0] == NOBODY || uid[1] == NOBODY, "ordo runs as " + mine);
        if (p.equals("@system")) return answer(uid[0] <= SYSTEM_UID_MAX || uid[1] <= SYSTEM_UID_MAX, "ordo runs as " + mine);
        Long id = number(p);
        if (id == null) {
            // systemd: PID 1 runs as root, checked above, so no other name can match; elsewhere it looks the name up.
            if (m.pid1()) return answer(false, "ordo is PID 1 and runs as root");
            id = lookup(m, "/etc/passwd", p);
            if (id == null) return answer(false, "no user " + p + " in /etc/passwd");
        }
        return answer(id == uid[0] || id == uid[1], "ordo runs as " + mine);
    }

    /** ConditionGroup=: a gid or a group name, against the manager's real, effective or supplementary groups. */
    static Input.ConditionAnswer group(String p, MachineFacts m) {
        List<Long> mine = new ArrayList<>();
        try {
            for (long g : ids(m, "Gid")) mine.add(g);
            String groups = m.status("Groups");
            if (groups != null && !groups.isBlank()) for (String g : groups.trim().split("\\s+")) mine.add(Long.parseLong(g));
        } catch (IOException | RuntimeException e) {
            return unknown("the supervisor's groups cannot be read: " + e.getMessage());
        }
        Long id = number(p);
        if (id == null) {
            if (m.pid1()) return answer(p.equals("root"), "ordo is PID 1: only root is looked at");
            id = lookup(m, "/etc/group", p);
            if (id == null) return answer(false, "no group " + p + " in /etc/group");
        }
        return answer(mine.contains(id), "ordo's groups are " + mine);
    }

    private static Long number(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 10) return null;
        return Long.parseLong(s);
    }

    /** The id of {@code name} in a passwd- or group-style file (the third field), or null. */
    private static Long lookup(MachineFacts m, String file, String name) {
        String text = m.readOrNull(file);
        if (text == null) return null;
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length > 2 && f[0].equals(name)) return number(f[2]);
        }
        return null;
    }

    /** ConditionCapability=: the capability is in the manager's bounding set (CapBnd). */
    static Input.ConditionAnswer capability(String p, MachineFacts m) {
        int n = CAPABILITIES.indexOf(p.toLowerCase(java.util.Locale.ROOT));
        if (n < 0 && number(p) != null && number(p) < 64) n = number(p).intValue();
        if (n < 0) return unknown(p + " is not a capability name");
        try {
            String bnd = m.status("CapBnd");
            if (bnd == null) return unknown("/proc/self/status has no CapBnd:");
            boolean has = (Long.parseUnsignedLong(bnd, 16) >>> n & 1) != 0;
            return answer(has, p + (has ? " is" : " is not") + " in ordo's bounding set");
        } catch (IOException | NumberFormatException e) {
            return unknown("the bounding set cannot be read: " + e.getMessage());
        }
    }

    /**
     * ConditionCredential=: a credential of that name was passed to the manager: a file in
     * {@code $CREDENTIALS_DIRECTORY} or {@code $ENCRYPTED_CREDENTIALS_DIRECTORY} (not followed if a link).
     */
    static Input.ConditionAnswer credential(String p, MachineFacts m) {
        // credential_name_valid(): a file name, at most NAME_MAX.
        if (p.isEmpty() || p.length() > 255 || p.contains("/") || p.equals(".") || p.equals("..")) {
            return answer(false, p + " is not a valid credential name");
        }
        for (String var : List.of("CREDENTIALS_DIRECTORY", "ENCRYPTED_CREDENTIALS_DIRECTORY")) {
            String dir = m.env().get(var);
            if (dir == null || dir.isEmpty()) continue;
            if (Files.exists(Path.of(dir, p), LinkOption.NOFOLLOW_LINKS)) return answer(true, "$" + var + "/" + p + " exists");
        }
        return answer(false, "no credential " + p + " was passed to ordo");
    }

    /** ConditionEnvironment=: NAME is set, or NAME=VALUE is set exactly, in the manager's environment. */
    static Input.ConditionAnswer environment(String p, MachineFacts m) {
        int eq = p.indexOf('=');
        Map<String, String> env = m.env();
        if (eq < 0) return answer(env.containsKey(p), p + (env.containsKey(p) ? " is" : " is not") + " set for ordo");
        String v = env.get(p.substring(0, eq));
        boolean ok = v != null && v.equals(p.substring(eq + 1));
        return answer(ok, p.substring(0, eq) + (v == null ? " is not set" : "=" + v) + " for ordo");
    }
}
