package dev.ordo.planner.rules;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;

/**
 * The programs that work only under systemd as PID 1, because what they do is ask systemd (its D-Bus API
 * or its private socket) to do it: under ordo they fail, and with {@code Restart=} they fail for ever. A
 * unit whose main command (its first {@code ExecStart=} line) runs one of them is skipped with its reason,
 * whether or not ordo is PID 1: ordo does not offer systemd's interfaces. The list is short on purpose:
 * systemd's other helpers (udevd, tmpfiles, sysctl, modules-load, timesyncd, user-sessions)
 * work without it, and a unit that only prefers systemd says so with a condition, which ordo evaluates.
 */
public enum NeedsSystemd {
    SYSTEMCTL("systemctl", null, "it asks the running systemd to start, stop or isolate units"),
    LOGIND("systemd-logind", null, "each session is a scope it asks systemd to make"),
    // Every verb (reboot, shutdown, runlevel): update-utmp.c connects to systemd's bus before it dispatches one,
    // and fails without it ("Failed to get D-Bus connection"; seen as PID 1 of a sealed Debian boot).
    UPDATE_UTMP("systemd-update-utmp", null, "it connects to systemd's bus before it writes a record"),
    INITCTL("systemd-initctl", null, "it passes /dev/initctl requests on to systemd"),
    // Seen as PID 1 of a sealed Debian boot: "Failed to acquire cgroup root path" without systemd's cgroup tree,
    // then five restarts and /dev/log pointing at a socket nobody reads. The services' output goes to ordo's logs.
    JOURNALD("systemd-journald", null, "it keeps the journal of systemd's cgroups and the streams systemd hands it"),
    // systemd-journal-flush.service: it asks journald (above) over varlink to move the journal to /var, and fails
    // without it (seen as PID 1 of a sealed Debian boot: "[FAILED] ... main process exited with status 1").
    JOURNAL_FLUSH("journalctl", "--flush", "it asks systemd-journald, which runs only under systemd, to move the journal"),
    USER_MANAGER("systemd", "--user", "a user's systemd asks PID 1 for its cgroup and session"),
    USER_RUNTIME_DIR("systemd-user-runtime-dir", null, "logind starts it through systemd for each user"),
    BOOT_CHECK("systemd-boot-check-no-failures", null, "it asks systemd which units failed"),
    SULOGIN_SHELL("systemd-sulogin-shell", null, "after the shell it asks systemd for the default target");

    private final String program;
    private final String argument;
    private final String why;

    NeedsSystemd(String program, String argument, String why) {
        this.program = program;
        this.argument = argument;
        this.why = why;
    }

    /** The one line ordo says for a unit it skips for this program. */
    public String skipText() {
        return program + (argument == null ? "" : " " + argument) + " works only under systemd as PID 1 (" + why + ")";
    }

    /** The program {@code job}'s main command runs, if it is one of these; null otherwise. */
    public static NeedsSystemd of(Job job) {
        Process main = job.processes().get(Phase.MAIN);
        if (main == null || main.isScript() || main.exec().isEmpty()) return null;
        String[] words = main.exec().get(0).trim().split("[ \t]+");
        if (words.length == 0) return null;
        // systemd's prefixes (-, @, :, +, !, !!) say how to run the command, not what it is.
        String first = words[0].replaceFirst("^[-@:+!]+", "");
        String name = first.substring(first.lastIndexOf('/') + 1);
        for (NeedsSystemd n : values()) {
            if (!n.program.equals(name)) continue;
            if (n.argument == null) return n;
            for (int i = 1; i < words.length; i++) if (words[i].equals(n.argument)) return n;
        }
        return null;
    }
}
