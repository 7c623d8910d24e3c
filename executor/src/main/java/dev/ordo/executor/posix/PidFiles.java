package dev.ordo.executor.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * systemd's {@code PIDFile=} for {@code Type=forking}: the daemon names its main process in a file, read
 * when the launcher exits. The name is trusted only as far as systemd trusts it (service_load_pid_file()):
 * a live process other than PID 1 and ordo itself, and here also one that started no sooner than the
 * launcher did, so a stale file left by an earlier run can never hand ordo an unrelated process to watch
 * and later to kill.
 */
final class PidFiles {

    /** A PID file holds one number and a newline; anything longer is not one. */
    private static final long MAX_SIZE = 64;

    private PidFiles() {
    }

    /** The process the file names, or null when there is none to take (missing, stale, not a number). */
    static ProcStat named(String file, long launchedAt, long self) {
        Path path = Path.of(file);
        String text;
        try {
            if (!Files.isRegularFile(path) || Files.size(path) > MAX_SIZE) return null;
            text = Files.readString(path, StandardCharsets.US_ASCII).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int pid;
        try {
            pid = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            return null;
        }
        if (pid <= 1 || pid == self) return null;
        ProcStat s = ProcStat.read(pid);
        if (s == null || s.zombie() || s.startTime() < launchedAt) return null;
        return s;
    }
}
