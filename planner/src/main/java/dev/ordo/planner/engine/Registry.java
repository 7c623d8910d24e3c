package dev.ordo.planner.engine;

import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Expansion;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The job classes the engine knows (Upstart's {@code job_class.c}): in name order, their relations wired
 * from their definitions (SEMANTICS §5), and filed under the events their start_on and their
 * instances' stop_on can match, so that an event only meets the jobs that may react to it. Also where
 * an instance is found or made, and the environment a class starts from (U§3.5).
 */
final class Registry {

    final Map<String, String> supervisorEnv;
    final List<JobClass> classes = new ArrayList<>();
    final Map<String, JobClass> byName = new HashMap<>();
    /** systemd's other names for a unit ({@code default.target}, {@code syslog.service}), never over a job's own name. */
    final Map<String, JobClass> byAlias = new HashMap<>();

    /** Classes whose start_on or stop_on can match an event, in class order (see {@link #indexKey}). */
    final Map<String, List<JobClass>> byEvent = new HashMap<>();

    Registry(Map<String, String> supervisorEnv) {
        this.supervisorEnv = Map.copyOf(supervisorEnv);
    }

    /** The jobs by name, sorted; of two with one name the first counts. */
    static Map<String, Job> firstByName(Collection<Job> jobs) {
        Map<String, Job> m = new TreeMap<>();
        for (Job j : jobs) m.putIfAbsent(j.name(), j);
        return m;
    }

    /**
     * Makes {@code list} (sorted by name) the engine's classes: numbered in that order, relations
     * wired from their definitions, and filed under the events their start_on and their instances'
     * stop_on can match. The constructor and {@link Engine#reload} share it.
     */
    /** The class a command names: by its name, or by one of its unit's aliases (as systemctl takes them). */
    /** systemd's name for instance {@code instance} of the unit template {@code cls} ({@code a@.service}), or null. */
    static String templateInstance(JobClass cls, String instance) {
        return cls.job.unit() == null ? null : dev.ordo.planner.model.Unit.instanceName(cls.name, instance);
    }

    /**
     * The live instance a systemd instance name ({@code a@I.service}) names when no unit of that name exists: one of
     * the template {@code a@.service}, as a per-connection service's are; null when there is none.
     */
    Instance templateInstance(String name) {
        int at = name.indexOf('@');
        int dot = name.lastIndexOf('.');
        if (at < 0 || dot <= at + 1) return null;
        JobClass template = byName.get(name.substring(0, at + 1) + name.substring(dot));
        if (template == null || template.job.unit() == null) return null;
        Instance inst = template.instances.get(name.substring(at + 1, dot));
        return inst == null || inst.destroyed ? null : inst;
    }

    JobClass named(String name) {
        JobClass c = byName.get(name);
        return c != null ? c : byAlias.get(name);
    }

    void install(List<JobClass> list) {
        classes.clear();
        byName.clear();
        byAlias.clear();
        byEvent.clear();
        for (JobClass c : list) {
            c.index = classes.size();
            c.unwire();
            classes.add(c);
            byName.put(c.name, c);
        }
        for (JobClass c : list) {
            if (c.job.unit() == null) continue;
            for (var alias : c.job.unit().aliases()) if (!byName.containsKey(alias.name())) byAlias.putIfAbsent(alias.name(), c);
        }
        for (JobClass c : classes) {
            if (!c.removed) wire(c);
            Set<String> keys = new LinkedHashSet<>();
            if (c.startOn != null) c.job.startOn().forEachMatch(m -> keys.add(indexKey(m)));
            if (c.job.stopOn() != null) c.job.stopOn().forEachMatch(m -> keys.add(indexKey(m)));
            // A live instance may still have the stop_on of an older definition.
            for (Instance x : c.instances.values()) {
                if (x.job != c.job && x.job.stopOn() != null) x.job.stopOn().forEachMatch(m -> keys.add(indexKey(m)));
            }
            for (String k : keys) byEvent.computeIfAbsent(k, x -> new ArrayList<>()).add(c);
        }
    }

    /**
     * Where a leaf is filed: under its event name, or under name and first positional value when
     * that value is a plain literal ({@code started dbus}), so that an event only meets the jobs that
     * can match it even when thousands of jobs wait for {@code started}.
     */
    private static String indexKey(EventExpr.Match m) {
        if (!m.args().isEmpty() && m.args().get(0).isPositional()) {
            String v = m.args().get(0).value();
            if (!dev.ordo.planner.model.Glob.isPattern(v) && v.indexOf('$') < 0) return m.event() + '\u0000' + v;
        }
        return m.event();
    }

    /** The classes that may react to {@code e}, in class order. */
    List<JobClass> candidates(Event e) {
        List<JobClass> byName = byEvent.get(e.name);
        String first = e.valueAt(0);
        List<JobClass> byArg = first == null ? null : byEvent.get(e.name + '\u0000' + first);
        if (byArg == null) return byName == null ? List.of() : byName;
        if (byName == null) return byArg;
        List<JobClass> merged = new ArrayList<>(byName.size() + byArg.size());
        int i = 0;
        int j = 0;
        while (i < byName.size() || j < byArg.size()) {
            JobClass next;
            if (j >= byArg.size() || (i < byName.size() && byName.get(i).index <= byArg.get(j).index)) next = byName.get(i++);
            else next = byArg.get(j++);
            if (merged.isEmpty() || merged.get(merged.size() - 1) != next) merged.add(next);
        }
        return merged;
    }

    Map<String, String> classEnv(Job j) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String k : List.of("PATH", "TERM")) {
            String v = supervisorEnv.containsKey(k) ? supervisorEnv.get(k) : Engine.DEFAULT_ENV.get(k);
            env.put(k, v);
        }
        for (EnvVar v : j.env()) {
            String value = v.value() != null ? v.value() : supervisorEnv.get(v.key());
            if (value != null) env.put(v.key(), value);
        }
        return env;
    }

    private void wire(JobClass c) {
        for (Relation r : c.job.relations()) {
            JobClass t = byName.get(r.target());
            if (t == null || t == c || t.removed) continue;
            switch (r.kind()) {
                case REQUIRES -> {
                    add(c.pulls, t);
                    add(t.requiredBy, c);
                    add(t.partOfThis, c);
                }
                case WANTS -> add(c.pulls, t);
                case BINDS_TO -> {
                    add(c.pulls, t);
                    add(t.requiredBy, c);
                    add(t.boundBy, c);
                }
                case PART_OF -> add(t.partOfThis, c);
                case AFTER -> {
                    add(c.after, t);
                    add(t.orderedAfterThis, c);
                }
                case BEFORE -> {
                    add(t.after, c);
                    add(c.orderedAfterThis, t);
                }
                case CONFLICTS -> {
                    add(c.conflicts, t);
                    add(t.conflicts, c);
                }
                case REQUISITE -> {
                    // Like requires without the pull-in (systemd's Requisite=): a failure with after, and
                    // an explicit stop or restart of the target, reach this job.
                    add(c.requisites, t);
                    add(t.requiredBy, c);
                    add(t.partOfThis, c);
                }
                case ON_FAILURE -> add(c.onFailure, t);
                case ON_SUCCESS -> add(c.onSuccess, t);
                default -> {
                    // triggers (a socket, timer or path unit and what it activates): ordo does no such
                    // activation, and the plan gives the relation no meaning either; the triggered job
                    // starts by its own relations.
                }
            }
        }
    }

    private static void add(List<JobClass> list, JobClass c) {
        if (list.contains(c)) return;
        list.add(c);
        list.sort(Comparator.comparingInt(x -> x.index));
    }

    static String instanceName(JobClass c, Map<String, String> env) {
        if (c.job.instance() == null) return "";
        return Expansion.expand(c.job.instance().text(), env);
    }

    Instance instanceOf(JobClass c, String name) {
        Instance inst = c.instances.get(name);
        if (inst == null) {
            inst = new Instance(c, name);
            c.instances.put(name, inst);
        }
        return inst;
    }

    Instance find(String job, String instance) {
        JobClass c = byName.get(job);
        return c == null ? null : c.instances.get(instance == null ? "" : instance);
    }
}
