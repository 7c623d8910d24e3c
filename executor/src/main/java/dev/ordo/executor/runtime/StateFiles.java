package dev.ordo.executor.runtime;

import dev.ordo.executor.control.ControlClient;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The files of a state directory (docs/control.md):
 * <pre>
 * lock             held by the running supervisor; holds its pid
 * control/socket   the control socket (directory 0700, socket 0600)
 * logs/JOB.log     a job's output (console: log), rotated to JOB.log.1 … JOB.log.N
 * state.json       the supervisor's state, replaced atomically
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
        return this;
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
