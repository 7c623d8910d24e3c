package dev.ordo.planner.model;

import java.util.List;

/**
 * What a job's processes run with. Null means "inherit from the supervisor".
 *
 * @param umask file mode creation mask, e.g. 022 (octal)
 * @param oomScore -1000 to 1000
 * @param environmentFiles read at each start, in order; their variables override the job's env
 * @param directories made before the first process of a start
 * @param preserve what becomes of the runtime directories at a stop
 */
public record Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                        String user, String group, Integer oomScore, List<EnvironmentFile> environmentFiles,
                        List<ServiceDirectory> directories, ServiceDirectory.Preserve preserve) {

    public static final Resources DEFAULT = new Resources(null, null, null, null, List.of(), null, null, null);

    public Resources {
        limits = List.copyOf(limits);
        environmentFiles = environmentFiles == null ? List.of() : List.copyOf(environmentFiles);
        directories = directories == null ? List.of() : List.copyOf(directories);
        preserve = preserve == null ? ServiceDirectory.Preserve.NO : preserve;
    }

    public Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                     String user, String group, Integer oomScore) {
        this(umask, nice, chdir, chroot, limits, user, group, oomScore, List.of(), List.of(), null);
    }

    /**
     * These resources without the user and group change (systemd's {@code !} and {@code !!} prefixes), and
     * with {@code fullPrivileges} also without the root directory ({@code +}).
     */
    public Resources withoutCredentials(boolean fullPrivileges) {
        return new Resources(umask, nice, chdir, fullPrivileges ? null : chroot, limits, null, null, oomScore,
                environmentFiles, directories, preserve);
    }
}
