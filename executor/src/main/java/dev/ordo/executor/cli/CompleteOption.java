package dev.ordo.executor.cli;

import dev.ordo.planner.model.Config;
import picocli.CommandLine.Option;

/**
 * {@code --complete}: the files given are the whole system. A directory of jobs is usually part of one, so an
 * event of a job not among them is unknown (a warning); declared complete, it is impossible (an error).
 */
final class CompleteOption {

    @Option(names = "--complete",
            description = "The files are the whole system: an event of a job not among them (`started udev`) is an"
                    + " error, not a warning.")
    boolean complete;

    Config apply(Config config) {
        return complete ? config.declaredComplete() : config;
    }
}
