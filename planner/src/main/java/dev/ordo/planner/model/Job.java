package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A job as ordo understands it, whatever format it was read from. Immutable; build one with
 * {@link #builder(String, Format, Source)}.
 *
 * @param name YAML key, Upstart file name without {@code .conf}, or full systemd unit name
 * @param source where the job is defined
 * @param description or null
 * @param task true for a task: it is done when it has run and stopped
 * @param processes by phase, in phase order
 * @param startOn the start condition, or null (manual, or for systemd: started when pulled in)
 * @param stopOn the stop condition, or null
 * @param manual true when the job only starts by command or when pulled in
 * @param instance the instance template, or null for a singleton
 * @param estimate the expected start duration for plans, or null
 * @param unit systemd specifics, or null for other formats
 */
public record Job(String name, Format format, Source source, String description, boolean task,
                  Map<Phase, Process> processes, EventExpr startOn, EventExpr stopOn, boolean manual,
                  List<Relation> relations, List<EnvVar> env, List<Named> export, List<Named> emits,
                  Template instance, Respawn respawn, List<ExitStatus> normalExit, Readiness ready, Kill kill,
                  Resources resources, Console console, Duration estimate, Unit unit) {

    public Job {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("name");
        EnumMap<Phase, Process> p = new EnumMap<>(Phase.class);
        p.putAll(processes);
        processes = Collections.unmodifiableMap(p);
        relations = List.copyOf(relations);
        env = List.copyOf(env);
        export = List.copyOf(export);
        emits = List.copyOf(emits);
        normalExit = List.copyOf(normalExit);
    }

    public static Builder builder(String name, Format format, Source source) {
        return new Builder(name, format, source);
    }

    public Builder toBuilder() {
        Builder b = new Builder(name, format, source);
        b.description = description;
        b.task = task;
        b.processes.putAll(processes);
        b.startOn = startOn;
        b.stopOn = stopOn;
        b.manual = manual;
        b.relations.addAll(relations);
        b.env.addAll(env);
        b.export.addAll(export);
        b.emits.addAll(emits);
        b.instance = instance;
        b.respawn = respawn;
        b.normalExit.addAll(normalExit);
        b.ready = ready;
        b.kill = kill;
        b.resources = resources;
        b.console = console;
        b.estimate = estimate;
        b.unit = unit;
        return b;
    }

    /** A job without a main process is abstract: running until stopped, like a systemd target. */
    public boolean isAbstract() {
        return !processes.containsKey(Phase.MAIN);
    }

    public List<Relation> relations(RelationKind kind) {
        List<Relation> out = new ArrayList<>();
        for (Relation r : relations) if (r.kind() == kind) out.add(r);
        return out;
    }

    /** The job's own variables as a map (later definitions win), for {@code $VAR} expansion. */
    public Map<String, String> envMap() {
        Map<String, String> m = new java.util.LinkedHashMap<>();
        for (EnvVar v : env) m.put(v.key(), v.value() == null ? "" : v.value());
        return m;
    }

    /** Mutable companion of {@link Job}; readers fill it in as they go. */
    public static final class Builder {
        private String name;
        private final Format format;
        private Source source;
        private String description;
        private boolean task;
        private final Map<Phase, Process> processes = new EnumMap<>(Phase.class);
        private EventExpr startOn;
        private EventExpr stopOn;
        private boolean manual;
        private final List<Relation> relations = new ArrayList<>();
        private final List<EnvVar> env = new ArrayList<>();
        private final List<Named> export = new ArrayList<>();
        private final List<Named> emits = new ArrayList<>();
        private Template instance;
        private Respawn respawn = Respawn.OFF;
        private final List<ExitStatus> normalExit = new ArrayList<>();
        private Readiness ready = Readiness.NONE;
        private Kill kill = Kill.DEFAULT;
        private Resources resources = Resources.DEFAULT;
        private Console console = Console.LOG;
        private Duration estimate;
        private Unit unit;

        private Builder(String name, Format format, Source source) {
            this.name = name;
            this.format = format;
            this.source = source;
        }

        public Builder name(String v) { name = v; return this; }
        public Builder source(Source v) { source = v; return this; }
        public Builder description(String v) { description = v; return this; }
        public Builder task(boolean v) { task = v; return this; }
        public Builder process(Process p) { processes.put(p.phase(), p); return this; }
        public Builder removeProcess(Phase p) { processes.remove(p); return this; }
        public Builder startOn(EventExpr v) { startOn = v; return this; }
        public Builder stopOn(EventExpr v) { stopOn = v; return this; }
        public Builder manual(boolean v) { manual = v; return this; }
        public Builder relation(Relation r) { relations.add(r); return this; }
        public Builder relations(List<Relation> rs) { relations.clear(); relations.addAll(rs); return this; }
        public Builder env(EnvVar v) { env.add(v); return this; }
        public Builder export(Named v) { export.add(v); return this; }
        public Builder emits(Named v) { emits.add(v); return this; }
        public Builder instance(Template v) { instance = v; return this; }
        public Builder respawn(Respawn v) { respawn = v; return this; }
        public Builder normalExit(ExitStatus v) { normalExit.add(v); return this; }
        public Builder ready(Readiness v) { ready = v; return this; }
        public Builder kill(Kill v) { kill = v; return this; }
        public Builder resources(Resources v) { resources = v; return this; }
        public Builder console(Console v) { console = v; return this; }
        public Builder estimate(Duration v) { estimate = v; return this; }
        public Builder unit(Unit v) { unit = v; return this; }

        public String name() { return name; }
        public Respawn respawn() { return respawn; }
        public Kill kill() { return kill; }
        public Resources resources() { return resources; }
        public EventExpr startOn() { return startOn; }
        public List<Relation> relations() { return relations; }

        public Job build() {
            return new Job(name, format, source, description, task, processes, startOn, stopOn, manual, relations,
                    env, export, emits, instance, respawn, normalExit, ready, kill, resources, console, estimate,
                    unit);
        }
    }
}
