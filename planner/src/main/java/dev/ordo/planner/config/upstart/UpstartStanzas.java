package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.EventExprParser;

import dev.ordo.planner.diag.Suggest;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.config.upstart.UpstartScanner.Extent;
import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The stanzas of one Upstart job file (init(5), U§4), applied in file order to a {@link Job.Builder}.
 * Single-valued stanzas replace what came before ("the last occurrence will be used"); {@code env},
 * {@code export}, {@code emits} and {@code normal exit} accumulate. A stanza with an error is reported
 * and left out; reading goes on with the next one.
 */
final class UpstartStanzas {

    /** Every stanza Upstart 1.13 knows, for "did you mean" hints and for cutting runaway expressions. */
    static final List<String> NAMES = List.of(
            "apparmor", "author", "cgroup", "chdir", "chroot", "console", "debug", "description", "emits", "env",
            "exec", "expect", "export", "instance", "kill", "limit", "manual", "nice", "normal", "oom",
            "post-start", "post-stop", "pre-start", "pre-stop", "reload", "respawn", "script", "setgid", "setuid",
            "start", "stop", "task", "umask", "usage", "version");

    private final UpstartScanner in;
    private final Job.Builder job;
    private final List<Diagnostic> diagnostics;

    private UpstartStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        this.in = in;
        this.job = job;
        this.diagnostics = diagnostics;
    }

    /** Reads {@code text} (the contents of {@code file}) into {@code job}, adding problems to {@code diagnostics}. */
    static void read(String file, String text, Job.Builder job, List<Diagnostic> diagnostics) {
        UpstartScanner in = new UpstartScanner(file, text, diagnostics);
        new UpstartStanzas(in, job, diagnostics).run();
    }

    private void run() {
        while (!in.atEnd()) {
            in.skipWhitespace();
            if (!in.hasToken()) {
                in.nextLine();
                continue;
            }
            int before = in.pos;
            stanza(in.nextArg());
            if (in.pos <= before) in.nextLine(); // never read the same place twice
        }
    }

    private Source at(Token t) {
        return in.at(t.start());
    }

    private void report(Code code, int offset, String message, String hint) {
        in.report(code, offset, message, hint);
    }

    private void stanza(Token name) {
        String n = name.text();
        switch (n) {
            case "start", "stop" -> on(name);
            case "manual" -> {
                noArguments(name);
                // Forgets an earlier `start on` only; a later one still applies (U§3.1).
                job.startOn(null);
            }
            case "exec" -> exec(Phase.MAIN, name, name);
            case "script" -> script(Phase.MAIN, name, name);
            case "pre-start" -> process(Phase.PRE_START, name);
            case "post-start" -> process(Phase.POST_START, name);
            case "pre-stop" -> process(Phase.PRE_STOP, name);
            case "post-stop" -> process(Phase.POST_STOP, name);
            case "task" -> {
                noArguments(name);
                job.task(true);
            }
            case "respawn" -> respawn(name);
            case "normal" -> normalExit(name);
            case "instance" -> one(name, "a name template, e.g. `$TTY`", t -> job.instance(new Template(t.text(), at(name))));
            case "description" -> one(name, "a description", t -> job.description(t.text()));
            case "author", "version", "usage" -> one(name, "a text", t -> { });
            case "env" -> one(name, "`KEY=VALUE` or `KEY`", t -> env(name, t));
            case "export" -> names(name, "variable names", t -> job.export(new Named(t.text(), at(t))));
            case "emits" -> names(name, "event names", t -> job.emits(new Named(t.text(), at(t))));
            case "expect" -> one(name, "one of stop, daemon, fork or none", this::expect);
            case "kill" -> kill(name);
            case "reload" -> reload(name);
            case "umask" -> one(name, "an octal mode, e.g. 022", this::umask);
            case "nice" -> one(name, "a number from -20 to 19", this::nice);
            case "oom" -> oom(name);
            case "limit" -> limit(name);
            case "chdir" -> one(name, "a directory", t -> resources(r -> new Resources(r.umask(), r.nice(), t.text(),
                    r.chroot(), r.limits(), r.user(), r.group(), r.oomScore())));
            case "chroot" -> one(name, "a directory", t -> resources(r -> new Resources(r.umask(), r.nice(), r.chdir(),
                    t.text(), r.limits(), r.user(), r.group(), r.oomScore())));
            case "setuid" -> one(name, "a user name", t -> resources(r -> new Resources(r.umask(), r.nice(), r.chdir(),
                    r.chroot(), r.limits(), t.text(), r.group(), r.oomScore())));
            case "setgid" -> one(name, "a group name", t -> resources(r -> new Resources(r.umask(), r.nice(), r.chdir(),
                    r.chroot(), r.limits(), r.user(), t.text(), r.oomScore())));
            case "console" -> one(name, "one of none, log, output or owner", this::console);
            case "apparmor" -> apparmor(name);
            case "cgroup" -> cgroup(name);
            case "debug" -> noArguments(name);
            default -> unknown(name);
        }
    }

    // ---- shapes shared by many stanzas

    private void noArguments(Token name) {
        List<Token> args = in.restOfLine();
        if (!args.isEmpty()) {
            Token extra = args.get(0);
            report(Code.UNEXPECTED_ARGUMENT, extra.start(), "`" + name.text() + "` takes no arguments, found `" + extra.text() + "`",
                    "remove it; if it starts a new stanza, put that on a line of its own");
        }
    }

    /** A stanza that takes exactly one argument; {@code what} names it for the "missing" message. */
    private void one(Token name, String what, Consumer<Token> apply) {
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
    private void names(Token name, String what, Consumer<Token> apply) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`" + name.text() + "` needs one or more " + what, null);
            return;
        }
        args.forEach(apply);
    }

    private void unexpected(Token name, Token arg, String expected) {
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

    private void resources(Function<Resources, Resources> change) {
        job.resources(change.apply(job.resources()));
    }

    // ---- events

    private void on(Token name) {
        Token sub = in.nextArg();
        if (sub == null) {
            report(Code.MISSING_ARGUMENT, name.end(), "`" + name.text() + "` needs `on` and an event expression",
                    "e.g. `" + name.text() + " on runlevel [2345]`");
            in.nextLine();
            return;
        }
        if (!sub.text().equals("on")) {
            unexpected(name, sub, "`on`");
            in.pos = sub.start();
            in.expression(NAMES); // skipped whole, parenthesised lines too
            return;
        }
        int mark = diagnostics.size();
        Extent x = in.expression(NAMES);
        boolean readable = diagnostics.subList(mark, diagnostics.size()).stream().noneMatch(Diagnostic::isError);
        EventExprParser.ParsedExpr r;
        try {
            r = EventExprParser.parse(x.text(), offset -> in.at(x.start() + offset));
        } catch (RuntimeException e) {
            // The shared parser should report, not throw; this keeps one bad expression from losing the file.
            report(Code.SYNTAX, x.start(), "cannot read this event expression", "check for an empty quoted event name");
            r = new EventExprParser.ParsedExpr(null, List.of());
        }
        List<Diagnostic> found = new ArrayList<>(r.diagnostics());
        if (!r.ok()) danglingOperator(name, x, found);
        diagnostics.addAll(found);
        EventExpr expr = readable ? r.expr() : null;
        if (name.text().equals("start")) job.startOn(expr);
        else job.stopOn(expr);
    }

    /**
     * {@code start on a and} followed by an indented {@code b} on the next line: Upstart ends the
     * expression at the line end (only parentheses or a backslash continue it). The indented lines are
     * skipped rather than reported again as unknown stanzas, and the error says why.
     */
    private void danglingOperator(Token name, Extent x, List<Diagnostic> found) {
        Source end = in.at(x.end());
        for (int i = 0; i < found.size(); i++) {
            Diagnostic d = found.get(i);
            if (d.code() != Code.EXPECTED_EVENT || !d.source().equals(end)) continue;
            boolean skipped = false;
            while (!in.atEnd() && UpstartScanner.isWs(in.peek()) && !in.startsWithStanza(in.pos, NAMES)) {
                int save = in.pos;
                in.skipWhitespace();
                boolean blank = !in.hasToken();
                in.pos = save;
                if (blank) break;
                in.nextLine();
                skipped = true;
            }
            if (skipped) {
                found.set(i, new Diagnostic(d.severity(), d.code(), d.message(), d.source(),
                        "`" + name.text() + " on` continues on the next line only inside parentheses or after a"
                                + " trailing backslash"));
            }
        }
    }

    // ---- processes

    private void process(Phase phase, Token name) {
        Token sub = in.nextArg();
        if (sub == null) {
            report(Code.MISSING_ARGUMENT, name.end(), "`" + name.text() + "` needs `exec COMMAND` or `script`", null);
            in.nextLine();
            return;
        }
        switch (sub.text()) {
            case "exec" -> exec(phase, name, sub);
            case "script" -> script(phase, name, sub);
            default -> {
                unexpected(name, sub, "`exec` or `script`");
                List<Token> rest = in.restOfLine();
                // A misspelt `script` still opens a block; skip it rather than read its lines as stanzas.
                if (rest.isEmpty() && "script".equals(Suggest.closest(sub.text(), List.of("exec", "script")))) in.block();
            }
        }
    }

    private void exec(Phase phase, Token stanza, Token keyword) {
        Token command = in.command();
        if (command == null || command.text().isEmpty()) {
            report(Code.MISSING_ARGUMENT, keyword.end(), "`" + words(stanza, keyword) + "` needs a command", null);
            return;
        }
        job.process(Process.exec(phase, command.text(), at(stanza)));
    }

    private void script(Phase phase, Token stanza, Token keyword) {
        List<Token> extra = in.restOfLine();
        if (!extra.isEmpty()) {
            report(Code.UNEXPECTED_ARGUMENT, extra.get(0).start(),
                    "`" + words(stanza, keyword) + "` takes nothing more on its line, found `" + extra.get(0).text() + "`",
                    "the script starts on the next line; to run one command, write `exec COMMAND`");
        }
        String body = in.block();
        if (body == null) {
            report(Code.UNTERMINATED_BLOCK, stanza.start(),
                    "`" + words(stanza, keyword) + "` has no `end script`; the rest of the file would be the script",
                    "add a line `end script` after the script's last line");
            return;
        }
        if (extra.isEmpty()) job.process(Process.script(phase, body, at(stanza)));
    }

    private static String words(Token stanza, Token keyword) {
        return stanza == keyword ? stanza.text() : stanza.text() + " " + keyword.text();
    }

    // ---- respawn and exits

    private void respawn(Token name) {
        Source here = at(name);
        List<Token> args = in.restOfLine();
        Respawn r = job.respawn();
        if (args.isEmpty()) {
            job.respawn(new Respawn(true, r.limit(), r.interval(), here));
            return;
        }
        Token sub = args.get(0);
        if (!sub.text().equals("limit")) {
            unexpected(name, sub, "nothing or `limit COUNT INTERVAL`");
            return;
        }
        if (args.size() == 1) {
            report(Code.MISSING_ARGUMENT, sub.end(), "`respawn limit` needs a COUNT and an INTERVAL, or `unlimited`",
                    "e.g. `respawn limit 10 5`: at most 10 respawns within 5 seconds");
            return;
        }
        Token count = args.get(1);
        if (count.text().equals("unlimited")) {
            if (args.size() > 2) {
                report(Code.UNEXPECTED_ARGUMENT, args.get(2).start(),
                        "`respawn limit unlimited` takes nothing more, found `" + args.get(2).text() + "`", "remove it");
                return;
            }
            job.respawn(new Respawn(r.enabled(), 0, Duration.ZERO, r.enabled() ? r.source() : here));
            return;
        }
        Long c = whole(count.text());
        boolean ok = true;
        if (c == null || c < 0 || c > Integer.MAX_VALUE) {
            report(Code.INVALID_VALUE, count.start(),
                    "`respawn limit` count must be a whole number, 0 or more, or `unlimited`; found `" + count.text() + "`",
                    null);
            ok = false;
        }
        if (args.size() == 2) {
            report(Code.MISSING_ARGUMENT, count.end(), "`respawn limit` needs an INTERVAL in seconds after the count",
                    "e.g. `respawn limit " + count.text() + " 5`");
            return;
        }
        Token interval = args.get(2);
        Long i = whole(interval.text());
        if (i == null || i < 0) {
            report(Code.INVALID_VALUE, interval.start(),
                    "`respawn limit` interval must be a whole number of seconds, 0 or more; found `" + interval.text() + "`",
                    null);
            ok = false;
        }
        if (args.size() > 3) {
            report(Code.UNEXPECTED_ARGUMENT, args.get(3).start(),
                    "`respawn limit` takes a count and an interval, found more: `" + args.get(3).text() + "`", "remove it");
            ok = false;
        }
        if (ok) job.respawn(new Respawn(r.enabled(), c.intValue(), Duration.ofSeconds(i), r.enabled() ? r.source() : here));
    }

    private void normalExit(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`normal` needs `exit` and exit statuses or signals",
                    "e.g. `normal exit 0 TERM`");
            return;
        }
        Token sub = args.get(0);
        if (!sub.text().equals("exit")) {
            unexpected(name, sub, "`exit`");
            return;
        }
        if (args.size() == 1) {
            report(Code.MISSING_ARGUMENT, sub.end(), "`normal exit` needs one or more exit statuses or signals",
                    "e.g. `normal exit 0 TERM`");
            return;
        }
        for (Token v : args.subList(1, args.size())) {
            try {
                job.normalExit(ExitStatus.parse(v.text()));
            } catch (IllegalArgumentException e) {
                if (!v.text().isEmpty() && v.text().chars().allMatch(Character::isDigit)) {
                    report(Code.INVALID_VALUE, v.start(),
                            "`normal exit`: exit status `" + v.text() + "` is out of range (0 to 255)",
                            "a process can only exit with 0 to 255; a signal is written by name, e.g. TERM");
                } else {
                    report(Code.INVALID_VALUE, v.start(),
                            "`normal exit`: `" + v.text() + "` is neither an exit status (0 to 255) nor a signal name",
                            signalHint(v.text(), "write an exit status from 0 to 255, or a signal name such as TERM"));
                }
            }
        }
    }

    // ---- kill and reload

    private void kill(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`kill` needs `timeout SECONDS` or `signal SIGNAL`", null);
            return;
        }
        Token sub = args.get(0);
        Token value = subValue(name, sub, args);
        Kill k = job.kill();
        switch (sub.text()) {
            case "timeout" -> {
                if (value == null) return;
                Long s = whole(value.text());
                if (s == null || s < 0) {
                    report(Code.INVALID_VALUE, value.start(),
                            "`kill timeout` must be a whole number of seconds, 0 or more; found `" + value.text() + "`",
                            null);
                    return;
                }
                job.kill(new Kill(k.signal(), Duration.ofSeconds(s), k.reload()));
            }
            case "signal" -> {
                if (value == null) return;
                Signal s = signal("kill signal", value);
                if (s != null) job.kill(new Kill(s, k.timeout(), k.reload()));
            }
            default -> unexpected(name, sub, "`timeout` or `signal`");
        }
    }

    private void reload(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`reload` needs `signal SIGNAL`", null);
            return;
        }
        Token sub = args.get(0);
        if (!sub.text().equals("signal")) {
            unexpected(name, sub, "`signal`");
            return;
        }
        Token value = subValue(name, sub, args);
        if (value == null) return;
        Signal s = signal("reload signal", value);
        Kill k = job.kill();
        if (s != null) job.kill(new Kill(k.signal(), k.timeout(), s));
    }

    /**
     * The one value after a known sub-keyword ({@code kill timeout N}); null, with the problem reported,
     * when it is missing or followed by more. Unknown sub-keywords are left to the caller.
     */
    private Token subValue(Token name, Token sub, List<Token> args) {
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

    private Signal signal(String words, Token value) {
        String v = value.text();
        try {
            return Signal.parse(v);
        } catch (IllegalArgumentException e) {
            if (!v.isEmpty() && v.chars().allMatch(Character::isDigit)) {
                report(Code.INVALID_VALUE, value.start(),
                        "`" + words + "`: signal number `" + v + "` is out of range (0 to " + Signal.MAX + ")", null);
            } else {
                report(Code.INVALID_VALUE, value.start(), "`" + words + "`: `" + v + "` is not a signal",
                        signalHint(v, "write a signal name such as TERM or SIGTERM, or its number"));
            }
            return null;
        }
    }

    private static String signalHint(String v, String otherwise) {
        String u = v.toUpperCase(Locale.ROOT);
        if (u.startsWith("SIG")) u = u.substring(3);
        String hint = Suggest.hint(u, Signal.names());
        return hint != null ? hint : otherwise;
    }

    // ---- process environment

    private void env(Token name, Token t) {
        String v = t.text();
        int eq = v.indexOf('=');
        if (v.isEmpty() || eq == 0) {
            report(Code.INVALID_VALUE, t.start(), "`env` needs a variable name, found `" + v + "`",
                    "write `env KEY=VALUE`, or `env KEY` to pass on the supervisor's value");
            return;
        }
        job.env(eq < 0 ? new EnvVar(v, null, at(name)) : new EnvVar(v.substring(0, eq), v.substring(eq + 1), at(name)));
    }

    private void expect(Token t) {
        Readiness r = switch (t.text()) {
            case "stop" -> new Readiness.Stop();
            case "daemon" -> new Readiness.Daemon();
            case "fork" -> new Readiness.Fork();
            case "none" -> Readiness.NONE;
            default -> null;
        };
        if (r == null) {
            report(Code.INVALID_VALUE, t.start(), "`expect` must be one of stop, daemon, fork or none; found `" + t.text() + "`",
                    Suggest.hint(t.text(), List.of("stop", "daemon", "fork", "none")));
            return;
        }
        job.ready(r);
    }

    private void console(Token t) {
        Console c = switch (t.text()) {
            case "none" -> Console.NONE;
            case "log" -> Console.LOG;
            case "output" -> Console.OUTPUT;
            case "owner" -> Console.OWNER;
            default -> null;
        };
        if (c == null) {
            report(Code.INVALID_VALUE, t.start(), "`console` must be one of none, log, output or owner; found `" + t.text() + "`",
                    Suggest.hint(t.text(), List.of("none", "log", "output", "owner")));
            return;
        }
        job.console(c);
    }

    private void umask(Token t) {
        String v = t.text();
        Integer mask = null;
        if (!v.isEmpty() && v.length() <= 12 && v.chars().allMatch(c -> c >= '0' && c <= '7')) {
            long m = Long.parseLong(v, 8);
            if (m <= 0777) mask = (int) m;
        }
        if (mask == null) {
            report(Code.INVALID_VALUE, t.start(), "`umask` must be an octal mode from 000 to 777; found `" + v + "`",
                    "e.g. `umask 022`");
            return;
        }
        int value = mask;
        resources(r -> new Resources(value, r.nice(), r.chdir(), r.chroot(), r.limits(), r.user(), r.group(), r.oomScore()));
    }

    private void nice(Token t) {
        Long n = whole(t.text());
        if (n == null || n < -20 || n > 19) {
            report(Code.INVALID_VALUE, t.start(), "`nice` must be a whole number from -20 to 19; found `" + t.text() + "`", null);
            return;
        }
        int value = n.intValue();
        resources(r -> new Resources(r.umask(), value, r.chdir(), r.chroot(), r.limits(), r.user(), r.group(), r.oomScore()));
    }

    private void oom(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`oom` needs `score N` or `never`", "e.g. `oom score -500`");
            return;
        }
        Token first = args.get(0);
        Integer score;
        if (first.text().equals("score")) {
            Token v = subValue(name, first, args);
            if (v == null) return;
            Long n = v.text().equals("never") ? Long.valueOf(-1000) : whole(v.text());
            if (n == null || n < -1000 || n > 1000) {
                report(Code.INVALID_VALUE, v.start(),
                        "`oom score` must be `never` or a whole number from -1000 to 1000; found `" + v.text() + "`", null);
                return;
            }
            score = n.intValue();
        } else {
            if (args.size() > 1) {
                report(Code.UNEXPECTED_ARGUMENT, args.get(1).start(),
                        "`oom` takes one value, found another: `" + args.get(1).text() + "`", "remove it");
                return;
            }
            if (first.text().equals("never")) {
                score = -1000;
            } else {
                // The old oom_adj scale, -17 (never) to 15, as Upstart converts it.
                Long n = whole(first.text());
                if (n == null || n < -17 || n > 15) {
                    report(Code.INVALID_VALUE, first.start(),
                            "`oom` must be `score N`, `never`, or a whole number from -17 to 15; found `" + first.text() + "`",
                            "write `oom score N` with N from -1000 to 1000");
                    return;
                }
                score = (int) (n * 1000 / (n < 0 ? 17 : 15));
            }
        }
        int value = score;
        resources(r -> new Resources(r.umask(), r.nice(), r.chdir(), r.chroot(), r.limits(), r.user(), r.group(), value));
    }

    private void limit(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`limit` needs a resource, a soft and a hard value",
                    "e.g. `limit nofile 4096 4096`");
            return;
        }
        Token res = args.get(0);
        if (!Limit.RESOURCES.contains(res.text())) {
            String hint = Suggest.hint(res.text(), Limit.RESOURCES);
            report(Code.INVALID_VALUE, res.start(), "`limit`: unknown resource `" + res.text() + "` (one of "
                    + String.join(", ", Limit.RESOURCES) + ")", hint);
            return;
        }
        String words = "limit " + res.text();
        if (args.size() == 1) {
            report(Code.MISSING_ARGUMENT, res.end(), "`" + words + "` needs a soft and a hard value",
                    "e.g. `" + words + " 4096 4096`; `unlimited` is allowed for either");
            return;
        }
        if (args.size() == 2) {
            Token only = args.get(1);
            report(Code.INVALID_VALUE, only.start(), "`" + words + " " + only.text()
                            + "` gives one value; Upstart needs both a soft and a hard limit and rejects the job",
                    "write `" + words + " " + only.text() + " " + only.text() + "`");
            return;
        }
        Token softToken = args.get(1);
        Token hardToken = args.get(2);
        long[] soft = limitValue(words, softToken);
        long[] hard = limitValue(words, hardToken);
        if (args.size() > 3) {
            report(Code.UNEXPECTED_ARGUMENT, args.get(3).start(),
                    "`" + words + "` takes a soft and a hard value, found more: `" + args.get(3).text() + "`", "remove it");
            return;
        }
        if (soft == null || hard == null) return;
        Long s = soft.length == 0 ? null : soft[0];
        Long h = hard.length == 0 ? null : hard[0];
        if (h != null && (s == null || s > h)) {
            report(Code.INVALID_VALUE, softToken.start(), "`" + words + "`: the soft limit " + softToken.text()
                            + " is above the hard limit " + hardToken.text() + "; setrlimit(2) refuses that",
                    "make the soft limit at most the hard one");
            return;
        }
        Limit l = new Limit(res.text(), s, h, at(name));
        resources(r -> {
            List<Limit> limits = new ArrayList<>(r.limits());
            boolean replaced = false;
            for (int i = 0; i < limits.size(); i++) {
                if (limits.get(i).resource().equals(l.resource())) {
                    limits.set(i, l);
                    replaced = true;
                }
            }
            if (!replaced) limits.add(l);
            return new Resources(r.umask(), r.nice(), r.chdir(), r.chroot(), limits, r.user(), r.group(), r.oomScore());
        });
    }

    /** {@code {}} for unlimited, {@code {n}} for a number, null (reported) for anything else. */
    private long[] limitValue(String words, Token t) {
        if (t.text().equals("unlimited")) return new long[0];
        Long n = t.text().startsWith("-") || t.text().startsWith("+") ? null : whole(t.text());
        if (n == null) {
            report(Code.INVALID_VALUE, t.start(), "`" + words + "`: `" + t.text() + "` is not a number or `unlimited`", null);
            return null;
        }
        return new long[] {n};
    }

    // ---- kept for validation only

    private void apparmor(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`apparmor` needs `load PROFILE` or `switch NAME`", null);
            return;
        }
        Token sub = args.get(0);
        if (!sub.text().equals("load") && !sub.text().equals("switch")) {
            unexpected(name, sub, "`load` or `switch`");
            return;
        }
        subValue(name, sub, args);
    }

    private void cgroup(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`cgroup` needs a controller", "e.g. `cgroup memory`");
        } else if (args.size() > 4) {
            report(Code.UNEXPECTED_ARGUMENT, args.get(4).start(),
                    "`cgroup` takes CONTROLLER [NAME] [KEY VALUE], found more: `" + args.get(4).text() + "`", "remove it");
        }
    }

    private void unknown(Token name) {
        String n = name.text();
        if (n.equals("end")) {
            report(Code.UNKNOWN_KEY, name.start(), "`end` without a `script` block to close",
                    "remove it, or add the `script` line that opens the block");
            in.restOfLine();
            return;
        }
        if (n.equals("and") || n.equals("or")) {
            report(Code.UNKNOWN_KEY, name.start(), "`" + n + "` starts a line, but the expression above ended with its line",
                    "an expression continues on the next line only inside parentheses or after a trailing backslash");
            in.restOfLine();
            return;
        }
        report(Code.UNKNOWN_KEY, name.start(), "unknown stanza `" + n + "`", Suggest.hint(n, NAMES));
        List<Token> rest = in.restOfLine();
        // A misspelt `script` opens a block all the same; skip it rather than read its lines as stanzas.
        if (rest.isEmpty() && "script".equals(Suggest.closest(n, NAMES))) in.block();
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
