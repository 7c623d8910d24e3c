package dev.ordo.planner.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ordo.planner.config.EventExprParser;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Drives an engine by hand in example tests: a fake clock, pids handed out in order, every effect kept. */
final class Harness {

    static final Source AT = new Source("test.yaml", 1, 1);

    long now = 1_000_000;
    final Engine engine;
    final List<Effect> all = new ArrayList<>();
    List<Effect> last = List.of();
    private final Set<Long> answered = new HashSet<>();
    private int nextPid = 1000;
    private long nextRequest = 1;

    Harness(Job... jobs) {
        engine = new Engine(List.of(jobs), () -> now);
    }

    /** An engine told which jobs the boot will start (as the plan's boot steps would). */
    Harness(Set<String> boot, Job... jobs) {
        engine = new Engine(List.of(jobs), () -> now, Engine.DEFAULT_ENV, boot);
    }

    /** An engine that skips what {@code skip} says (the early boot, systemd's own clients). */
    Harness(SkipPolicy skip, Set<String> boot, Job... jobs) {
        engine = new Engine(List.of(jobs), () -> now, Engine.DEFAULT_ENV, boot, skip);
    }

    static Job.Builder job(String name) {
        return Job.builder(name, Format.YAML, AT);
    }

    static EventExpr on(String text) {
        EventExprParser.ParsedExpr r = EventExprParser.parse(text, AT);
        assertTrue(r.ok(), () -> "bad expression " + text + ": " + r.diagnostics());
        return r.expr();
    }

    static Process exec(Phase phase, String command) {
        return Process.exec(phase, command, AT);
    }

    static EnvVar env(String key, String value) {
        return new EnvVar(key, value, AT);
    }

    List<Effect> boot() {
        last = engine.boot();
        all.addAll(last);
        return last;
    }

    List<Effect> in(Input input) {
        last = engine.handle(input);
        all.addAll(last);
        return last;
    }

    long request() {
        return nextRequest++;
    }

    /** Runs a command and returns its request id. */
    long command(Input.Command c) {
        in(c);
        return c.request();
    }

    long emit(String event, String... env) {
        return command(Input.Command.emit(request(), event, env));
    }

    long emitNoWait(String event, String... env) {
        return command(Input.Command.emit(request(), event, env).noWait());
    }

    /** The newest spawn of {@code job}'s {@code phase} not yet answered. */
    Effect.Spawn spawn(String job, Phase phase) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) instanceof Effect.Spawn s && s.job().equals(job) && s.phase() == phase
                    && !answered.contains(s.process())) {
                return s;
            }
        }
        return fail("no pending spawn of " + job + " " + phase + " in " + all);
    }

    boolean spawning(String job, Phase phase) {
        for (Effect e : all) {
            if (e instanceof Effect.Spawn s && s.job().equals(job) && s.phase() == phase
                    && !answered.contains(s.process())) {
                return true;
            }
        }
        return false;
    }

    /** Answers the pending spawn with a fresh pid and returns it. */
    int spawned(String job, Phase phase) {
        Effect.Spawn s = spawn(job, phase);
        answered.add(s.process());
        int pid = nextPid++;
        in(new Input.Spawned(s.process(), pid));
        return pid;
    }

    void spawnFails(String job, Phase phase) {
        Effect.Spawn s = spawn(job, phase);
        answered.add(s.process());
        in(new Input.SpawnFailed(s.process(), "No such file or directory"));
    }

    void exit(int pid, int code) {
        in(new Input.Exited(pid, ExitStatus.code(code)));
    }

    void killed(int pid, Signal signal) {
        in(new Input.Exited(pid, ExitStatus.signal(signal)));
    }

    /** Spawns and ends the phase's process with {@code code}. */
    void runs(String job, Phase phase, int code) {
        exit(spawned(job, phase), code);
    }

    /** Answers the newest test of {@code job}'s conditions with {@code results}, one per condition. */
    void conditions(String job, ConditionResult... results) {
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i) instanceof Effect.TestConditions t && t.job().equals(job)) {
                List<Input.ConditionAnswer> answers = new ArrayList<>();
                for (ConditionResult r : results) answers.add(new Input.ConditionAnswer(r, "test"));
                in(new Input.ConditionsTested(t.test(), answers));
                return;
            }
        }
        fail("no test of " + job + "'s conditions in " + all);
    }

    Engine.InstanceView inst(String job) {
        return inst(job, "");
    }

    Engine.InstanceView inst(String job, String instance) {
        return engine.instance(job, instance).orElseGet(() -> fail("no instance " + job + " (" + instance + ")"));
    }

    boolean exists(String job) {
        return engine.instance(job, "").isPresent();
    }

    /** The reply to {@code request} as a client reading text sees it: its status as data left out ({@link #statuses}). */
    Effect.Reply reply(long request) {
        Effect.Reply r = fullReply(request);
        return r == null ? null : new Effect.Reply(r.request(), r.ok(), r.text());
    }

    /** The status as data the reply to {@code request} carried (what --format json shows). */
    List<JobStatus> statuses(long request) {
        Effect.Reply r = fullReply(request);
        return r == null ? null : r.statuses();
    }

    private Effect.Reply fullReply(long request) {
        for (Effect e : all) if (e instanceof Effect.Reply r && r.request() == request) return r;
        return null;
    }

    /** Event names in the order they were handled, with their variables. */
    List<String> emitted() {
        List<String> l = new ArrayList<>();
        for (Effect e : all) {
            if (e instanceof Effect.EventEmitted x) l.add(x.env().isEmpty() ? x.name() : x.name() + " " + String.join(" ", x.env()));
        }
        return l;
    }

    Engine.EventView event(String name) {
        for (Engine.EventView e : engine.events()) if (e.name().equals(name)) return e;
        return null;
    }

    boolean finished(String name) {
        for (Effect e : all) if (e instanceof Effect.EventFinished f && f.name().equals(name)) return true;
        return false;
    }

    boolean finishedFailed(String name) {
        for (Effect e : all) if (e instanceof Effect.EventFinished f && f.name().equals(name)) return f.failed();
        return fail(name + " did not finish");
    }

    List<String> logs() {
        List<String> l = new ArrayList<>();
        for (Effect e : all) if (e instanceof Effect.LogLine x) l.add(x.line());
        return l;
    }

    String status(String job, String... env) {
        long r = command(Input.Command.status(request(), job, env));
        return reply(r).text();
    }
}
