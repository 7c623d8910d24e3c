package dev.ordo.executor.posix;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A process's start time as {@link ProcessHandle.Info#startInstant} gives it, from the start ticks of its
 * {@code /proc/PID/stat} that the process table has read already. ProcessHandle's own way reads five files
 * of /proc and looks up the owner's name; at a thousand spawns that was a real part of a boot.
 *
 * <p>The JDK computes {@code btime * 1000 + ticks * 1000 / CLK_TCK} with {@code btime} from
 * {@code /proc/stat} read once; this does the same with {@code CLK_TCK} 100 (Linux's USER_HZ), after checking
 * on this JVM's own process that the two agree. Where they do not, it answers null and callers ask
 * ProcessHandle.
 */
public final class StartInstants {

    private static final long HZ = 100;
    /** The boot time in epoch milliseconds, or -1 when this way does not agree with the JDK's. */
    private static final long BOOT_MILLIS = calibrate();

    private StartInstants() {
    }

    /** The start instant of a process that started {@code ticks} clock ticks after boot, or null (ask ProcessHandle). */
    public static Instant of(long ticks) {
        if (BOOT_MILLIS < 0 || ticks <= 0) return null;
        return Instant.ofEpochMilli(BOOT_MILLIS + ticks * 1000 / HZ);
    }

    private static long calibrate() {
        // ProcessHandle's boot time is read when its class is set up: set it up first, then read ours.
        Instant jdk = ProcessHandle.current().info().startInstant().orElse(null);
        long boot = btime();
        ProcStat self = ProcStat.read((int) ProcessHandle.current().pid());
        if (jdk == null || boot < 0 || self == null) return -1;
        long millis = boot * 1000;
        return jdk.equals(Instant.ofEpochMilli(millis + self.startTime() * 1000 / HZ)) ? millis : -1;
    }

    private static long btime() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("btime ")) return Long.parseLong(line.substring(6).trim());
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: ProcessHandle it is
        }
        return -1;
    }
}
