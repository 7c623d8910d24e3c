package dev.ordo.executor.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir DIR}: which supervisor (see {@link StateDirectory} for the default). */
final class StateDirOption {

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "The supervisor's state directory (default: $ORDO_STATE_DIR, else /var/lib/ordo for root,"
                    + " else $XDG_STATE_HOME/ordo or ~/.local/state/ordo).")
    Path dir;

    Path resolve() {
        return StateDirectory.resolve(dir);
    }
}
