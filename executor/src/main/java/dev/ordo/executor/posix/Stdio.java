package dev.ordo.executor.posix;

import java.nio.file.Path;

/** Where a process's stdout and stderr go; stdin is always {@code /dev/null}. */
public sealed interface Stdio {

    /** How {@link ToFile} opens its file (systemd.exec(5): {@code file:}, {@code append:}, {@code truncate:}). */
    enum FileMode {
        /** Written from its start, not truncated. */
        OVERWRITE,
        APPEND,
        TRUNCATE
    }

    /** Both to a file the unit names, opened by the child before the program runs (so as root, as systemd does). */
    record ToFile(Path file, FileMode mode) implements Stdio {
    }

    /**
     * Standard output to {@code out} and standard error to {@code err}, or to the same open file as standard
     * output when {@code err} is null (systemd's {@code StandardError=inherit}). Neither is itself split.
     */
    record Split(Stdio out, Stdio err) implements Stdio {
        public Split {
            if (out instanceof Split || err instanceof Split) throw new IllegalArgumentException("nested split");
        }
    }

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
