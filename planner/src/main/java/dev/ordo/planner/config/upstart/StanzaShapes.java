package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What the readers of Upstart stanzas share (init(5), U§4): the scanner they read from, the job they
 * build and the diagnostics, and the shapes of arguments many stanzas have: none, exactly one, one
 * or more, a sub-keyword with one value ({@code kill timeout N}), and whole numbers as strtol(3)
 * takes them.
 */
abstract class StanzaShapes {

    final UpstartScanner in;
    final Job.Builder job;
    final List<Diagnostic> diagnostics;

    StanzaShapes(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        this.in = in;
        this.job = job;
        this.diagnostics = diagnostics;
    }

    Source at(Token t) {
        return in.at(t.start());
    }

    void report(Code code, int offset, String message, String hint) {
        in.report(code, offset, message, hint);
    }

    void noArguments(Token name) {
        List<Token> args = in.restOfLine();
        if (!args.isEmpty()) {
            Token extra = args.get(0);
            report(Code.UNEXPECTED_ARGUMENT, extra.start(), "`" + name.text() + "` takes no arguments, found `" + extra.text() + "`",
                    "remove it; if it starts a new stanza, put that on a line of its own");
        }
    }

    /** A stanza that takes exactly one argument; {@code what} names it for the "missing" message. */
    void one(Token name, String what, Consumer<Token> apply) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`" + name.text() + "` needs " + what, null);
            return;
        }
        if (args.size() > 1) {
            Token extra = args.get(1);
            boolean text = List.of("description", "author", "version", "usage").contains(name.text());
            report(Code.UNEXPECTED_ARGUMENT, extra.start(),
                    "`" + name.text() + "` takes one argument, found another: `" + extra.text() + "`",
                    text ? "put the whole text in double quotes" : "remove it, or quote the value if it contains spaces");
            return;
        }
        apply.accept(args.get(0));
    }

    /** A stanza that takes one or more arguments, each applied on its own. */
    void names(Token name, String what, Consumer<Token> apply) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`" + name.text() + "` needs one or more " + what, null);
            return;
        }
        args.forEach(apply);
    }

    void unexpected(Token name, Token arg, String expected) {
        report(Code.UNEXPECTED_ARGUMENT, arg.start(),
                "unknown argument `" + arg.text() + "` to `" + name.text() + "`: expected " + expected,
                Suggest.hint(arg.text(), keywords(expected)));
    }

    /** The back-quoted words of an "expected" phrase, as candidates for a hint. */
    private static List<String> keywords(String expected) {
        List<String> out = new ArrayList<>();
        String[] parts = expected.split("`");
        for (int i = 1; i < parts.length; i += 2) out.add(parts[i].split(" ")[0]);
        return out;
    }

    void resources(Function<Resources, Resources> change) {
        job.resources(change.apply(job.resources()));
    }

    /**
     * The one value after a known sub-keyword ({@code kill timeout N}); null, with the problem reported,
     * when it is missing or followed by more. Unknown sub-keywords are left to the caller.
     */
    Token subValue(Token name, Token sub, List<Token> args) {
        if (!List.of("timeout", "signal", "score", "load", "switch").contains(sub.text())) return null;
        String words = name.text() + " " + sub.text();
        if (args.size() < 2) {
            String what = switch (sub.text()) {
                case "timeout" -> "a number of seconds";
                case "signal" -> "a signal name or number, e.g. TERM";
                case "score" -> "a score from -1000 to 1000, or `never`";
                case "load" -> "the path of an AppArmor profile";
                default -> "the name of an AppArmor profile";
            };
            report(Code.MISSING_ARGUMENT, sub.end(), "`" + words + "` needs " + what, null);
            return null;
        }
        if (args.size() > 2) {
            report(Code.UNEXPECTED_ARGUMENT, args.get(2).start(),
                    "`" + words + "` takes one value, found another: `" + args.get(2).text() + "`", "remove it");
            return null;
        }
        return args.get(1);
    }

    /** A whole number in decimal, with an optional sign, as strtol(3) takes it; null otherwise. */
    static Long whole(String s) {
        if (s.isEmpty() || s.length() > 19) return null;
        int i = s.charAt(0) == '-' || s.charAt(0) == '+' ? 1 : 0;
        if (i == s.length()) return null;
        for (int j = i; j < s.length(); j++) {
            if (s.charAt(j) < '0' || s.charAt(j) > '9') return null;
        }
        try {
            return Long.parseLong(s.charAt(0) == '+' ? s.substring(1) : s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
