package dev.ordo.planner.rules;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The early boot of a systemd unit tree: what {@code sysinit.target} brings up before any ordinary service
 * (bootup(7)): file systems checked and remounted, udev, journald, kernel modules and sysctl settings,
 * {@code systemd-tmpfiles --create --remove --boot}. On a machine that is already running, each of these
 * does a boot's work a second time: tmpfiles empties /tmp, udev re-triggers every device, modules load.
 *
 * <p>The set is every unit {@code sysinit.target} pulls in ({@code Wants=}, {@code Requires=}, {@code BindsTo=},
 * {@code .wants/} links), and what those pull in, transitively (not what a socket or a timer of it triggers:
 * that starts when it is used); and every unit with
 * {@code DefaultDependencies=no} ordered before {@code sysinit.target} or before a unit already in the set
 * (systemd-remount-fs before local-fs.target, udevd before sysinit.target), with what it pulls in, until
 * nothing more joins. {@code sysinit.target} itself is not in it: it is where the early boot ends, and the
 * rest of the boot waits for it.
 */
public final class EarlyBoot {

    /** The target that closes the early boot (systemd.special(7)). */
    public static final String SYSINIT = "sysinit.target";

    private EarlyBoot() {
    }

    /** The names of the early boot's units among {@code jobs}, sorted; empty without sysinit.target's unit tree. */
    public static Set<String> units(Collection<Job> jobs) {
        Map<String, Job> byName = new HashMap<>();
        for (Job j : jobs) byName.putIfAbsent(j.name(), j);
        // Who is ordered before whom, from either side's After=/Before=.
        Map<String, Set<String>> before = new HashMap<>();
        for (Job j : byName.values()) {
            for (Relation r : j.relations()) {
                if (r.kind() == RelationKind.BEFORE) before.computeIfAbsent(j.name(), k -> new TreeSet<>()).add(r.target());
                else if (r.kind() == RelationKind.AFTER) before.computeIfAbsent(r.target(), k -> new TreeSet<>()).add(j.name());
            }
        }
        Set<String> early = new TreeSet<>();
        Deque<String> todo = new ArrayDeque<>();
        Job sysinit = byName.get(SYSINIT);
        if (sysinit != null) pulls(sysinit, todo);
        boolean grew = true;
        while (grew) {
            while (!todo.isEmpty()) {
                String n = todo.pop();
                if (n.equals(SYSINIT) || !early.add(n)) continue;
                Job j = byName.get(n);
                if (j != null) pulls(j, todo);
            }
            grew = false;
            for (Job j : byName.values()) {
                if (early.contains(j.name()) || j.name().equals(SYSINIT) || j.unit() == null || j.unit().defaultDependencies()) {
                    continue;
                }
                for (String t : before.getOrDefault(j.name(), Set.of())) {
                    if (t.equals(SYSINIT) || early.contains(t)) {
                        todo.push(j.name());
                        grew = true;
                        break;
                    }
                }
            }
        }
        return early;
    }

    private static void pulls(Job j, Deque<String> todo) {
        for (Relation r : j.relations()) {
            // Not what a socket, timer or path triggers: that starts when it is used, not as part of the boot.
            if (r.kind().pullsIn()) todo.push(r.target());
        }
    }

    /** What ordo says of an early-boot unit it does not run, once per unit. */
    public static String skipText() {
        return "early boot (" + SYSINIT + ") runs only when ordo is PID 1; --early-boot runs it";
    }

    /**
     * Whether ordo leaves out {@code j}, an early-boot unit, when it may not run the early boot: only a unit
     * with something to run is skipped; a target, a slice or a device has nothing that could touch the
     * machine, and reaching it is what the rest of the boot waits for.
     */
    public static boolean skipped(Job j) {
        return !j.processes().isEmpty();
    }
}
