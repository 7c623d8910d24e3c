package dev.ordo.planner.model;

import java.time.Duration;

/** When a service counts as up after its main process was spawned (SEMANTICS §2). */
public sealed interface Readiness {

    /** Default timeout of a probe. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    /** The name used in ordo.yaml. */
    String mode();

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
    }

    /**
     * systemd's {@code Type=forking}: the main process exits once the service is ready, leaving it
     * running; readiness is that exit, not the fork (Upstart's {@code expect fork} counts the fork).
     */
    record Forking() implements Readiness {
        public String mode() {
            return "forking";
        }
    }

    /** The main process forks twice (a classic daemon). */
    record Daemon() implements Readiness {
        public String mode() {
            return "daemon";
        }
    }

    /** The process raises SIGSTOP when ready and is sent SIGCONT. */
    record Stop() implements Readiness {
        public String mode() {
            return "stop";
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
    }

    /** Up when a TCP connection to host:port succeeds. */
    record Tcp(String host, int port, Duration timeout) implements Readiness {
        public String mode() {
            return "tcp";
        }
    }

    /** Up when the command exits 0. */
    record Exec(String command, Duration timeout) implements Readiness {
        public String mode() {
            return "exec";
        }
    }

    /** Up when a line of the job's output matches the regular expression. */
    record Log(String pattern, Duration timeout) implements Readiness {
        public String mode() {
            return "log";
        }
    }

    Readiness NONE = new None();
}
