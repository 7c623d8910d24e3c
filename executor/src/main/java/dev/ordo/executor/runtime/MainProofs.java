package dev.ordo.executor.runtime;

import dev.ordo.executor.posix.ProcessFacts;
import dev.ordo.executor.posix.ProcessIdentity;
import dev.ordo.executor.posix.StartInstants;
import dev.ordo.planner.engine.JobState;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * What {@code state.json} keeps of each main process ({@link SupervisorState.Proof}), whoever it is: the
 * process ordo spawned, the daemon a {@code ready: fork|forking|daemon} launcher left, or an adopted one. Its
 * start time comes from where the pid is surely its own (the process table, which has not reaped it; or the
 * adoption, which checked it); its uid and executable are read from {@code /proc} against that start time.
 * They are read again when the instance's state changes: at its spawn a process may still be its trampoline
 * ({@code sh} for a umask, {@code setpriv} for a user) on the way to the job's own program. Loop thread only.
 */
final class MainProofs {

    /** What is saved of a main process. */
    record Saved(Instant started, SupervisorState.Proof proof) {
    }

    private record Seen(long ticks, JobState state, Saved saved) {
    }

    /** The identity of a spawned or followed process not yet reaped, or null. */
    private final IntFunction<ProcessIdentity> table;
    private final Map<Integer, ProcessIdentity> adopted = new HashMap<>();
    private final Map<Integer, Seen> seen = new HashMap<>();

    MainProofs(IntFunction<ProcessIdentity> table) {
        this.table = table;
    }

    /** An adopted process: not in the process table, its identity is the one checked at the adoption. */
    void adopted(ProcessIdentity id) {
        adopted.put(id.pid(), id);
    }

    /** The process ended: whatever gets its pid next is another. */
    void forget(int pid) {
        adopted.remove(pid);
        seen.remove(pid);
    }

    /** What to save of main process {@code pid} of an instance now in {@code state}; null when its start time is unknown. */
    Saved of(int pid, JobState state, String invocation) {
        ProcessIdentity id = adopted.containsKey(pid) ? adopted.get(pid) : table.apply(pid);
        if (id == null) return null;
        Seen s = seen.get(pid);
        if (s != null && s.ticks() == id.startTime() && s.state() == state) return s.saved();
        ProcessFacts f = ProcessFacts.read(pid);
        boolean same = f != null && f.startTime() == id.startTime();
        Instant started = StartInstants.of(id.startTime());
        if (started == null) started = Adoption.startInstant(pid);
        Saved saved = new Saved(started, new SupervisorState.Proof(id.startTime(), same ? f.uid() : -1, same ? f.exe() : null,
                invocation));
        seen.put(pid, new Seen(id.startTime(), state, saved));
        return saved;
    }
}
