package dev.ordo.executor.posix;

import dev.ordo.planner.model.Phase;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ordo writes into the environment of every process it starts for a job, so that the process can be
 * told apart later without cgroups: by a supervisor started after a crash (even with its state file lost),
 * and by a stop that must reach every process of one start. The environment survives fork, setsid and
 * exec, and {@code /proc/PID/environ} shows it to root and to the process's own user only.
 *
 * <pre>
 * UPSTART_JOB=getty                  the job (the engine gives every process these two, as Upstart does)
 * UPSTART_INSTANCE=tty1              the instance, empty for a singleton
 * INVOCATION_ID=3f2a…                one start of it: 128 random bits, as systemd gives every service
 * ORDO_PROCESS=main                  which of its processes: condition, pre-start, main, post-start, …
 * ORDO_SUPERVISOR=/var/lib/ordo      which supervisor: its state directory
 * </pre>
 *
 * <p>A process can give its children any environment it likes, so a mark is a claim, never a proof:
 * whoever reads one also checks what the process cannot forge (its uid, its start time; see
 * {@code runtime.Inheritance}).
 *
 * @param supervisor the state directory of the supervisor that started the process
 * @param invocation 32 lowercase hex digits
 */
public record ProcessMark(String supervisor, String job, String instance, Phase phase, String invocation) {

    public static final String JOB = "UPSTART_JOB";
    public static final String INSTANCE = "UPSTART_INSTANCE";
    public static final String INVOCATION = "INVOCATION_ID";
    public static final String PROCESS = "ORDO_PROCESS";
    public static final String SUPERVISOR = "ORDO_SUPERVISOR";

    /** The variables the runtime adds at a spawn; the job and instance are the engine's already. */
    public Map<String, String> variables() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(INVOCATION, invocation);
        m.put(PROCESS, phase.processName());
        m.put(SUPERVISOR, supervisor);
        return m;
    }

    /** The {@code K=V} entry that every process of this start carries, and only those. */
    public String invocationEntry() {
        return INVOCATION + "=" + invocation;
    }

    /** Whether {@code kv} is one of the variables the runtime adds (not part of an instance's own environment). */
    public static boolean isAdded(String kv) {
        return kv.startsWith(INVOCATION + "=") || kv.startsWith(PROCESS + "=") || kv.startsWith(SUPERVISOR + "=");
    }

    /** Whether {@code id} has the form of an invocation id (what ordo and systemd make). */
    public static boolean isInvocation(String id) {
        if (id == null || id.length() != 32) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) return false;
        }
        return true;
    }

    /**
     * The mark in a NUL-separated environment ({@code /proc/PID/environ}), or null when any part is
     * missing or malformed. As {@code getenv} does, the first entry of a name counts.
     */
    public static ProcessMark parse(byte[] environ) {
        Map<String, String> seen = new LinkedHashMap<>();
        int from = 0;
        for (int i = 0; i <= environ.length; i++) {
            if (i < environ.length && environ[i] != 0) continue;
            if (i > from) {
                String kv = new String(environ, from, i - from, StandardCharsets.UTF_8);
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    String k = kv.substring(0, eq);
                    if (k.equals(JOB) || k.equals(INSTANCE) || k.equals(INVOCATION) || k.equals(PROCESS) || k.equals(SUPERVISOR)) {
                        seen.putIfAbsent(k, kv.substring(eq + 1));
                    }
                }
            }
            from = i + 1;
        }
        String job = seen.get(JOB);
        String instance = seen.get(INSTANCE);
        String invocation = seen.get(INVOCATION);
        String supervisor = seen.get(SUPERVISOR);
        Phase phase = phase(seen.get(PROCESS));
        if (job == null || job.isEmpty() || instance == null || supervisor == null || supervisor.isEmpty() || phase == null
                || !isInvocation(invocation)) {
            return null;
        }
        return new ProcessMark(supervisor, job, instance, phase, invocation);
    }

    private static Phase phase(String name) {
        for (Phase p : Phase.values()) if (p.processName().equals(name)) return p;
        return null;
    }
}
