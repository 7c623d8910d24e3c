package dev.ordo.planner.engine;

import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.JobEvent;
import dev.ordo.planner.model.Named;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The event queue (U§2.1, Upstart's {@code event.c}): events are queued, handled (offered to every
 * instance's stop_on, then to the class's start_on), held by the jobs they started or stopped and
 * finished when nothing holds them; a pass runs until nothing more can happen now. Also the four
 * events of a job, with their variables in Upstart's order (U§1.6).
 */
final class EventQueue {

    private final Engine engine;

    /** Unfinished events in the order they were queued (null: finished, compacted after each pass). */
    final List<Event> events = new ArrayList<>();
    private long nextEvent = 1;

    EventQueue(Engine engine) {
        this.engine = engine;
    }

    Event queue(String name, List<String> env) {
        Event e = new Event(nextEvent++, name, env);
        events.add(e);
        return e;
    }

    /**
     * Runs the queue until nothing more can happen now: pending events are handled, events nobody
     * holds finish, and jobs waiting on ordering are looked at again. Events queued meanwhile are
     * handled in the same pass, in FIFO order.
     */
    void poll() {
        boolean again;
        do {
            again = false;
            if (engine.lifecycle.failDependants()) again = true;
            if (engine.relations.checkRequisites()) again = true;
            for (int i = 0; i < events.size(); i++) {
                Event e = events.get(i);
                if (e == null) continue;
                if (e.progress == Event.Progress.PENDING) {
                    handlePending(e);
                    // Every job this event starts is known now: a requisite among them counts as on its way.
                    engine.relations.checkRequisites();
                    again = true;
                }
                if (e.progress == Event.Progress.HANDLING) {
                    if (e.blockers > 0) continue;
                    e.progress = Event.Progress.FINISHED;
                }
                if (e.progress == Event.Progress.FINISHED) {
                    events.set(i, null);
                    finished(e);
                    again = true;
                }
            }
            events.removeIf(Objects::isNull);
            if (engine.ordering.recheckOrder()) again = true;
            if (!again && engine.shutdown.shutdownProgress()) again = true;
        } while (again);
        if (!engine.reloads.gone.isEmpty()) engine.reloads.forgetRemoved();
        engine.bootWindow.armSettleTimer();
    }

    /**
     * Offers the event to every instance's stop_on, then to the class's start_on, class by class
     * (U§2.1). Unlike Upstart, an instance name that cannot be expanded does not stop the event from
     * reaching the remaining classes.
     */
    private void handlePending(Event e) {
        e.progress = Event.Progress.HANDLING;
        engine.out.add(new Effect.EventEmitted(e.id, e.name, e.env));
        for (JobClass c : engine.registry.candidates(e)) {
            if (!c.instances.isEmpty()) {
                for (Instance inst : new ArrayList<>(c.instances.values())) {
                    if (inst.destroyed || inst.stopOn == null) continue;
                    if (!inst.stopOn.handle(e, inst.env)) continue;
                    if (inst.goal != JobGoal.STOP) {
                        Map<String, String> stopEnv = new LinkedHashMap<>();
                        StringBuilder names = new StringBuilder();
                        inst.stopOn.collect(stopEnv, names);
                        stopEnv.put("UPSTART_STOP_EVENTS", names.toString());
                        inst.stopEnv = stopEnv;
                        engine.lifecycle.jobFinished(inst, false);
                        takeEvents(inst, inst.stopOn);
                        engine.lifecycle.changeGoal(inst, JobGoal.STOP, Lifecycle.Cause.EXPLICIT);
                    }
                    inst.stopOn.reset();
                }
            }
            if (c.startOn != null && c.startOn.handle(e, c.env)) {
                induct(c);
                c.startOn.reset();
            }
        }
    }

    /** The class's start_on became true: start the instance its environment names (U§3.3, §5). */
    private void induct(JobClass c) {
        Map<String, String> env = new LinkedHashMap<>(c.env);
        StringBuilder names = new StringBuilder();
        c.startOn.collect(env, names);
        env.put("UPSTART_EVENTS", names.toString());
        String name;
        try {
            name = Registry.instanceName(c, env);
        } catch (Expansion.UnknownVariable u) {
            engine.out.log("Failed to obtain " + c.name + " instance: " + u.getMessage());
            return;
        }
        if (engine.shutdown.shuttingDown && !engine.shutdown.shutdownStarts.add(c)) return;
        Instance inst = engine.registry.instanceOf(c, name);
        if (inst.goal != JobGoal.STOP) return;
        if (engine.relations.refusedWhileStopping(inst)) return;
        inst.startedInShutdown = engine.shutdown.shuttingDown;
        inst.startEnv = env;
        engine.lifecycle.jobFinished(inst, false);
        // (Which events started it is not remembered for the shutdown: event relations are not
        // reversed there, a job stops by its own stop_on; SEMANTICS §6.)
        takeEvents(inst, c.startOn);
        engine.relations.startChecked(inst);
    }

    private List<Event> takeEvents(Instance inst, Operator op) {
        List<Event> held = new ArrayList<>(2);
        op.events(held);
        inst.blocking.addAll(held);
        for (Event e : held) engine.out.add(new Effect.EventTaken(e.id, inst.cls.name, inst.name));
        return held;
    }

    /** Nothing holds the event any more (U§2.1 finished). */
    private void finished(Event e) {
        engine.out.add(new Effect.EventFinished(e.id, e.name, e.failed));
        Instance emitter = e.emitter;
        if (emitter != null) {
            e.emitter = null;
            emitter.blocker = null;
            if (!emitter.destroyed) engine.ordering.advance(emitter);
        }
        for (long request : e.emitRequests) engine.out.reply(request, !e.failed, e.failed ? "Event failed" : "");
        if (e.failed && !e.name.endsWith("/failed")) queue(e.name + "/failed", e.env);
    }

    /** Queues one of the instance's four events with its variables in Upstart's order (U§1.6). */
    Event emit(Instance inst, JobEvent kind) {
        List<String> env = new ArrayList<>(8);
        env.add("JOB=" + inst.cls.name);
        env.add("INSTANCE=" + inst.name);
        Set<String> keys = new LinkedHashSet<>(List.of("JOB", "INSTANCE"));
        if (kind.carriesResult()) {
            keys.add("RESULT");
            if (inst.failed) {
                env.add("RESULT=failed");
                env.add("PROCESS=" + inst.failedProcess.word());
                keys.add("PROCESS");
                ExitStatus s = inst.exitStatus;
                if (s != null && s.code() != null) {
                    env.add("EXIT_STATUS=" + s.code());
                    keys.add("EXIT_STATUS");
                } else if (s != null) {
                    // Upstart names only the classic signals; real-time ones go by number (U§1.6).
                    String sig = s.signal().name();
                    env.add("EXIT_SIGNAL=" + (sig.startsWith("RTMIN") ? Integer.toString(s.signal().number()) : sig));
                    keys.add("EXIT_SIGNAL");
                }
            } else {
                env.add("RESULT=ok");
            }
        }
        for (Named x : inst.job.export()) {
            String v = inst.env.get(x.name());
            if (v != null && keys.add(x.name())) env.add(x.name() + "=" + v);
        }
        Event e = queue(kind.eventName(), env);
        e.producer = inst;
        return e;
    }
}
