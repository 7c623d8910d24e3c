package dev.ordo.executor.cli;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;

/**
 * The forms ordo writes its output in: one list for every command, each command taking the ones that fit
 * it (a plan is also a picture; a check or a diff is a report, text or JSON).
 */
enum OutputFormat {
    text, json, dot, mermaid, svg;

    /**
     * What a file name's extension asks for ({@code -o plan.svg}), or null when it names no format: then
     * the command's default holds.
     */
    static OutputFormat ofFileName(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        int at = name.lastIndexOf('.');
        return switch (at < 0 ? "" : name.substring(at + 1)) {
            case "json" -> json;
            case "dot", "gv" -> dot;
            case "mmd", "mermaid" -> mermaid;
            case "svg" -> svg;
            case "txt", "text" -> text;
            default -> null;
        };
    }

    /** {@code --format} of a report (check, diff): text or json, refused otherwise and completed so. */
    static final class Report implements CommandLine.ITypeConverter<OutputFormat>, Iterable<String> {

        @Override
        public OutputFormat convert(String value) {
            if (value.equals(text.name())) return text;
            if (value.equals(json.name())) return json;
            throw new CommandLine.TypeConversionException("expected text or json, not '" + value + "'");
        }

        @Override
        public Iterator<String> iterator() {
            return List.of(text.name(), json.name()).iterator();
        }
    }
}
