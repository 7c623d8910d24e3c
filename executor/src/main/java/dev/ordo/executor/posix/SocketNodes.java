package dev.ordo.executor.posix;

import dev.ordo.planner.model.SocketPort;
import dev.ordo.planner.model.SocketSetup;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jnr.posix.Group;
import jnr.posix.Passwd;

/**
 * The file system side of a socket unit (socket.c, socket-util.c): the directories above its socket and FIFO
 * nodes made with DirectoryMode=, the nodes' mode (exactly SocketMode=, as systemd's PID 1 runs with umask 0) and
 * owner (SocketUser=, SocketGroup=), the Symlinks= to its one node, and their removal with RemoveOnStop=.
 */
final class SocketNodes {

    private SocketNodes() {
    }

    /** mkdir_parents: each missing directory above {@code node}, with {@code mode}. */
    static void parents(Path node, int mode) throws IOException {
        Path parent = node.toAbsolutePath().getParent();
        if (parent == null || Files.isDirectory(parent)) return;
        parents(parent, mode);
        try {
            Files.createDirectory(parent);
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        chmod(parent, mode);
    }

    static void chmod(Path p, int mode) throws IOException {
        if (Sys.C.chmod(p.toString(), mode) != 0) throw new IOException("chmod " + p + ": " + Sys.describe(Sys.errno()));
    }

    /** SocketUser= and SocketGroup= on a node: the user's own group when only the user is given. */
    static void chown(Path p, SocketSetup s) throws IOException {
        if (s.user() == null && s.group() == null) return;
        int uid = -1;
        int gid = -1;
        if (s.user() != null) {
            Passwd pw = Sys.POSIX.getpwnam(s.user());
            if (pw == null) throw new IOException("SocketUser=" + s.user() + ": no such user");
            uid = (int) pw.getUID();
            gid = (int) pw.getGID();
        }
        if (s.group() != null) {
            Group gr = Sys.POSIX.getgrnam(s.group());
            if (gr == null) throw new IOException("SocketGroup=" + s.group() + ": no such group");
            gid = (int) gr.getGID();
        }
        if (Sys.C.lchown(p.toString(), uid, gid) != 0) throw new IOException("chown " + p + ": " + Sys.describe(Sys.errno()));
    }

    /** The one node in the file system Symlinks= points at (socket_find_symlink_target), or null. */
    static Path symlinkTarget(SocketSetup s) {
        Path found = null;
        for (SocketPort p : s.ports()) {
            if (p.family() != SocketPort.Family.PATH) continue;
            if (found != null) return null;
            found = Path.of(p.path());
        }
        return found;
    }

    /**
     * socket_symlink: each link made (idempotently) to the node; one in the way is replaced only with
     * RemoveOnStop=. A link that cannot be made is not fatal: its warning is returned.
     */
    static List<String> symlinks(SocketSetup s) {
        List<String> warnings = new ArrayList<>();
        Path target = symlinkTarget(s);
        if (target == null) return warnings;
        for (String l : s.symlinks()) {
            Path link = Path.of(l);
            try {
                parents(link, s.directoryMode());
                if (!pointsAt(link, target)) {
                    if (Files.exists(link, LinkOption.NOFOLLOW_LINKS) && s.removeOnStop()) Files.delete(link);
                    Files.createSymbolicLink(link, target);
                }
            } catch (IOException | UnsupportedOperationException e) {
                warnings.add("cannot make the symlink " + link + " -> " + target + ": " + e.getMessage());
            }
        }
        return warnings;
    }

    private static boolean pointsAt(Path link, Path target) throws IOException {
        return Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target);
    }

    /** RemoveOnStop=: the socket and FIFO nodes and the symlinks go (socket_close_fds). */
    static void remove(SocketSetup s) {
        if (!s.removeOnStop()) return;
        for (SocketPort p : s.ports()) if (p.family() == SocketPort.Family.PATH) delete(Path.of(p.path()));
        for (String l : s.symlinks()) delete(Path.of(l));
    }

    private static void delete(Path p) {
        try {
            if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // gone or not ours to remove: systemd ignores unlink's errors too
        }
    }
}
