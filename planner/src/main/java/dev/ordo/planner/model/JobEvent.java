package dev.ordo.planner.model;

import java.util.List;

/** The four events every job instance emits (U§1.6), and the variables they carry. */
public enum JobEvent {
    STARTING("starting", true),
    STARTED("started", false),
    STOPPING("stopping", true),
    STOPPED("stopped", false);

    /** Variables of {@code stopping}/{@code stopped} after JOB and INSTANCE, in order of appearance. */
    public static final List<String> RESULT_VARIABLES =
            List.of("RESULT", "PROCESS", "EXIT_STATUS", "EXIT_SIGNAL");

    private final String eventName;
    private final boolean blocking;

    JobEvent(String eventName, boolean blocking) {
        this.eventName = eventName;
        this.blocking = blocking;
    }

    public String eventName() {
        return eventName;
    }

    /** {@code starting} and {@code stopping} hold their job until what they affected is at rest. */
    public boolean blocking() {
        return blocking;
    }

    public boolean carriesResult() {
        return this == STOPPING || this == STOPPED;
    }

    /** The variables this event carries, before any exported ones. */
    public List<String> variables() {
        return carriesResult()
                ? List.of("JOB", "INSTANCE", "RESULT", "PROCESS", "EXIT_STATUS", "EXIT_SIGNAL")
                : List.of("JOB", "INSTANCE");
    }

    public static JobEvent of(String name) {
        for (JobEvent e : values()) {
            if (e.eventName.equals(name)) return e;
        }
        return null;
    }

    public static boolean isJobEvent(String name) {
        return of(name) != null;
    }
}
