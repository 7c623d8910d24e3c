package dev.ordo.executor.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * {@code ready: {log: REGEX}}: the instance is ready when a line of its output matches. The watch begins
 * when the main process is spawned, not when the engine starts the probe (after post-start), so a line
 * printed in between is not missed; it passes only once the probe is active. Lines come from the
 * process's output pipe ({@link #sink}), on the output pipes' thread.
 */
final class LogProbes {

    private static final class Watch {
        final Pattern pattern;
        final Runnable passed;
        boolean matched;
        boolean active;
        boolean told;

        Watch(Pattern pattern, Runnable passed) {
            this.pattern = pattern;
            this.passed = passed;
        }

        synchronized void line(String line) {
            if (!matched && pattern.matcher(line).find()) {
                matched = true;
                tell();
            }
        }

        synchronized void activate() {
            active = true;
            tell();
        }

        private void tell() {
            if (matched && active && !told) {
                told = true;
                passed.run();
            }
        }
    }

    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    /** Watches {@code key}'s lines for {@code pattern} (found anywhere in a line); replaces an earlier watch. */
    void watch(String key, Pattern pattern, Runnable passed) {
        watches.put(key, new Watch(pattern, passed));
    }

    boolean watching(String key) {
        return watches.containsKey(key);
    }

    /** Where the main process's output goes for the watch of {@code key}, besides its log or the console. */
    OutputSink sink(String key) {
        return new LineSplitter(JobLog.MAX_LINE, l -> line(key, l));
    }

    /** A line of {@code key}'s output. */
    void line(String key, String line) {
        Watch w = watches.get(key);
        if (w != null) w.line(line);
    }

    /** The engine started the probe: a line already seen passes it now. */
    void activate(String key) {
        Watch w = watches.get(key);
        if (w != null) w.activate();
    }

    void stop(String key) {
        watches.remove(key);
    }
}
