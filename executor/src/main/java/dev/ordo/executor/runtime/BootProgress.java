package dev.ordo.executor.runtime;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What a person watching the boot sees, the way an init shows it: one line when a job comes up, fails
 * (at its {@code stopping} with {@code RESULT=failed}), or stops ({@code [  OK  ] Started dbus  0.12s}, {@code [FAILED] Failed to start hal}), read off the
 * jobs' own events (starting, started, stopped) so it says what the engine did, in its order. A job that
 * came up also gets its start duration appended to the history for {@code ordo plan --learned}.
 */
final class BootProgress {

    private static final String GREEN = "\033[32m";
    private static final String RED = "\033[31m";
    private static final String RESET = "\033[0m";

    private final Consumer<String> out;
    private final boolean colour;
    private final Predicate<String> task;
    private final HistoryLog history;
    /** When each instance left for {@code starting} (System.nanoTime), until it came up or failed. */
    private final Map<String, Long> starting = new HashMap<>();

    /**
     * @param task whether a job is a task (up means done, not running)
     * @param history where start durations are added (the supervisor writes them when its loop is idle)
     */
    BootProgress(Consumer<String> out, boolean colour, Predicate<String> task, HistoryLog history) {
        this.out = out;
        this.colour = colour;
        this.task = task;
        this.history = history;
    }

    /** Skipped instances: their stopped event is no news (the supervisor's log said why, once). */
    private final java.util.Set<String> skipped = new java.util.HashSet<>();
    /** Failures already shown at their stopping event: the stopped that follows is no news. */
    private final java.util.Set<String> failedShown = new java.util.HashSet<>();

    /** Adopted instances: the boot announces them as started, which is no news on the screen either. */
    private final java.util.Set<String> adopted = new java.util.HashSet<>();

    /** The instance was adopted after a crash: it did not start now. */
    void adopted(String job, String instance) {
        adopted.add(job + '\0' + instance);
    }

    /** The engine skipped the instance instead of starting it (a condition, the early boot). */
    void skipped(String job, String instance) {
        String key = job + '\0' + instance;
        starting.remove(key);
        skipped.add(key);
    }

    /** One of the engine's events, as it is handled. */
    void event(String name, List<String> env, long nanos) {
        String job = value(env, "JOB");
        if (job == null) return;
        String instance = value(env, "INSTANCE");
        if (instance == null) instance = "";
        String key = job + '\0' + instance;
        String label = ConsoleOutput.label(job, instance);
        boolean isTask = task.test(job);
        switch (name) {
            case "starting" -> {
                starting.put(key, nanos);
                skipped.remove(key);
                failedShown.remove(key);
            }
            case "stopping" -> {
                // Shown when the failure is known, not when the job has stopped: a failure that goes down
                // a chain of requires+after is then shown root cause first, in the order it went, while
                // the jobs stop the other way round (the failed one is ordered first, so it stops last).
                if ("failed".equals(value(env, "RESULT")) && !skipped.contains(key)) {
                    failed(key, label, env);
                    failedShown.add(key);
                }
            }
            case "started" -> {
                if (adopted.remove(key)) return;
                // systemd's words for a socket unit: it is up once it listens.
                if (!isTask) up(key, job, instance, (job.endsWith(".socket") ? "Listening on " : "Started ") + label, nanos);
            }
            case "stopped" -> {
                if (skipped.remove(key)) return;
                if ("failed".equals(value(env, "RESULT"))) {
                    if (!failedShown.remove(key)) failed(key, label, env);
                } else if (isTask && starting.containsKey(key)) {
                    up(key, job, instance, "Finished " + label, nanos);
                } else if (!isTask) {
                    starting.remove(key);
                    out.accept(tag(true) + "Stopped " + label);
                }
            }
            default -> {
                // events that are not a job's: nothing to show
            }
        }
    }

    private void failed(String key, String label, List<String> env) {
        boolean wasStarting = starting.remove(key) != null;
        out.accept(tag(false) + (wasStarting ? "Failed to start " + label : label + " failed") + why(env));
    }

    private void up(String key, String job, String instance, String text, long nanos) {
        Long since = starting.remove(key);
        if (since == null) {
            out.accept(tag(true) + text);
            return;
        }
        double seconds = Math.max(0, (nanos - since) / 1e9);
        out.accept(tag(true) + text + "  " + seconds(nanos - since));
        // Written when the supervisor's loop is idle (Supervisor#flushHistory), all of a burst at once.
        history.add(job, instance, seconds, Instant.now(), "ok");
    }

    /** {@code 0.12s}: hundredths, rounded half up (String.format's Formatter is a real cost at a thousand lines a second). */
    static String seconds(long nanos) {
        long hundredths = (Math.max(0, nanos) + 5_000_000) / 10_000_000;
        long frac = hundredths % 100;
        return (hundredths / 100) + (frac < 10 ? ".0" : ".") + frac + "s";
    }

    private static String why(List<String> env) {
        String process = value(env, "PROCESS");
        String code = value(env, "EXIT_STATUS");
        String signal = value(env, "EXIT_SIGNAL");
        if ("respawn".equals(process)) return " (respawning too fast)";
        // Not processes: the job was not ready in time (READY=1 or a probe), or what it needs failed.
        if ("ready".equals(process)) return " (not ready in time, or its readiness probe failed)";
        if ("dependency".equals(process)) return " (a job it requires failed)";
        if ("assert".equals(process)) return " (an assert did not hold)";
        if ("listen".equals(process)) return " (its sockets could not be opened)";
        if ("trigger-limit".equals(process)) return " (activated too often: trigger limit hit)";
        if (process == null) return "";
        String p = process + " process";
        if (code != null) return " (" + p + " exited with status " + code + ")";
        if (signal != null) return " (" + p + " killed by SIG" + signal + ")";
        return " (" + p + ")";
    }

    private String tag(boolean ok) {
        if (ok) return colour ? "[  " + GREEN + "OK" + RESET + "  ] " : "[  OK  ] ";
        return colour ? "[" + RED + "FAILED" + RESET + "] " : "[FAILED] ";
    }

    static String value(List<String> env, String key) {
        String prefix = key + "=";
        for (String e : env) if (e.startsWith(prefix)) return e.substring(prefix.length());
        return null;
    }
}
