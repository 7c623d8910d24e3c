package dev.ordo.executor.posix;

import dev.ordo.planner.model.Signal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The processes of one start of a unit, found without cgroups: each carries the start's mark
 * ({@code INVOCATION_ID=...}, which systemd gives every service process) in its initial environment, and
 * keeps it across fork, setsid and exec. A daemon's workers, a backgrounded helper and a child that made
 * itself a session leader are all found; a process that started with an empty environment is not, which
 * is the price of working where ordo may not make a cgroup (a container with /sys read-only).
 */
final class MarkedProcesses {

    private MarkedProcesses() {
    }

    /** Live processes (not zombies, not this one) whose initial environment has {@code mark} ({@code K=V}). */
    static List<Integer> find(String mark) {
        byte[] want = mark.getBytes(StandardCharsets.UTF_8);
        long self = ProcessHandle.current().pid();
        List<Integer> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"))) {
            for (Path p : procs) {
                String name = p.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) continue;
                int pid = Integer.parseInt(name);
                if (pid == self) continue;
                byte[] env;
                try {
                    env = Files.readAllBytes(p.resolve("environ"));
                } catch (IOException gone) {
                    continue;
                }
                if (!has(env, want)) continue;
                ProcStat s = ProcStat.read(pid);
                if (s != null && !s.zombie()) out.add(pid);
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    /** Sends {@code signal} to every process with the mark; how many were sent it. */
    static int signal(String mark, Signal signal) {
        int n = 0;
        for (int pid : find(mark)) if (Sys.C.kill(pid, signal.number()) == 0) n++;
        return n;
    }

    /** Whether the NUL-separated environment has the entry {@code want} exactly. */
    static boolean has(byte[] env, byte[] want) {
        int start = 0;
        while (start < env.length) {
            int end = start;
            while (end < env.length && env[end] != 0) end++;
            if (end - start == want.length) {
                boolean same = true;
                for (int i = 0; i < want.length && same; i++) same = env[start + i] == want[i];
                if (same) return true;
            }
            start = end + 1;
        }
        return false;
    }
}
