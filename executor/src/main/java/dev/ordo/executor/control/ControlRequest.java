package dev.ordo.executor.control;

import dev.ordo.planner.engine.Input;
import java.util.List;
import java.util.Locale;

/**
 * One request on the control socket (docs/control.md).
 *
 * @param id the client's number for the request; every reply to it carries it back
 * @param cmd what to do
 * @param name the job ({@code start}, {@code stop}, {@code restart}, {@code status}, {@code reload}, {@code log}) or the
 *     event ({@code emit}); null for the other commands, and for "my own job" with a {@code caller}
 * @param instance the instance, or null to expand the job's instance template against {@code env}
 * @param env {@code K=V} arguments, as the user gave them (the engine checks their form)
 * @param waits false for {@code --no-wait}
 * @param follow {@code log -f}: stream new lines until the client goes away
 * @param lines {@code log}: at most this many of the last lines, or -1 for all that are kept
 * @param caller the job instance the client runs inside ({@code $UPSTART_JOB}, which the engine gives every process of a job), or null
 * @param json the answer as JSON ({@code --format json}: the status of each instance as an object) rather than
 *     initctl's text
 */
public record ControlRequest(long id, Cmd cmd, String name, String instance, List<String> env, boolean waits,
                      boolean follow, int lines, Input.Caller caller, boolean json) {

    public ControlRequest(long id, Cmd cmd, String name, String instance, List<String> env, boolean waits,
                          boolean follow, int lines, Input.Caller caller) {
        this(id, cmd, name, instance, env, waits, follow, lines, caller, false);
    }

    /** This request, answered in JSON. */
    public ControlRequest asJson() {
        return new ControlRequest(id, cmd, name, instance, env, waits, follow, lines, caller, true);
    }

    /** The client commands, with the word used on the wire. */
    public enum Cmd {
        START, STOP, RESTART, STATUS, LIST, EMIT, RELOAD, LOG, SHUTDOWN;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The command for a wire word, or null. */
        public static Cmd of(String word) {
            for (Cmd c : values()) if (c.word().equals(word)) return c;
            return null;
        }

        /** The commands the engine answers itself ({@link #toCommand}); the runtime answers the others. */
        public boolean engine() {
            return this != RELOAD && this != LOG && this != SHUTDOWN;
        }
    }

    /**
     * Whether the engine answers this request: its commands, and {@code reload} of a job (a signal
     * to the job's main process); {@code reload} without a job re-reads the configuration, which the
     * runtime does.
     */
    public boolean forEngine() {
        return cmd.engine() || (cmd == Cmd.RELOAD && name != null);
    }

    public ControlRequest {
        env = env == null ? List.of() : List.copyOf(env);
    }

    public static ControlRequest of(long id, Cmd cmd, String name) {
        return new ControlRequest(id, cmd, name, null, List.of(), true, false, -1, null);
    }

    /**
     * The engine's form of this request, answered by exactly one {@code Effect.Reply} for
     * {@code engineRequest} (which the runtime picks so that it is unique across connections).
     *
     * @throws IllegalStateException for {@code reload}, {@code log} and {@code shutdown}, which the runtime
     *     answers itself
     */
    public Input.Command toCommand(long engineRequest) {
        Input.Verb verb;
        switch (cmd) {
            case START -> verb = Input.Verb.START;
            case STOP -> verb = Input.Verb.STOP;
            case RESTART -> verb = Input.Verb.RESTART;
            case STATUS -> verb = Input.Verb.STATUS;
            case LIST -> verb = Input.Verb.LIST;
            case EMIT -> verb = Input.Verb.EMIT;
            case RELOAD -> {
                if (name == null) throw new IllegalStateException("reload without a job is not an engine command");
                verb = Input.Verb.RELOAD;
            }
            default -> throw new IllegalStateException(cmd.word() + " is not an engine command");
        }
        return new Input.Command(engineRequest, verb, name, instance, env, waits, caller);
    }
}
