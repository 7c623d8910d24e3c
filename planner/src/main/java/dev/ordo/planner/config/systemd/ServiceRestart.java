package dev.ordo.planner.config.systemd;

import static dev.ordo.planner.config.systemd.UnitJobBuilder.DEFAULT_START_LIMIT_BURST;
import static dev.ordo.planner.config.systemd.UnitJobBuilder.DEFAULT_START_LIMIT_INTERVAL;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a service is restarted: Restart=, SuccessExitStatus= and RestartPreventExitStatus= of
 * systemd.service(5), and the start limit (StartLimitBurst=, StartLimitIntervalSec=) of
 * systemd.unit(5), read here and given to the job as its respawn and its normal exits.
 */
final class ServiceRestart {

    static final List<String> RESTARTS = List.of(
            "no", "on-success", "on-failure", "on-abnormal", "on-watchdog", "on-abort", "always");

    /** systemd-system.conf(5)'s DefaultRestartSec=. */
    static final Duration DEFAULT_RESTART_DELAY = Duration.ofMillis(100);

    private final AssignmentValues values;
    private String restart;
    private Source restartSource;
    private Integer burst;
    private Duration interval;
    /** RestartSec=, or null for systemd's default of 100 ms. */
    private Duration delay;
    private final List<ExitStatus> success = new ArrayList<>();
    private final List<ExitStatus> prevent = new ArrayList<>();

    ServiceRestart(AssignmentValues values) {
        this.values = values;
    }

    void startLimitBurst(UnitFile.Assignment a, String v) {
        if (v.isEmpty()) burst = null;
        else burst = values.integer(a, 0, Integer.MAX_VALUE, "StartLimitBurst=");
    }

    void startLimitInterval(UnitFile.Assignment a, String v) {
        if (v.isEmpty()) interval = null;
        else interval = values.duration(a);
    }

    /** RestartSec=: how long after the exit the restart comes. */
    void restartDelay(UnitFile.Assignment a, String v) {
        delay = v.isEmpty() ? null : values.duration(a);
    }

    void restart(UnitFile.Assignment a, String v) {
        if (v.isEmpty()) restart = null;
        else if (RESTARTS.contains(v)) restart = v;
        else {
            values.invalid(a.valueSource(), "invalid Restart= `" + v + "`; systemd ignores it", AssignmentValues.oneOf(v, RESTARTS));
            return;
        }
        restartSource = a.keySource;
    }

    /** SuccessExitStatus= or RestartPreventExitStatus=; an empty value resets the list. */
    void exitStatuses(UnitFile.Assignment a, String key, String v) {
        List<ExitStatus> into = key.equals("SuccessExitStatus") ? success : prevent;
        if (v.isEmpty()) {
            into.clear();
            return;
        }
        for (UnitValues.Word w : UnitValues.words(v, false)) {
            try {
                into.add(UnitValues.exitStatus(w.text()));
            } catch (IllegalArgumentException e) {
                values.invalid(a.at(w.offset()), key + "=: " + e.getMessage() + "; systemd ignores it", null);
            }
        }
    }

    /** The job's respawn and normal exits. */
    void addTo(Job.Builder b) {
        if (restart != null && !restart.equals("no")) {
            int limit = burst != null ? burst : DEFAULT_START_LIMIT_BURST;
            Duration iv = interval != null ? interval : DEFAULT_START_LIMIT_INTERVAL;
            b.respawn(new Respawn(true, limit, iv, restartSource, delay != null ? delay : DEFAULT_RESTART_DELAY));
            if (!restart.equals("always") && !restart.equals("on-success")) {
                // What systemd calls a clean exit never restarts these (systemd.service(5), Restart=).
                b.normalExit(ExitStatus.code(0));
                for (String sig : List.of("HUP", "INT", "TERM", "PIPE")) b.normalExit(ExitStatus.signal(Signal.parse(sig)));
            }
        } else if (burst != null || interval != null) {
            b.respawn(new Respawn(false, burst != null ? burst : DEFAULT_START_LIMIT_BURST,
                    interval != null ? interval : DEFAULT_START_LIMIT_INTERVAL, null));
        }
        for (ExitStatus x : success) b.normalExit(x);
        for (ExitStatus x : prevent) b.normalExit(x);
    }
}
