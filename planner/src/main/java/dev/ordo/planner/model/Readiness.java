package dev.ordo.planner.model;

import java.time.Duration;

/** When a service counts as up after its main process was spawned (SEMANTICS §2). */
public sealed interface Readiness {

    /** Default timeout of a probe. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    /** The name used in ordo.yaml. */
    String mode();

    /**
     * The main process itself says when it is ready (a fork, a SIGSTOP, {@code READY=1}): until then
     * it is not up, and a stop does not wait for a signal that may never come.
     */
    default boolean waitsForSignal() {
        return false;
    }

    /** Readiness is a probe the supervisor runs once the main process is there (tcp, exec, log). */
    default boolean isProbe() {
        return false;
    }

    /** How long a probe may take to succeed: its own timeout, or {@link #DEFAULT_TIMEOUT}. */
    default Duration probeTimeout() {
        return DEFAULT_TIMEOUT;
    }

    /** How many forks of the main process are followed to the service; 0 when none is. */
    default int forksFollowed() {
        return 0;
    }

    /** Up as soon as exec succeeded. */
    record None() implements Readiness {
        public String mode() {
            return "none";
        }
    }

    /** The main process forks once (Upstart's {@code expect fork}); the child is the service. */
    record Fork() implements Readiness {
        public String mode() {
            return "fork";
        }

        @Override
        public boolean waitsForSignal() {
            return true;
        }

        @Override
        public int forksFollowed() {
            return 1;
        }
    }

    /**
     * systemd's {@code Type=oneshot} with {@code RemainAfterExit=yes}: up when the main process (its last
     * {@code ExecStart=} line) has exited successfully, and up from then on with no process, until stopped
     * ("active (exited)"). A failing exit fails the start.
     */
    record UpOnExit() implements Readiness {
        public String mode() {
            return "exited";
        }

        @Override
        public boolean waitsForSignal() {
            return true;
        }
    }

    /**
     * systemd's {@code Type=forking}: the main process exits once the service is ready, leaving it
     * running; readiness is that exit, not the fork (Upstart's {@code expect fork} counts the fork).
     *
     * @param pidFile where the daemon writes its pid ({@code PIDFile=}), read when the launcher exits; null
     *     to take the process the launcher left (systemd's {@code GuessMainPID=})
     */
    record Forking(String pidFile) implements Readiness {
        public Forking() {
            this(null);
        }

        public String mode() {
            return "forking";
        }

        @Override
        public boolean waitsForSignal() {
            return true;
        }

        @Override
        public int forksFollowed() {
            return 1;
        }
    }

    /** The main process forks twice (a classic daemon). */
    record Daemon() implements Readiness {
        public String mode() {
            return "daemon";
        }

        @Override
        public boolean waitsForSignal() {
            return true;
        }

        @Override
        public int forksFollowed() {
            return 2;
        }
    }

    /** The process raises SIGSTOP when ready and is sent SIGCONT. */
    record Stop() implements Readiness {
        public String mode() {
            return "stop";
        }

        @Override
        public boolean waitsForSignal() {
            return true;
        }
    }

    /**
     * {@code READY=1} on {@code $NOTIFY_SOCKET}.
     *
     * @param timeout how long the job may take to say so before it fails; null for
     *     {@link #DEFAULT_TIMEOUT} (systemd's {@code TimeoutStartSec=} default)
     */
    record Notify(Duration timeout) implements Readiness {
        /** With the default timeout. */
        public Notify() {
            this(null);
        }

        public String mode() {
            return "notify";
        }

        @Override
        public boolean waitsForSignal() {
            return true;
        }
    }

    /** Up when a TCP connection to host:port succeeds. */
    record Tcp(String host, int port, Duration timeout) implements Readiness {
        public String mode() {
            return "tcp";
        }

        @Override
        public boolean isProbe() {
            return true;
        }

        @Override
        public Duration probeTimeout() {
            return timeout == null ? DEFAULT_TIMEOUT : timeout;
        }
    }

    /** Up when the command exits 0. */
    record Exec(String command, Duration timeout) implements Readiness {
        public String mode() {
            return "exec";
        }

        @Override
        public boolean isProbe() {
            return true;
        }

        @Override
        public Duration probeTimeout() {
            return timeout == null ? DEFAULT_TIMEOUT : timeout;
        }
    }

    /** Up when a line of the job's output matches the regular expression. */
    record Log(String pattern, Duration timeout) implements Readiness {
        public String mode() {
            return "log";
        }

        @Override
        public boolean isProbe() {
            return true;
        }

        @Override
        public Duration probeTimeout() {
            return timeout == null ? DEFAULT_TIMEOUT : timeout;
        }
    }

    Readiness NONE = new None();
}
