package dev.ordo.planner.model;

import java.util.List;

/**
 * What a job's processes run with. Null means "inherit from the supervisor".
 *
 * @param umask file mode creation mask, e.g. 022 (octal)
 * @param oomScore -1000 to 1000
 * @param environmentFiles read at each start, in order; their variables override the job's env
 */
public record Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                        String user, String group, Integer oomScore, List<EnvironmentFile> environmentFiles) {

    public static final Resources DEFAULT = new Resources(null, null, null, null, List.of(), null, null, null);

    public Resources {
        limits = List.copyOf(limits);
        environmentFiles = environmentFiles == null ? List.of() : List.copyOf(environmentFiles);
    }

    public Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                     String user, String group, Integer oomScore) {
        this(umask, nice, chdir, chroot, limits, user, group, oomScore, List.of());
    }

    /**
     * These resources without the user and group change (systemd's {@code !} and {@code !!} prefixes), and
     * with {@code fullPrivileges} also without the root directory ({@code +}).
     */
    public Resources withoutCredentials(boolean fullPrivileges) {
        return new Resources(umask, nice, chdir, fullPrivileges ? null : chroot, limits, null, null, oomScore,
                environmentFiles);
    }
}
