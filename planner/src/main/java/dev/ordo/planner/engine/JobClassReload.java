package dev.ordo.planner.engine;

import dev.ordo.planner.model.Job;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reload (docs/semantics.md, Reload; Upstart's reload-configuration): a new configuration is worked
 * out first and then put in place in one go; removed jobs are stopped and forgotten once their last
 * instance has stopped.
 */
final class JobClassReload {

    private final Engine engine;

    /** Removed classes whose last instance has stopped: forgotten once the pass is over (lists are being walked). */
    final Set<JobClass> gone = new LinkedHashSet<>();

    JobClassReload(Engine engine) {
        this.engine = engine;
    }

    /**
     * Upstart's reload-configuration, plus stopping removed jobs: an unchanged job keeps its class and
     * instances as they are; a new one is known from now on (it is not started for events already
     * past); a changed one takes its new definition at once, but a live instance keeps the one it
     * started with until it starts again; a removed one starts no more, its instances are stopped,
     * and it is forgotten when the last is gone. Relations, the event index and the boot set come
     * from the new configuration. Everything is worked out first and then put in place, in one go.
     */
    void reload(Input.Reload r) {
        Map<String, Job> fresh = Registry.firstByName(r.jobs());
        Map<String, JobClass> next = new TreeMap<>();
        Map<JobClass, Job> redefine = new LinkedHashMap<>();
        List<JobClass> removing = new ArrayList<>();
        List<Effect.Change> changes = new ArrayList<>();
        for (Map.Entry<String, Job> e : fresh.entrySet()) {
            JobClass old = engine.registry.byName.get(e.getKey());
            Job j = e.getValue();
            if (old == null) {
                next.put(j.name(), new JobClass(j, 0, engine.registry.classEnv(j)));
                changes.add(new Effect.Change(j.name(), Effect.Change.Kind.ADDED));
                continue;
            }
            next.put(j.name(), old);
            if (!old.removed && Definitions.same(old.job, j)) continue;
            redefine.put(old, j);
            changes.add(new Effect.Change(j.name(), old.instances.isEmpty() ? Effect.Change.Kind.CHANGED
                    : Effect.Change.Kind.CHANGED_LIVE));
        }
        for (JobClass old : engine.registry.classes) {
            if (fresh.containsKey(old.name)) continue;
            if (old.instances.isEmpty()) {
                if (!old.removed) changes.add(new Effect.Change(old.name, Effect.Change.Kind.REMOVED));
                continue;
            }
            next.put(old.name, old);
            if (!old.removed) {
                removing.add(old);
                changes.add(new Effect.Change(old.name, Effect.Change.Kind.REMOVED_STOPPING));
            }
        }
        changes.sort(Comparator.comparing(Effect.Change::job));

        // Put in place.
        engine.out.add(new Effect.Reloaded(List.copyOf(changes)));
        for (Map.Entry<JobClass, Job> e : redefine.entrySet()) {
            e.getKey().removed = false;
            e.getKey().define(e.getValue(), engine.registry.classEnv(e.getValue()));
        }
        for (JobClass c : removing) {
            c.removed = true;
            if (c.startOn != null) c.startOn.reset();
            c.startOn = null;
        }
        List<JobClass> before = new ArrayList<>(engine.registry.classes);
        engine.registry.install(new ArrayList<>(next.values()));
        for (JobClass c : before) {
            if (engine.registry.byName.get(c.name) != c) {
                engine.bootWindow.settled.remove(c);
                engine.shutdown.shutdownStarts.remove(c);
                engine.ordering.touched.remove(c);
                gone.remove(c);
            }
        }
        // A job new to the engine is not started for events already past: it is no part of this boot.
        Set<String> boot = new java.util.TreeSet<>(r.boot());
        boot.removeIf(j -> changes.contains(new Effect.Change(j, Effect.Change.Kind.ADDED)));
        engine.bootWindow.bootJobs = Set.copyOf(boot);
        engine.startChecks.configured();
        // Relations changed under every wait: look at all of them again.
        engine.ordering.touched.addAll(engine.registry.classes);
        engine.ordering.recheckAll = true;
        if (engine.bootWindow.booting) {
            boolean all = true;
            for (String j : engine.bootWindow.bootJobs) {
                JobClass k = engine.registry.byName.get(j);
                if (k != null && !engine.bootWindow.settled.contains(k)) all = false;
            }
            if (all) engine.bootWindow.endBoot();
        }
        for (JobClass c : removing) {
            for (Instance x : new ArrayList<>(c.instances.values())) {
                if (x.destroyed || x.goal == JobGoal.STOP) continue;
                // What it holds (events, waiting commands) is let go when it has stopped, not now.
                x.stopEnv = new LinkedHashMap<>();
                engine.lifecycle.changeGoal(x, JobGoal.STOP, Lifecycle.Cause.EXPLICIT);
            }
        }
    }

    /** Removed classes whose last instance has stopped are forgotten: {@code start} says "Unknown job". */
    void forgetRemoved() {
        for (JobClass c : gone) {
            if (!c.removed || !c.instances.isEmpty() || engine.registry.byName.get(c.name) != c) continue;
            engine.registry.classes.remove(c);
            engine.registry.byName.remove(c.name);
            engine.registry.byEvent.values().forEach(l -> l.remove(c));
            engine.registry.byEvent.values().removeIf(List::isEmpty);
            engine.bootWindow.settled.remove(c);
            engine.shutdown.shutdownStarts.remove(c);
            engine.ordering.touched.remove(c);
            engine.out.log(c.name + " has stopped and is gone (removed from the configuration)");
        }
        gone.clear();
    }
}
