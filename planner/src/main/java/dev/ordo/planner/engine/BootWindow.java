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
    private long bootTimer;

    BootWindow(Engine engine) {
        this.engine = engine;
    }

    /** {@link Engine#boot}: the boot begins, unless there is nothing to boot or the shutdown came first. */
    void begin() {
        booting = !bootJobs.isEmpty() && !engine.shutdown.shuttingDown;
    }

    /** Any input but the settle timer's own: the boot is not quiet after all. */
    void interrupt(Input input) {
        if (bootTimer != 0 && !(input instanceof Input.TimerFired t && t.timer() == bootTimer)) {
            // Something happened: the boot is not quiet after all.
            engine.timers.cancelTimer(bootTimer);
            bootTimer = 0;
        }
    }

    /** The boot stayed quiet for {@link Engine#BOOT_SETTLE}: it is over, if it still is quiet. */
    void settleTimerFired() {
        bootTimer = 0;
        if (booting && quiet()) {
            engine.out.log("the boot is over: jobs it did not start are no longer waited for");
            endBoot();
        }
    }

    /**
     * {@code c} is a singleton of the boot that has not come up, finished, failed or been stopped yet:
     * until the boot is over it counts as on its way, as the plan orders it.
     */
    boolean stillToCome(JobClass c) {
        return booting && c.job.instance() == null && bootJobs.contains(c.name) && !settled.contains(c);
    }

    /**
     * A boot task whose main process ended well is done from here on (it may yet fail stopping); so is a
     * boot job that was skipped (its condition, the early boot): systemd's start job for it succeeded.
     */
    void stopping(Instance inst) {
        boolean done = (inst.job.task() && inst.wasUp && !inst.failed) || inst.skipped != null;
        if (booting && done && bootJobs.contains(inst.cls.name)) doneInBoot.add(inst.cls);
    }

    /** After a pass: a boot that is quiet now is over unless something happens within {@link Engine#BOOT_SETTLE}. */
    void armSettleTimer() {
        if (booting && bootTimer == 0 && quiet()) {
            bootTimer = engine.timers.arm(Engine.BOOT_SETTLE, new Timers.TimerRef(null, Timers.TimerKind.BOOT));
        }
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
                boolean waits = x.state == JobState.STARTING || x.state == JobState.STOPPING;
                if (waits && (x.orderWait || x.blocker != null)) continue;
                return false;
            }
        }
        return true;
    }
}
