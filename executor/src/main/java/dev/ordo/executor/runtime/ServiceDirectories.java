package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.Processes;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.ServiceDirectory;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The directories systemd makes for a service before it starts ({@code RuntimeDirectory=} and its four
 * siblings; systemd.exec(5), "Paths"): the parents as needed, owned by root; the directory itself with
 * its mode and owned by the service's user and group, so a daemon that drops privileges (sshd's
 * /run/sshd, redis's /run/redis) finds it ready; the variables that name them; and the runtime ones
 * removed when the job stops, unless {@code RuntimeDirectoryPreserve=yes}.
 *
 * <p>A root supervisor works here on paths that the service's user may own. Nothing is followed through a
 * symbolic link: a directory that is a link is refused, ownership and mode are set on the directory
 * itself, and removal never leaves the tree, so a service cannot turn its own directory into a way to
 * have /etc chowned to it or deleted.
 */
final class ServiceDirectories {

    private ServiceDirectories() {
    }

    /** The variables naming the job's directories ({@code RUNTIME_DIRECTORY=/run/a:/run/b}), for every process. */
    static Map<String, String> variables(Resources res) {
        Map<ServiceDirectory.Base, StringBuilder> by = new EnumMap<>(ServiceDirectory.Base.class);
        for (ServiceDirectory d : res.directories()) {
            StringBuilder b = by.computeIfAbsent(d.kind(), k -> new StringBuilder());
            if (b.length() > 0) b.append(':');
            b.append(d.fullPath());
        }
        Map<String, String> out = new LinkedHashMap<>();
        by.forEach((k, v) -> out.put(k.variable(), v.toString()));
        return out;
    }

    /** Makes the job's directories; the reason in a {@link ProcessLaunch.Refused} when one cannot be made. */
    static void prepare(Resources res) throws ProcessLaunch.Refused {
        UserPrincipalLookupService names = FileSystems.getDefault().getUserPrincipalLookupService();
        for (ServiceDirectory d : res.directories()) {
            Path dir = Path.of(d.fullPath());
            try {
                if (Files.isSymbolicLink(dir)) {
                    throw new ProcessLaunch.Refused(d.kind().key() + " " + dir + " is a symbolic link; it is not followed");
                }
                Files.createDirectories(dir);
                if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw new ProcessLaunch.Refused(d.kind().key() + " " + dir + " is not a directory");
                }
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
                if (res.user() != null) view.setOwner(names.lookupPrincipalByName(res.user()));
                if (res.group() != null) {
                    GroupPrincipal g = names.lookupPrincipalByGroupName(res.group());
                    view.setGroup(g);
                } else if (res.user() != null) {
                    // systemd gives the directory the user's own group when Group= is not set.
                    String primary = Processes.primaryGroup(res.user());
                    view.setGroup(names.lookupPrincipalByGroupName(primary != null ? primary : res.user()));
                }
                view.setPermissions(permissions(d.mode()));
            } catch (IOException | UnsupportedOperationException e) {
                throw new ProcessLaunch.Refused("cannot make " + d.kind().key() + " " + dir + ": " + e);
            }
        }
    }

    /** When {@code job} (null if gone) has stopped: removes its runtime directories, logging what fails. */
    static void stopped(Job job, Consumer<String> log) {
        if (job == null || job.resources().directories().isEmpty()) return;
        String problem = removeRuntime(job.resources());
        if (problem != null) log.accept(problem);
    }

    /** Removes the runtime directories at a stop, unless they are preserved; what went wrong, or null. */
    static String removeRuntime(Resources res) {
        if (res.preserve() == ServiceDirectory.Preserve.YES) return null;
        for (ServiceDirectory d : res.directories()) {
            if (d.kind() != ServiceDirectory.Base.RUNTIME) continue;
            Path dir = Path.of(d.fullPath());
            try {
                // A link in its place is removed, never what it points at; so is a link inside.
                dev.ordo.executor.posix.DirectoryTrees.delete(dir);
            } catch (IOException e) {
                return "cannot remove RuntimeDirectory " + dir + ": " + e;
            }
        }
        return null;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] bits = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
            PosixFilePermission.OWNER_READ};
        for (int i = 0; i < bits.length; i++) if ((mode & (1 << i)) != 0) out.add(bits[i]);
        return out;
    }
}
