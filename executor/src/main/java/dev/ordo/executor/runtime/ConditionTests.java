package dev.ordo.executor.runtime;

import static dev.ordo.executor.runtime.PathConditions.answer;
import static dev.ordo.executor.runtime.PathConditions.unknown;

import dev.ordo.planner.engine.Input;
import dev.ordo.planner.model.UnitCondition;
import dev.ordo.planner.engine.Effect;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The engine's {@code TestConditions}: each condition or assert tested on the machine, as systemd's
 * condition.c tests it, and answered bare (before its {@code !}; what the answers mean for the unit is the
 * engine's rule). A test ordo cannot make is answered {@code UNKNOWN} with the reason, which the engine
 * counts as not met: nothing passes silently.
 *
 * <p>One rule is ordo's: {@code /run/systemd/system} is how a program asks whether systemd is the service
 * manager (sd_booted(3)). Under ordo it is not, whatever that directory holds (on a machine systemd booted, it
 * exists while ordo runs beside systemd), so a path condition on it or below it is answered as if it were
 * missing: {@code ConditionPathExists=/run/systemd/system} skips its unit, {@code !/run/systemd/system} runs it.
 */
final class ConditionTests {

    /** sd_booted(3)'s directory. */
    static final String SYSTEMD_BOOTED = "/run/systemd/system";

    private final MachineFacts machine;
    /** Made at the first test: most configurations have no conditions. */
    private ExecutorService worker;

    ConditionTests(MachineFacts machine) {
        this.machine = machine;
    }

    /**
     * Tests {@code t}'s conditions on a thread of their own and hands the engine's input to {@code answer}: a
     * path on a file system that hangs (NFS) must hold up neither the supervisor's loop nor its timers.
     */
    synchronized void start(Effect.TestConditions t, Consumer<Input> answer) {
        if (worker == null) {
            worker = Executors.newSingleThreadExecutor(r -> {
                Thread th = new Thread(r, "ordo-conditions");
                th.setDaemon(true);
                return th;
            });
        }
        worker.execute(() -> answer.accept(new Input.ConditionsTested(t.test(), test(t.conditions()))));
    }

    synchronized void close() {
        if (worker != null) worker.shutdownNow();
    }

    List<Input.ConditionAnswer> test(List<UnitCondition> conditions) {
        List<Input.ConditionAnswer> out = new ArrayList<>(conditions.size());
        for (UnitCondition c : conditions) out.add(test(c));
        return out;
    }

    Input.ConditionAnswer test(UnitCondition c) {
        String p = c.parameter();
        try {
            if (c.kind().path() && (p.equals(SYSTEMD_BOOTED) || p.startsWith(SYSTEMD_BOOTED + "/"))) {
                return answer(false, SYSTEMD_BOOTED + " means systemd is the service manager, and under ordo it is not");
            }
            return switch (c.kind()) {
                case PATH_EXISTS, PATH_EXISTS_GLOB, PATH_IS_DIRECTORY, PATH_IS_SYMBOLIC_LINK, PATH_IS_MOUNT_POINT,
                        PATH_IS_READ_WRITE, PATH_IS_ENCRYPTED, DIRECTORY_NOT_EMPTY, FILE_NOT_EMPTY, FILE_IS_EXECUTABLE ->
                        PathConditions.test(c.kind(), p, machine);
                case NEEDS_UPDATE -> SystemConditions.needsUpdate(p, machine);
                case FIRST_BOOT -> SystemConditions.firstBoot(p, machine);
                case ARCHITECTURE -> SystemConditions.architecture(p);
                case FIRMWARE -> SystemConditions.firmware(p, machine);
                case VIRTUALIZATION -> Virtualization.test(p, machine);
                case HOST -> SystemConditions.host(p, machine);
                case KERNEL_COMMAND_LINE -> SystemConditions.kernelCommandLine(p, machine);
                case KERNEL_VERSION -> SystemConditions.kernelVersion(p, machine);
                case OS_RELEASE -> SystemConditions.osRelease(p, machine);
                case SECURITY -> SystemConditions.security(p, machine);
                case AC_POWER -> SystemConditions.acPower(p, machine);
                case MEMORY -> SystemConditions.memory(p, machine);
                case CPUS -> SystemConditions.cpus(p, machine);
                case CONTROL_GROUP_CONTROLLER -> SystemConditions.controlGroupController(p, machine);
                case USER -> IdentityConditions.user(p, machine);
                case GROUP -> IdentityConditions.group(p, machine);
                case CAPABILITY -> IdentityConditions.capability(p, machine);
                case CREDENTIAL -> IdentityConditions.credential(p, machine);
                case ENVIRONMENT -> IdentityConditions.environment(p, machine);
                case CPU_FEATURE -> cpuFeature(p);
                case MEMORY_PRESSURE -> pressure("memory", p);
                case CPU_PRESSURE -> pressure("cpu", p);
                case IO_PRESSURE -> pressure("io", p);
            };
        } catch (RuntimeException e) {
            // A bug or an odd file must not pass a condition: say what happened.
            return unknown(e.toString());
        }
    }

    /** systemd's names that /proc/cpuinfo spells otherwise. */
    private static final Map<String, String> CPUINFO_NAMES = Map.of("fma3", "fma", "pclmul", "pclmulqdq");

    /**
     * ConditionCPUFeature=: systemd asks CPUID on x86 (elsewhere a feature is taken to be missing); ordo reads the
     * kernel's flags from /proc/cpuinfo, which name the same features. {@code osxsave} is not among them.
     */
    private Input.ConditionAnswer cpuFeature(String p) {
        String arch = SystemConditions.architecture();
        if (!arch.equals("x86-64") && !arch.equals("x86")) return answer(false, "not an x86 machine");
        String want = CPUINFO_NAMES.getOrDefault(p.toLowerCase(java.util.Locale.ROOT), p.toLowerCase(java.util.Locale.ROOT));
        if (want.equals("osxsave")) return unknown("the kernel does not list osxsave in /proc/cpuinfo");
        String cpu = machine.readOrNull("/proc/cpuinfo");
        if (cpu == null) return unknown("/proc/cpuinfo cannot be read");
        for (String line : cpu.split("\n")) {
            if (line.startsWith("flags")) {
                boolean has = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")).contains(want);
                return answer(has, "the CPU " + (has ? "has " : "does not have ") + p);
            }
        }
        return unknown("/proc/cpuinfo lists no flags");
    }

    /**
     * Condition{Memory,CPU,IO}Pressure=: the system's pressure (PSI: "full", else "some") averaged over 10sec,
     * 1min or 5min (the default) is at most the threshold. A slice's pressure ({@code SLICE:…}) is systemd's
     * cgroups', which ordo does not have.
     */
    private Input.ConditionAnswer pressure(String resource, String p) {
        if (p.contains(":")) return unknown("ordo has no slices to measure " + p.substring(0, p.indexOf(':')) + "'s pressure");
        String[] tw = p.split("/", 2);
        if (!tw[0].endsWith("%")) return unknown("`" + p + "` is not a percentage");
        double threshold = Double.parseDouble(tw[0].substring(0, tw[0].length() - 1));
        String span = tw.length == 1 ? "5min" : tw[1].trim();
        String key = switch (span) {
            case "10sec", "10s" -> "avg10";
            case "1min" -> "avg60";
            case "5min" -> "avg300";
            default -> null;
        };
        if (key == null) return unknown("the pressure is averaged over 10sec, 1min or 5min, not " + span);
        String text = machine.readOrNull("/proc/pressure/" + resource);
        if (text == null) return unknown("/proc/pressure/" + resource + " cannot be read");
        String line = null;
        for (String l : text.split("\n")) if (l.startsWith("full ") || (line == null && l.startsWith("some "))) line = l;
        if (line == null) return unknown("/proc/pressure/" + resource + " has no some or full line");
        for (String f : line.split("\\s+")) {
            if (f.startsWith(key + "=")) {
                double v = Double.parseDouble(f.substring(key.length() + 1));
                return answer(v <= threshold, resource + " pressure is " + v + "% over " + span);
            }
        }
        return unknown("/proc/pressure/" + resource + " has no " + key);
    }
}
