package dev.ordo.executor.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Manual pages in man(7) from the command definitions themselves, one per command ({@code ordo.1},
 * {@code ordo-plan.1}, {@code ordo-bench-plan.1}), so they never lag behind {@code --help}. picocli's
 * own generator (picocli-codegen) writes AsciiDoc, which needs Asciidoctor to become troff; this
 * writes the few macros a man page needs (TH, SH, TP, PP, nf/fi, B/I fonts) and nothing else, so
 * {@code man}, {@code man -l} and {@code groff -man} read it on any system. The same commands give the
 * same bytes: no date, the version from the jar. {@code ordo man --dir} writes them; the launcher does
 * so into executor/target/man after each build.
 */
final class ManPages {

    private ManPages() {
    }

    /** Writes every page into {@code dir/man1} and returns their paths, in command order. */
    static List<Path> write(Path dir, CommandLine root) throws IOException {
        Path man1 = Files.createDirectories(dir.resolve("man1"));
        List<Path> out = new ArrayList<>();
        for (Map.Entry<String, String> page : pages(root).entrySet()) {
            Path p = man1.resolve(page.getKey());
            Files.writeString(p, page.getValue(), StandardCharsets.UTF_8);
            out.add(p);
        }
        return out;
    }

    /** Every page by file name: {@code ordo.1} first, then each command and its own commands depth first. */
    static Map<String, String> pages(CommandLine root) {
        Map<String, String> out = new LinkedHashMap<>();
        collect(root, out);
        return out;
    }

    private static void collect(CommandLine c, Map<String, String> out) {
        out.put(fileName(c.getCommandSpec()), page(c.getCommandSpec()));
        for (CommandLine sub : c.getSubcommands().values()) {
            // An alias is the same CommandLine under another name: one page.
            if (!out.containsKey(fileName(sub.getCommandSpec()))) collect(sub, out);
        }
    }

    /** {@code ordo-bench-plan.1}. */
    static String fileName(CommandSpec spec) {
        return pageName(spec) + ".1";
    }

    private static String pageName(CommandSpec spec) {
        return spec.qualifiedName("-");
    }

    /** One command's page. */
    static String page(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        String name = pageName(spec);
        b.append(".\\\" Made by `ordo man` from ordo's command definitions; do not edit.\n");
        b.append(".TH \"").append(escape(name.toUpperCase(java.util.Locale.ROOT))).append("\" \"1\" \"\" \"")
                .append(escape(version(spec))).append("\" \"ordo manual\"\n");
        b.append(".nh\n.ad l\n");
        String[] description = spec.usageMessage().description();
        b.append(".SH NAME\n").append(escape(name)).append(" \\- ")
                .append(prose(description.length == 0 ? spec.name() : description[0])).append('\n');
        synopsis(b, spec);
        if (description.length > 1) {
            b.append(".SH DESCRIPTION\n");
            lines(b, List.of(description).subList(1, description.length));
        }
        arguments(b, spec);
        commands(b, spec);
        String heading = spec.usageMessage().footerHeading().replace("%n", "").replace(":", "").strip();
        String[] footer = spec.usageMessage().footer();
        if (footer.length > 0) {
            b.append(".SH ").append(heading.isEmpty() ? "NOTES" : escape(heading.toUpperCase(java.util.Locale.ROOT))).append('\n');
            lines(b, List.of(footer));
        }
        seeAlso(b, spec);
        return b.toString();
    }

    private static void synopsis(StringBuilder b, CommandSpec spec) {
        b.append(".SH SYNOPSIS\n.B ").append(escape(spec.qualifiedName())).append('\n');
        List<String> parts = new ArrayList<>();
        for (OptionSpec o : spec.options()) {
            if (o.hidden()) continue;
            String one = "\\fB" + option(o.longestName()) + "\\fR" + (o.arity().max() > 0 ? "=\\fI" + escape(label(o)) + "\\fR" : "");
            String repeat = o.isMultiValue() ? "..." : "";
            parts.add(o.required() ? one + repeat : "[" + one + "]" + repeat);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            if (p.hidden()) continue;
            String one = "\\fI" + escape(label(p)) + "\\fR" + (p.isMultiValue() ? "..." : "");
            parts.add(p.arity().min() > 0 ? one : "[" + one + "]");
        }
        if (!spec.subcommands().isEmpty()) parts.add("\\fICOMMAND\\fR");
        for (String p : parts) b.append(p).append('\n');
    }

    private static void arguments(StringBuilder b, CommandSpec spec) {
        List<PositionalParamSpec> params = spec.positionalParameters().stream().filter(p -> !p.hidden()).toList();
        if (!params.isEmpty()) {
            b.append(".SH ARGUMENTS\n");
            for (PositionalParamSpec p : params) {
                b.append(".TP\n\\fI").append(escape(label(p))).append("\\fR").append(p.isMultiValue() ? "..." : "").append('\n');
                describe(b, p);
            }
        }
        List<OptionSpec> options = spec.options().stream().filter(o -> !o.hidden()).toList();
        if (options.isEmpty()) return;
        b.append(".SH OPTIONS\n");
        for (OptionSpec o : options) {
            b.append(".TP\n");
            List<String> names = new ArrayList<>();
            for (String n : o.names()) names.add("\\fB" + option(n) + "\\fR");
            b.append(String.join(", ", names));
            if (o.arity().max() > 0) b.append("=\\fI").append(escape(label(o))).append("\\fR");
            b.append('\n');
            describe(b, o);
        }
    }

