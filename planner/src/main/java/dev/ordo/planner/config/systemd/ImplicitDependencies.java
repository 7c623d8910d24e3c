package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The implicit and default dependencies of a unit as the man pages of systemd 252 list them under
 * "Implicit Dependencies" and "Default Dependencies": systemd.service(5), systemd.socket(5),
 * systemd.target(5) (its After= on wanted units is added by the reader, which knows the other units),
 * systemd.timer(5), systemd.path(5), systemd.mount(5), systemd.automount(5), systemd.swap(5),
 * systemd.slice(5), systemd.scope(5), systemd.resource-control(5) (Slice=).
 */
final class ImplicitDependencies {

    /** Network file systems (fstype_is_network() in systemd's mount-util.c). */
    private static final List<String> NETWORK_FS = List.of(
            "afs", "ceph", "cifs", "smb3", "smbfs", "sshfs", "ncpfs", "ncp", "nfs", "nfs4", "gfs", "gfs2",
            "glusterfs", "gluster", "pvfs2", "ocfs2", "lustre", "davfs");

    private ImplicitDependencies() {
    }

    static List<Relation> of(UnitJobBuilder u) {
        List<Relation> out = new ArrayList<>();
        if (u.masked) return out;
        Source s = u.source;
        String trigger = u.triggers();
        if (trigger != null) {
            Source ts = u.triggerOverrideSource != null ? u.triggerOverrideSource : s;
            out.add(new Relation(RelationKind.TRIGGERS, trigger, ts, Relation.Origin.IMPLICIT));
            out.add(new Relation(RelationKind.BEFORE, trigger, ts, Relation.Origin.IMPLICIT));
        }
        if ("dbus".equals(u.serviceType())) {
            add(out, RelationKind.REQUIRES, "dbus.socket", s);
            add(out, RelationKind.AFTER, "dbus.socket", s);
        }
        out.addAll(u.sockets);
        String slice = u.context.slice();
        if (slice != null) {
            add(out, RelationKind.REQUIRES, slice, u.context.sliceSource());
            add(out, RelationKind.AFTER, slice, u.context.sliceSource());
        }
        if (u.type.equals("slice")) {
            String parent = parentSlice(u.name);
            if (parent != null) {
                add(out, RelationKind.REQUIRES, parent, s);
                add(out, RelationKind.AFTER, parent, s);
            }
        }
        if ((u.type.equals("mount") || u.type.equals("swap")) && u.what != null && u.what.startsWith("/dev/")
                && !isNetwork(u.options, u.fsType)) {
            String device = UnitName.pathEscape(u.what) + ".device";
            add(out, u.type.equals("mount") ? RelationKind.BINDS_TO : RelationKind.REQUIRES, device, s);
            add(out, RelationKind.AFTER, device, s);
        }
        // systemd.exec(5), "Implicit Dependencies" (paths and mounts other than /tmp are not followed).
        Source privateTmp = u.context.privateTmp();
        if (privateTmp != null) {
            add(out, RelationKind.WANTS, "tmp.mount", privateTmp);
            add(out, RelationKind.AFTER, "tmp.mount", privateTmp);
            add(out, RelationKind.AFTER, "systemd-tmpfiles-setup.service", privateTmp);
        }
        if (u.context.journalOutput() != null && !u.name.equals("systemd-journald.socket")) {
            add(out, RelationKind.AFTER, "systemd-journald.socket", u.context.journalOutput());
        }
        if (!u.defaultDependencies) return out;
        switch (u.type) {
            case "service", "socket", "timer", "path" -> {
                add(out, RelationKind.REQUIRES, "sysinit.target", s);
                add(out, RelationKind.AFTER, "sysinit.target", s);
                if (u.type.equals("service")) add(out, RelationKind.AFTER, "basic.target", s);
                if (u.type.equals("socket")) add(out, RelationKind.BEFORE, "sockets.target", s);
                if (u.type.equals("timer")) add(out, RelationKind.BEFORE, "timers.target", s);
                if (u.type.equals("path")) add(out, RelationKind.BEFORE, "paths.target", s);
                if (u.type.equals("timer") && u.onCalendar) {
                    add(out, RelationKind.AFTER, "time-set.target", s);
                    add(out, RelationKind.AFTER, "time-sync.target", s);
                }
                shutdown(out, "shutdown.target", s);
            }
            case "target", "slice", "scope" -> {
                if (!u.name.equals("shutdown.target")) shutdown(out, "shutdown.target", s);
            }
            case "mount" -> {
                shutdown(out, "umount.target", s);
                boolean nofail = u.options != null && List.of(u.options.split(",")).contains("nofail");
                if (isNetwork(u.options, u.fsType)) {
                    add(out, RelationKind.AFTER, "remote-fs-pre.target", s);
                    add(out, RelationKind.AFTER, "network.target", s);
                    add(out, RelationKind.AFTER, "network-online.target", s);
                    add(out, RelationKind.WANTS, "network-online.target", s);
                    if (!nofail) add(out, RelationKind.BEFORE, "remote-fs.target", s);
                } else {
                    add(out, RelationKind.AFTER, "local-fs-pre.target", s);
                    if (!nofail) add(out, RelationKind.BEFORE, "local-fs.target", s);
                }
            }
            case "automount" -> {
                shutdown(out, "umount.target", s);
                add(out, RelationKind.AFTER, "local-fs-pre.target", s);
                add(out, RelationKind.BEFORE, "local-fs.target", s);
            }
            case "swap" -> {
                shutdown(out, "umount.target", s);
                add(out, RelationKind.BEFORE, "swap.target", s);
            }
            default -> {
                // device units have no default dependencies
            }
        }
        return out;
    }

    private static boolean isNetwork(String options, String fsType) {
        if (options != null && List.of(options.split(",")).contains("_netdev")) return true;
        if (fsType == null) return false;
        String t = fsType.startsWith("fuse.") ? fsType.substring(5) : fsType;
        return NETWORK_FS.contains(t);
    }

    /** {@code system-getty.slice} → {@code system.slice} → {@code -.slice} → none. */
    static String parentSlice(String slice) {
        if (slice.equals("-.slice")) return null;
        String stem = UnitName.stem(slice);
        int dash = stem.lastIndexOf('-');
        return dash <= 0 ? "-.slice" : stem.substring(0, dash) + ".slice";
    }

    private static void shutdown(List<Relation> out, String target, Source s) {
        add(out, RelationKind.CONFLICTS, target, s);
        add(out, RelationKind.BEFORE, target, s);
    }

    private static void add(List<Relation> out, RelationKind kind, String target, Source s) {
        out.add(new Relation(kind, target, s, Relation.Origin.IMPLICIT));
    }
}
