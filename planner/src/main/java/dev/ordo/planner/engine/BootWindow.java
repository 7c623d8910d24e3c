package dev.ordo.planner.engine;

import java.util.Set;

/**
 * The boot (docs/semantics.md, Boot and settle): until every boot job has come up, finished, failed or
 * been stopped, or the boot has been quiet for {@link Engine#BOOT_SETTLE}, a job waits for its after
 * targets among the boot jobs even before they start, as the plan orders them.
 */
final class BootWindow {

    private final Engine engine;

    /** The jobs the boot will start (the plan's boot steps), by name. */
    Set<String> bootJobs;
    boolean booting;

    /** Boot jobs that came up, finished, failed or were stopped in this boot. */
    final Set<JobClass> settled = new java.util.HashSet<>();

    /** Boot tasks done well in this boot: still there for a requisite until the boot is over. */
    final Set<JobClass> doneInBoot = new java.util.HashSet<>();

    /** Armed while the boot is quiet; cancelled by the next input. */
    long bootTimer;

    BootWindow(Engine engine) {
        this.engine = engine;
    }

    /** A boot job came up, finished, failed or was stopped: jobs after it need not wait for it any more. */
    void settle(JobClass c) {
        if (!booting || !bootJobs.contains(c.name) || !settled.add(c)) return;
        for (String j : bootJobs) {
            JobClass k = engine.registry.byName.get(j);
            if (k != null && !settled.contains(k)) return;
        }
        endBoot();
    }

    /** From now on ordering waits only for jobs with a pending start (systemd's rule). */
    void endBoot() {
        if (!booting) return;
        booting = false;
        doneInBoot.clear();
        engine.timers.cancelTimer(bootTimer);
        bootTimer = 0;
        engine.ordering.recheckAll = true;
    }

    /**
     * Nothing can happen without a new input from outside: every instance is a service at rest or
     * waits in starting or stopping (for its event or for ordering), and no process is being started.
     */
    boolean quiet() {
        if (!engine.processes.spawning.isEmpty()) return false;
        for (JobClass k : engine.registry.classes) {
            for (Instance x : k.instances.values()) {
                if (x.state == JobState.RUNNING && x.goal == JobGoal.START && !x.job.task()) continue;
                if ((x.state == JobState.STARTING || x.state == JobState.STOPPING) && (x.orderWait || x.blocker != null)) continue;
                return false;
            }
        }
        return true;
    }
}
