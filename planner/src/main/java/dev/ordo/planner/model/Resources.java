package dev.ordo.planner.model;

import java.util.List;

/**
 * What a job's processes run with. Null means "inherit from the supervisor".
 *
 * @param umask file mode creation mask, e.g. 022 (octal)
 * @param oomScore -1000 to 1000
 */
public record Resources(Integer umask, Integer nice, String chdir, String chroot, List<Limit> limits,
                        String user, String group, Integer oomScore) {

    public static final Resources DEFAULT = new Resources(null, null, null, null, List.of(), null, null, null);

    public Resources {
        limits = List.copyOf(limits);
    }
}
