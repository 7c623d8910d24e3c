package dev.ordo.executor.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json} of the client commands that answer with a status (docs/control.md, "JSON answers"). */
final class ReplyFormatOption {

    /** The two forms of an answer. */
    enum ReplyFormat { text, json }

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (initctl's lines, the default) or json (an object per instance, for scripts).")
    ReplyFormat format = ReplyFormat.text;

    boolean json() {
        return format == ReplyFormat.json;
    }
}
