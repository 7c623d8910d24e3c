package dev.ordo.executor.cli;

import dev.ordo.executor.runtime.LogFiles;
import dev.ordo.executor.runtime.StateFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ordo log} when no supervisor runs: the job's log files are still there (after a shutdown, or a
 * crash), so they are read as they are. In a class of its own so that the client commands load the
 * runtime's classes only on this path.
 */
final class OfflineLog {

    private OfflineLog() {
    }

    static int print(Path stateDir, String job, String instance, int lines, boolean follow, PrintWriter out, PrintWriter err) {
        Path logs = new StateFiles(stateDir).logs();
        List<String> text;
        try {
            text = LogFiles.tailOfFiles(logs, job, instance, lines);
        } catch (IOException e) {
            err.println("ordo: cannot read the log of " + job + " in " + logs + ": " + e.getMessage());
            return Main.USAGE;
        }
        if (text == null) {
            err.println("ordo: no supervisor at " + stateDir + ", and no log of " + (instance.isEmpty() ? job
                    : job + " (" + instance + ")") + " in " + logs);
            return Main.USAGE;
        }
        for (String l : text) out.println(l);
        out.flush();
        if (follow) err.println("ordo: no supervisor at " + stateDir + ": the log as it is; nothing writes to it to follow");
        return 0;
    }
}
