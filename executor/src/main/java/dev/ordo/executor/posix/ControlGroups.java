package dev.ordo.executor.posix;

import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A cgroup (v2) for each start of a unit, where ordo may make one: what systemd does to know every process a
 * service started, including one that called {@code setsid} and cleared its environment, which the
 * {@code INVOCATION_ID} mark ({@link MarkedProcesses}) cannot see.
 *
 * <p>Where: below ordo's own cgroup, in {@code ordo-HASH/UNIT/INVOCATION} ({@code HASH} of the runtime directory,
 * so that two supervisors beside each other never share one; one level per start, so that the final signal to what
 * a stop left never reaches the next start). "May" means: the unified hierarchy is mounted, ordo's cgroup in it can
 * be written, and no systemd manages it (ordo is PID 1, or {@code /run/systemd/system} is absent: a cgroup tree
 * belongs to one manager). A container's read-only {@code /sys/fs/cgroup} (Docker's default) says no, and ordo goes
 * on with marks, subreaper and process groups.
 *
 * <p>How a process gets in: posix_spawn cannot place its child, and moving it afterwards races with its first
 * fork; so the child's first program, a shell ({@link Processes}'s trampoline), writes {@code 0} (itself) into the
 * cgroup's {@code cgroup.procs} before it execs the job. No controller is enabled: only membership is wanted.
 */
public final class ControlGroups {

    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
    private static final Path OWN = Path.of("/proc/self/cgroup");

    /** ordo's part of the tree, or null when it makes none ({@link #reason()} says why). */
    private final Path base;
    private final String reason;

    private ControlGroups(Path base, String reason) {
        this.base = base;
        this.reason = reason;
    }

    /** The cgroups of the supervisor whose runtime directory is {@code runtime}, or none with the reason. */
    static ControlGroups find(Path runtime, boolean pid1) {
        if (!pid1 && Files.exists(Path.of("/run/systemd/system"))) {
            return new ControlGroups(null, "systemd manages this machine's cgroups");
        }
        Path own = ownDirectory();
        if (own == null) return new ControlGroups(null, "no cgroup v2 hierarchy is mounted");
        // Made at the first start that needs it (a supervisor that starts no unit leaves nothing behind), so what is
        // asked here is whether it could be: the hierarchy's own directory, writable (not Docker's read-only mount).
        if (!Files.exists(own.resolve("cgroup.procs")) || !Files.isWritable(own)) {
            return new ControlGroups(null, own + " is not a cgroup ordo can write");
        }
        return new ControlGroups(own.resolve("ordo-" + hash(runtime == null ? "" : runtime.toAbsolutePath().toString())), null);
    }

    /** Whether starts get a cgroup. */
    public boolean active() {
        return base != null;
    }

    /** Where they are, or why there are none: one line for the supervisor's log. */
    public String describe() {
        return base != null ? "each unit's start in a cgroup below " + base : "no cgroups: " + reason;
    }

    /** Why there are none; null when there are. */
    public String reason() {
        return reason;
    }

    /**
     * The {@code cgroup.procs} a new process of this start writes itself into, made if missing; null when ordo makes
     * no cgroups. The cgroups of earlier starts of the unit that are empty now are removed first.
     */
    String procsFor(String unit, String invocation) throws IOException {
        if (base == null) return null;
        Path dir = base.resolve(name(unit));
        if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) removeEmpty(dir, false);
        Path start = dir.resolve(name(invocation));
        Files.createDirectories(start);
        return start.resolve("cgroup.procs").toString();
    }

    /** The processes in this start's cgroup (none when it has none). */
    public List<Integer> pids(String unit, String invocation) {
        List<Integer> out = new ArrayList<>();
        if (base == null) return out;
        Path procs = base.resolve(name(unit)).resolve(name(invocation)).resolve("cgroup.procs");
        try {
            for (String line : Files.readAllLines(procs, StandardCharsets.US_ASCII)) {
                if (!line.isBlank()) out.add(Integer.parseInt(line.strip()));
            }
        } catch (IOException | NumberFormatException e) {
            // no such cgroup (nothing of this start was spawned into one): no process
        }
        return out;
    }

    /** {@code signal} to every process in this start's cgroup, as systemd's cg_kill; how many there were. */
    public int signal(String unit, String invocation, Signal signal) {
        int n = 0;
        for (int pid : pids(unit, invocation)) {
            if (Sys.C.kill(pid, signal.number()) == 0) n++;
        }
        return n;
    }

    /** At the supervisor's end: every empty cgroup of ordo's goes, and its own part of the tree when all did. */
    public void close() {
        if (base != null) removeEmpty(base, true);
    }

    /** Removes the empty cgroups below {@code dir} (leaves first), and {@code dir} itself when {@code self}. */
    private static void removeEmpty(Path dir, boolean self) {
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path c : children) {
                if (Files.isDirectory(c, LinkOption.NOFOLLOW_LINKS)) removeEmpty(c, true);
            }
        } catch (IOException e) {
            return;
        }
        if (!self) return;
        try {
            Files.delete(dir); // rmdir(2): refused (EBUSY) while a process or a child cgroup is in it
        } catch (IOException e) {
            // still in use: left for the next start or the next supervisor
        }
    }

    /**
     * A cgroup's name for a unit: systemd-escape's rule for what a file name may not hold ({@code /}, and a leading
     * {@code .}), so that {@code cgroup.procs} can never be a unit's name.
     */
    static String name(String unit) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < unit.length(); i++) {
            char c = unit.charAt(i);
            boolean plain = Character.isLetterOrDigit(c) && c < 128 || "_-@:+".indexOf(c) >= 0 || c == '.' && i > 0;
            if (plain) b.append(c);
            else for (byte x : String.valueOf(c).getBytes(StandardCharsets.UTF_8)) b.append(String.format("\\x%02x", x));
        }
        return b.length() == 0 ? "_" : b.toString();
    }

    /** ordo's own cgroup directory in the unified hierarchy (from /proc/self/cgroup's {@code 0::} line), or null. */
    private static Path ownDirectory() {
        try {
            String path = null;
            for (String line : Files.readAllLines(OWN)) if (line.startsWith("0::")) path = line.substring(3);
            if (path == null) return null;
            for (String line : Files.readAllLines(MOUNTINFO)) {
                // id parent major:minor root mountpoint options ... - fstype source superoptions
                int dash = line.indexOf(" - ");
                if (dash < 0 || !line.substring(dash + 3).startsWith("cgroup2 ")) continue;
                String[] f = line.substring(0, dash).split(" ");
                String root = unescape(f[3]);
                Path mount = Path.of(unescape(f[4]));
                if (!path.startsWith(root)) continue;
                String rel = path.substring(root.length()).replaceFirst("^/+", "");
                return rel.isEmpty() ? mount : mount.resolve(rel);
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    /** mountinfo's octal escapes ({@code \040} for a blank). */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\\' && i + 3 < s.length()) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(s.charAt(i));
            }
        }
        return b.toString();
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
