package dev.ordo.planner.model;

import java.util.List;

/**
 * What a job's processes run with. Null means "inherit from the supervisor".
 *
 * @param umask file mode creation mask, e.g. 022 (octal)
 * @param chdir where the processes start, written as systemd's {@code WorkingDirectory=} takes it: a leading
 *     {@code -} when it may be missing (the processes then start in /), {@code ~} for the user's home
 * @param oomScore -1000 to 1000
 * @param environmentFiles read at each start, in order; their variables override the job's env
 * @param directories made before the first process of a start
 * @param preserve what becomes of the runtime directories at a stop
 * @param supplementaryGroups groups the processes have besides those of {@code user} (systemd's
 *     {@code SupplementaryGroups=})
 * @param output where standard output goes; null for the job's {@link Console}
 * @param error where standard error goes; null for wherever standard output goes (systemd's {@code inherit})
 */
public record Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                        String user, String group, Integer oomScore, List<EnvironmentFile> environmentFiles,
                        List<ServiceDirectory> directories, ServiceDirectory.Preserve preserve,
                        List<String> supplementaryGroups, OutputTarget output, OutputTarget error) {

    public static final Resources DEFAULT = new Resources(null, null, null, null, List.of(), null, null, null);

    public Resources {
        limits = List.copyOf(limits);
        environmentFiles = environmentFiles == null ? List.of() : List.copyOf(environmentFiles);
        directories = directories == null ? List.of() : List.copyOf(directories);
        preserve = preserve == null ? ServiceDirectory.Preserve.NO : preserve;
        supplementaryGroups = supplementaryGroups == null ? List.of() : List.copyOf(supplementaryGroups);
    }

    public Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                     String user, String group, Integer oomScore) {
        this(umask, nice, chdir, chroot, limits, user, group, oomScore, List.of(), List.of(), null, List.of(), null, null);
    }

    /** Whether a missing working directory is no error ({@code WorkingDirectory=-PATH}). */
    public boolean chdirOptional() {
        return chdir != null && chdir.startsWith("-");
    }

    /** The working directory, {@code ~} made {@code home}; null for the supervisor's default. */
    public String chdirPath(String home) {
        if (chdir == null) return null;
        String d = chdirOptional() ? chdir.substring(1) : chdir;
        return d.equals("~") ? home : d;
    }

    /**
     * These resources without the user and group change (systemd's {@code !} and {@code !!} prefixes), and
     * with {@code fullPrivileges} also without the root directory ({@code +}).
     */
    public Resources withoutCredentials(boolean fullPrivileges) {
        return new Resources(umask, nice, chdir, fullPrivileges ? null : chroot, limits, null, null, oomScore,
                environmentFiles, directories, preserve, List.of(), output, error);
    }

    /** These resources with other limits and OOM score (what the supervisor may grant). */
    public Resources withLimits(List<Limit> newLimits, Integer newOomScore) {
        return new Resources(umask, nice, chdir, chroot, newLimits, user, group, newOomScore, environmentFiles, directories,
                preserve, supplementaryGroups, output, error);
    }
}
