package dev.ordo.executor.control;

/**
 * What a connection of the control socket holds at a moment, and so which bound it counts against
 * (docs/control.md, "Who may connect, and limits"). The bounds are kept apart so that clients of one
 * kind cannot lock out another: idle connections never keep a command from its answer, and 256 `log -f`
 * do not take the places of `status` and `list`. The order is the order of precedence: a connection
 * with a waiting request and a quick one in flight holds a waiting place.
 */
enum Slot {

    /**
     * Nothing in flight and nothing left to write: a new connection, or one whose requests are all
     * answered and read. Closed after the idle timeout.
     */
    IDLE,

    /** Nothing in flight, but replies the client has not read yet: counts against the total only. */
    DRAINING,

    /**
     * A whole quick request read, waiting for a command place (they were all taken): counts against the
     * total only, and is taken, in the order they came, as soon as a place is free.
     */
    QUEUED,

    /** A request in flight that the supervisor answers at once ({@code status}, {@code list}, {@code --no-wait}). */
    COMMAND,

    /**
     * A request in flight that may take as long as a job does: {@code log -f}, and {@code start},
     * {@code stop}, {@code restart}, {@code emit} that wait, and {@code shutdown}. Never idle.
     */
    WAITING;

    /** The place {@code request} needs while it is in flight. */
    static Slot of(ControlRequest request) {
        if (request.follow() || request.cmd() == ControlRequest.Cmd.SHUTDOWN) return WAITING;
        boolean waitsForJobs = switch (request.cmd()) {
            case START, STOP, RESTART, EMIT -> request.waits();
            default -> false;
        };
        return waitsForJobs ? WAITING : COMMAND;
    }

    /** The place of a connection that holds this one and takes a request needing {@code other}. */
    Slot with(Slot other) {
        return other.compareTo(this) > 0 ? other : this;
    }

    /** Whether the connection has a request in flight. */
    boolean busy() {
        return this == COMMAND || this == WAITING;
    }
}
