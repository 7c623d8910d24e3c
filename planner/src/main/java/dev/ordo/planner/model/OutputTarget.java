package dev.ordo.planner.model;

/**
 * Where one of a process's output streams goes when the unit says so (systemd.exec(5), {@code StandardOutput=}
 * and {@code StandardError=}); a job that says nothing writes both to what its {@link Console} names.
 *
 * @param path the file, for {@link Destination#FILE}, {@link Destination#APPEND} and {@link Destination#TRUNCATE}; null otherwise
 */
public record OutputTarget(Destination kind, String path) {

    /** The five places ordo tells apart. */
    public enum Destination {
        /** The job's own log (its {@link Console}): what systemd's journal, syslog, kmsg, tty and console become. */
        JOB_LOG,
        /** {@code /dev/null} ({@code null}; also {@code inherit} for standard output, whose standard input is null). */
        DISCARD,
        /** {@code file:PATH}: opened for writing from its start, created if missing, not truncated. */
        FILE,
        /** {@code append:PATH}: opened for appending, created if missing. */
        APPEND,
        /** {@code truncate:PATH}: truncated when opened, created if missing. */
        TRUNCATE
    }

    public static final OutputTarget JOB_LOG = new OutputTarget(Destination.JOB_LOG, null);
    public static final OutputTarget DISCARD = new OutputTarget(Destination.DISCARD, null);

    public OutputTarget {
        if ((path != null) != (kind == Destination.FILE || kind == Destination.APPEND || kind == Destination.TRUNCATE)) {
            throw new IllegalArgumentException(kind + " with path " + path);
        }
    }

    /** As systemd writes it: {@code journal}, {@code null}, {@code append:/var/log/x.log}. */
    public String text() {
        return switch (kind) {
            case JOB_LOG -> "journal";
            case DISCARD -> "null";
            case FILE -> "file:" + path;
            case APPEND -> "append:" + path;
            case TRUNCATE -> "truncate:" + path;
        };
    }
}
