package dev.ordo.planner.engine;

/**
 * Which starts the engine skips instead of running, decided from what the supervisor knows of the machine
 * it runs on (the engine is told; it does not look). The rules themselves are
 * {@link dev.ordo.planner.rules.EarlyBoot} and {@link dev.ordo.planner.rules.NeedsSystemd}.
 *
 * @param earlyBoot skip the early boot's units (sysinit.target and what it pulls in): on a machine that is
 *     already up they would do a boot's work again (empty /tmp, reload modules, re-trigger udev)
 * @param systemdOnly skip the units whose main program works only under systemd as PID 1
 */
public record SkipPolicy(boolean earlyBoot, boolean systemdOnly) {

    /** Run everything, as a plan assumes and the simulator does. */
    public static final SkipPolicy NONE = new SkipPolicy(false, false);

    /**
     * The supervisor's policy: the early boot runs only when ordo is the machine's init (PID 1) or is told
     * to ({@code ordo run --early-boot}); systemd's own clients never run, since ordo is not systemd.
     */
    public static SkipPolicy supervisor(boolean pid1, boolean earlyBootAsked) {
        return new SkipPolicy(!pid1 && !earlyBootAsked, true);
    }
}
