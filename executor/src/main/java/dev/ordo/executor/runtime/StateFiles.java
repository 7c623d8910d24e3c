package dev.ordo.executor.runtime;

import dev.ordo.executor.control.ControlClient;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files of a state directory (docs/control.md):
 * <pre>
 * lock             held by the running supervisor; holds its pid
 * control/socket   the control socket (directory 0700, socket 0600)
 * logs/JOB.log     a job's output (console: log), rotated to JOB.log.1 … JOB.log.N
 * state.json       the supervisor's state, replaced atomically
 * state.json.prev  its previous good copy, read when the newest cannot be
 * history.jsonl    start durations, read by `ordo plan --learned`
 * </pre>
 */
public record StateFiles(Path dir) {

    public Path lock() {
        return dir.resolve("lock");
    }

    public Path socket() {
        return ControlClient.socketIn(dir);
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path state() {
        return dir.resolve("state.json");
    }

    public Path history() {
        return dir.resolve("history.jsonl");
    }

    /**
     * Creates the directory and {@code logs/} if they are missing, mode 0700 (the logs may hold what the
     * jobs print, which is nobody else's business); existing directories keep their mode.
     */
    public StateFiles prepare() throws IOException {
        ensure(dir);
        ensure(logs());
        trust();
        return this;
    }

    /**
     * Refuses a state directory that someone else could change under the supervisor, as OpenSSH's
     * StrictModes does: the directory, {@code logs/} and {@code control/} must be this user's and not
     * writable by group or others, and nothing in them may be a link or another user's file. Else a
     * planted {@code logs/j.log} link makes a root supervisor append job output to any file, and a forged
     * state.json makes it adopt, then kill, an unrelated process.
     */
    void trust() throws IOException {
        int me = ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue();
        for (Path d : new Path[] {dir, logs(), dir.resolve("control")}) {
            if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) continue;
            check(d, me);
            try (var entries = Files.list(d)) {
                for (Path p : (Iterable<Path>) entries::iterator) {
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) continue; // logs/, control/: checked as dirs
                    check(p, me);
                }
            }
        }
    }

    private static void check(Path p, int me) throws IOException {
        if (Files.isSymbolicLink(p)) {
            throw new IOException(p + " is a link: the state directory's files must be its own (remove it)");
        }
        int owner = ((Number) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).intValue();
        int mode = ((Number) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS)).intValue();
        if (owner != me) {
            throw new IOException(p + " belongs to uid " + owner + ", not to this user (uid " + me + "): the state"
                    + " directory is trusted only when nobody else can change it");
        }
        if ((mode & 0022) != 0) {
            throw new IOException(p + " is writable by " + ((mode & 0020) != 0 ? "its group" : "others") + " (mode "
                    + String.format("%04o", mode & 07777) + "): the state directory is trusted only when nobody else can"
                    + " change it; chmod go-w " + p);
        }
    }

    private static void ensure(Path d) throws IOException {
        if (Files.isDirectory(d)) return;
        if (d.getParent() != null) Files.createDirectories(d.getParent());
        try {
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(d)) throw new IOException(d + " is in the way: it is not a directory");
        }
    }
}