    private static void commands(StringBuilder b, CommandSpec spec) {
        if (spec.subcommands().isEmpty()) return;
        b.append(".SH COMMANDS\n");
        for (Map.Entry<String, CommandLine> e : spec.subcommands().entrySet()) {
            CommandSpec sub = e.getValue().getCommandSpec();
            String[] d = sub.usageMessage().description();
            b.append(".TP\n\\fB").append(escape(e.getKey())).append("\\fR\n")
                    .append(prose(d.length == 0 ? "" : d[0])).append(" See ").append(ref(pageName(sub))).append(".\n");
        }
    }

    private static void seeAlso(StringBuilder b, CommandSpec spec) {
        List<String> refs = new ArrayList<>();
        if (spec.parent() != null) refs.add(pageName(spec.parent()));
        for (CommandLine sub : spec.subcommands().values()) {
            String n = pageName(sub.getCommandSpec());
            if (!refs.contains(n)) refs.add(n);
        }
        b.append(".SH SEE ALSO\n");
        List<String> out = new ArrayList<>();
        for (String r : refs) out.add(ref(r));
        out.add("the documentation in docs/ beside ordo's sources (commands.md, configuration.md, semantics.md)");
        b.append(String.join(",\n", out)).append('\n');
    }

    /** A reference to another page, {@code ordo-plan(1)}, never broken across lines at its hyphen ({@code \%}). */
    private static String ref(String page) {
        return "\\fB\\%" + option(page) + "\\fR(1)";
    }

    /** An argument's description, with picocli's variables filled in as {@code --help} fills them. */
    private static void describe(StringBuilder b, ArgSpec a) {
        List<String> lines = new ArrayList<>();
        for (String d : a.description()) {
            String text = d.replace("${DEFAULT-VALUE}", a.defaultValue() == null ? "" : a.defaultValue());
            if (a.completionCandidates() != null && text.contains("${COMPLETION-CANDIDATES}")) {
                List<String> values = new ArrayList<>();
                a.completionCandidates().forEach(values::add);
                text = text.replace("${COMPLETION-CANDIDATES}", String.join(", ", values));
            }
            lines.add(text);
        }
        lines(b, lines);
    }

    /**
     * Lines as they are in the definitions: an empty one starts a paragraph, a run of indented ones
     * (examples, a table of exit statuses) is kept as it is written, the rest is filled text.
     */
    private static void lines(StringBuilder b, List<String> lines) {
        boolean literal = false;
        for (String raw : lines) {
            String l = raw.replace("%n", "").stripTrailing();
            boolean indented = l.startsWith("  ");
            if (indented && !literal) {
                b.append(".nf\n");
                literal = true;
            } else if (!indented && literal) {
                b.append(".fi\n");
                literal = false;
            }
            if (l.isEmpty()) {
                b.append(".PP\n");
            } else {
                b.append(literal ? escape(l) : prose(l)).append('\n');
            }
        }
        if (literal) b.append(".fi\n");
    }

    private static String label(ArgSpec a) {
        String l = a.paramLabel();
        return l.startsWith("<") && l.endsWith(">") ? l.substring(1, l.length() - 1).toUpperCase(java.util.Locale.ROOT) : l;
    }

    /** An option name as typed: hyphens are minus signs, which a reader can copy and paste. */
    static String option(String name) {
        return escape(name).replace("-", "\\-");
    }

    /** Filled text: a word that starts with a hyphen ({@code --strict}) is an option, so its hyphens are minus signs. */
    static String prose(String s) {
        String e = escape(s);
        StringBuilder out = new StringBuilder(e.length() + 8);
        for (int i = 0; i < e.length(); i++) {
            char c = e.charAt(i);
            boolean startsWord = i == 0 || " ([`'\"/".indexOf(e.charAt(i - 1)) >= 0
                    || (e.charAt(i - 1) == '-' && out.length() > 1 && out.charAt(out.length() - 2) == '\\');
            out.append(c == '-' && startsWord ? "\\-" : String.valueOf(c));
        }
        return out.toString();
    }

    /**
     * Text safe in a troff line: backslashes written as {@code \e}, a leading dot or quote kept from
     * being a request, and every character beyond ASCII as {@code \[uXXXX]}, which groff reads
     * whatever the page's encoding is taken to be.
     */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\\') out.append("\\e");
            else if (cp < 128) out.append((char) cp);
            else out.append(String.format(java.util.Locale.ROOT, "\\[u%04X]", cp));
        }
        String t = out.toString();
        return t.startsWith(".") || t.startsWith("'") ? "\\&" + t : t;
    }

    private static String version(CommandSpec spec) {
        CommandSpec root = spec.root();
        String[] v = root.version();
        if (v.length == 0 && root.versionProvider() != null) {
            try {
                v = root.versionProvider().getVersion();
            } catch (Exception e) {
                v = new String[0];
            }
        }
        return v.length == 0 ? "ordo" : v[0];
    }
}
