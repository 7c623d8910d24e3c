package dev.ordo.planner.engine;

import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Phase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commands and their replies (U§2.5, Upstart's control interface): emit, start, stop, restart, reload,
 * status, list and shutdown, with initctl's answers and status lines.
 */
final class Commands {

    private final Engine engine;

    Commands(Engine engine) {
        this.engine = engine;
    }

    void command(Input.Command c) {
        for (String kv : c.env()) {
            if (kv.indexOf('=') <= 0) {
                engine.out.reply(c.request(), false, "Env must be KEY=VALUE pairs");
                return;
            }
        }
        switch (c.verb()) {
            case EMIT -> {
                if (c.name() == null || c.name().isEmpty()) {
                    engine.out.reply(c.request(), false, "missing event name");
                    return;
                }
                Event e = engine.queue.queue(c.name(), c.env());
                if (c.caller() != null) e.producer = engine.registry.find(c.caller().job(), c.caller().instance());
                if (c.waits()) e.emitRequests.add(c.request());
                else engine.out.reply(c.request(), true, "");
            }
            case SHUTDOWN -> engine.shutdown.shutdown(c.request());
            case LIST -> {
                StringBuilder b = new StringBuilder();
                List<JobStatus> all = new ArrayList<>();
                for (JobClass k : engine.registry.classes) {
                    if (k.instances.isEmpty()) {
                        line(b, atRest(k));
                        all.add(atRestStatus(k));
                    } else {
                        for (Instance i : k.instances.values()) {
                            line(b, statusLine(i));
                            all.add(status(i));
                        }
                    }
                }
                engine.out.reply(c.request(), b.toString(), all);
            }
            default -> jobCommand(c);
        }
    }

    /** The status of a job with no instance: {@code name stop/waiting}, and why its last one ended. */
    private static String atRest(JobClass k) {
        return k.name + " stop/waiting" + (k.lastFailure == null ? "" : ", " + k.lastFailure);
    }

    private static JobStatus atRestStatus(JobClass k) {
        // lastFailure is as the text has it: "failed: why", "skipped: why", or another reason it is not running.
        String last = k.lastFailure;
        boolean skipped = last != null && last.startsWith("skipped: ");
        String failed = last == null || skipped ? null : last.startsWith("failed: ") ? last.substring(8) : last;
        return new JobStatus(k.name, k.name, "", JobGoal.STOP, JobState.WAITING, k.removed, Map.of(), failed,
                skipped ? last.substring(9) : null);
    }

    /** {@link #statusLine}'s facts as data. */
    static JobStatus status(Instance inst) {
        Map<String, Integer> processes = new LinkedHashMap<>();
        for (Phase p : Phase.values()) if (inst.pid[p.ordinal()] > 0) processes.put(p.processName(), inst.pid[p.ordinal()]);
        return new JobStatus(inst.displayName(), inst.cls.name, inst.name, inst.goal, inst.state, inst.cls.removed, processes,
                inst.failure, inst.skipText);
    }

    private static void line(StringBuilder b, String s) {
        if (b.length() > 0) b.append('\n');
        b.append(s);
    }

    /**
     * Upstart says {@code Unknown instance: } with nothing after it for a singleton that is not running,
     * which reads like a bug: ordo says the job is not running, and names the instance otherwise.
     */
    private static String unknownInstance(JobClass cls, String name) {
        if (name.isEmpty() && cls.job.instance() == null) return "Job is not running: " + cls.name;
        if (name.isEmpty()) return "Unknown instance: " + cls.name + " has no instance named by an empty "
                + cls.job.instance().text() + "; give the variables that name one";
        return "Unknown instance: " + name;
    }

    private void jobCommand(Input.Command c) {
        boolean own = c.name() == null && c.caller() != null;
        String jobName = own ? c.caller().job() : c.name();
        if (jobName == null || jobName.isEmpty()) {
            engine.out.reply(c.request(), false, "missing job name");
            return;
        }
        JobClass cls = engine.registry.named(jobName);
        Instance byUnitName = cls == null && c.instance() == null ? engine.registry.templateInstance(jobName) : null;
        if (byUnitName != null) {
            cls = byUnitName.cls;
            c = c.instance(byUnitName.name);
        }
        if (cls == null || (cls.removed && (c.verb() == Input.Verb.START || c.verb() == Input.Verb.RESTART))) {
            // A removed job that is still stopping is shown, and may be stopped, but is no longer a job to start.
            engine.out.reply(c.request(), false, "Unknown job: " + jobName);
            return;
        }
        // From inside a job, a command about the job itself never waits: it would wait on itself.
        boolean wait = c.waits() && !own;
        Map<String, String> env = new LinkedHashMap<>(cls.env);
        Map<String, String> given = new LinkedHashMap<>();
        for (String kv : c.env()) {
            int eq = kv.indexOf('=');
            given.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        env.putAll(given);
        String name;
        if (own) {
            name = c.caller().instance() == null ? "" : c.caller().instance();
        } else if (c.instance() != null) {
            name = c.instance();
        } else {
            try {
                name = Registry.instanceName(cls, env);
            } catch (Expansion.UnknownVariable u) {
                engine.out.reply(c.request(), false, u.getMessage());
                return;
            }
        }
        Instance inst = cls.instances.get(name);
        if (engine.shutdown.shuttingDown && (c.verb() == Input.Verb.START || c.verb() == Input.Verb.RESTART)) {
            String what = name.isEmpty() ? cls.name : cls.name + " (" + name + ")";
            engine.out.reply(c.request(), false, "Shutting down, not starting " + what);
            return;
        }
        switch (c.verb()) {
            case STATUS -> {
                if (inst != null) engine.out.reply(c.request(), statusLine(inst), List.of(status(inst)));
                else if (cls.job.instance() == null) engine.out.reply(c.request(), atRest(cls), List.of(atRestStatus(cls)));
                else engine.out.reply(c.request(), false, unknownInstance(cls, name));
            }
            case START -> {
                if (inst != null && inst.goal != JobGoal.STOP) {
                    engine.out.reply(c.request(), false, "Job is already running: " + inst.displayName());
                    return;
                }
                // Requisites are not started: one that is neither up nor pulled in by this start refuses it.
                JobClass missing = engine.relations.missingRequisite(cls, Relations.pullClosure(cls));
                if (missing != null) {
                    engine.out.reply(c.request(), false, "Job failed to start: " + cls.name + " needs " + missing.name
                            + " running (requisite), and it is not; start " + missing.name + " first");
                    return;
                }
                inst = engine.registry.instanceOf(cls, name);
                inst.startEnv = env;
                engine.lifecycle.jobFinished(inst, false);
                if (wait) inst.blocking.add(new Instance.Waiter(c.request(), Input.Verb.START));
                engine.lifecycle.changeGoal(inst, JobGoal.START, Lifecycle.Cause.EXPLICIT);
                if (!wait) engine.out.reply(c.request(), true, statusText(inst));
            }
            case STOP, RESTART -> {
                if (inst == null) {
                    engine.out.reply(c.request(), false, unknownInstance(cls, name));
                    return;
                }
                if (inst.goal == JobGoal.STOP) {
                    engine.out.reply(c.request(), false, "Job has already been stopped: " + inst.displayName());
                    return;
                }
                if (c.verb() == Input.Verb.STOP) {
                    inst.stopEnv = given;
                } else {
                    inst.startEnv = env;
                    inst.stopEnv = null;
                }
                engine.lifecycle.jobFinished(inst, false);
                if (wait) inst.blocking.add(new Instance.Waiter(c.request(), c.verb()));
                if (c.verb() == Input.Verb.STOP) engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.EXPLICIT);
                else engine.relations.restart(inst);
                if (!wait) engine.out.reply(c.request(), true, statusText(inst));
            }
            case RELOAD -> {
                if (inst == null) {
                    engine.out.reply(c.request(), false, unknownInstance(cls, name));
                    return;
                }
                int main = inst.pid[Phase.MAIN.ordinal()];
                boolean up = inst.goal == JobGoal.START && inst.state == JobState.RUNNING;
                if (inst.job.processes().containsKey(Phase.RELOAD) && up) {
                    engine.processes.reload(inst, c.request());
                    return;
                }
                if (main <= 0) {
                    engine.out.reply(c.request(), false, "Job is not running: " + inst.displayName());
                    return;
                }
                // Upstart signals the main process only, not its group: a daemon re-reads its
                // configuration; its workers hear of it from it.
                engine.out.add(new Effect.SendSignal(main, false, inst.job.kill().reload()));
                engine.out.reply(c.request(), true, statusText(inst));
            }
            default -> throw new IllegalStateException(c.verb().name());
        }
    }

    /**
     * initctl's status line: {@code name (instance) goal/state, process PID}, then a tab-indented
     * line for each further process. The main process comes first; a post-start or pre-stop process
     * shown on the first line is named in parentheses.
     */
    static String statusText(Instance inst) {
        StringBuilder b = new StringBuilder(inst.displayName()).append(' ').append(inst.goal.word()).append('/')
                .append(inst.state.word());
        if (inst.cls.removed) b.append(" (removed)");
        boolean first = true;
        for (Phase p : List.of(Phase.MAIN, Phase.CONDITION, Phase.PRE_START, Phase.POST_START, Phase.PRE_STOP, Phase.POST_STOP)) {
            int pid = inst.pid[p.ordinal()];
            if (pid <= 0) continue;
            if (first) {
                if (p == Phase.CONDITION || p == Phase.POST_START || p == Phase.PRE_STOP) b.append(", (").append(p.processName()).append(") process ");
                else b.append(", process ");
                b.append(pid);
                first = false;
            } else {
                b.append("\n\t").append(p.processName()).append(" process ").append(pid);
            }
        }
        return b.toString();
    }

    /** {@code , skipped: why} for an instance whose start was skipped, or nothing. */
    static String skippedSuffix(Instance inst) {
        return inst.skipText == null ? "" : ", skipped: " + inst.skipText;
    }

    /** {@code status}'s line: {@link #statusText}, and why the instance failed or was skipped when it was. */
    private static String statusLine(Instance inst) {
        String t = statusText(inst);
        String why = failedSuffix(inst.failure) + skippedSuffix(inst);
        if (why.isEmpty()) return t;
        int nl = t.indexOf('\n');
        return nl < 0 ? t + why : t.substring(0, nl) + why + t.substring(nl);
    }

    private static String failedSuffix(String failure) {
        return failure == null ? "" : ", failed: " + failure;
    }
}
