package dev.ordo.executor.posix;

import java.nio.file.Path;

/** Where a process's stdout and stderr go; stdin is always {@code /dev/null}. */
public sealed interface Stdio {

    /** Both to {@code /dev/null} (console: none). */
    record Discard() implements Stdio {
    }

    /** Both appended to a file, created 0640 if missing (console: log). */
    record Append(Path file) implements Stdio {
    }

    /** Both onto an open descriptor of the supervisor, e.g. a pipe it reads (console: output). */
    record Fd(int fd) implements Stdio {
    }

    Stdio DISCARD = new Discard();

    static Stdio append(Path file) {
        return new Append(file);
    }

    static Stdio fd(int fd) {
        return new Fd(fd);
    }
}
