package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Template;
import java.util.ArrayList;
import java.util.List;

/**
 * The stanzas of one Upstart job file (init(5), U§4), applied in file order to a {@link Job.Builder}.
 * Single-valued stanzas replace what came before ("the last occurrence will be used"); {@code env},
 * {@code export}, {@code emits} and {@code normal exit} accumulate. A stanza with an error is reported
 * and left out; reading goes on with the next one.
 */
final class UpstartStanzas extends StanzaShapes {

    /** Every stanza Upstart 1.13 knows, for "did you mean" hints and for cutting runaway expressions. */
    static final List<String> NAMES = List.of(
            "apparmor", "author", "cgroup", "chdir", "chroot", "console", "debug", "description", "emits", "env",
            "exec", "expect", "export", "instance", "kill", "limit", "manual", "nice", "normal", "oom",
            "post-start", "post-stop", "pre-start", "pre-stop", "reload", "respawn", "script", "setgid", "setuid",
            "start", "stop", "task", "umask", "usage", "version");

    private final EventStanzas eventStanzas;
    private final ProcessStanzas processStanzas;
    private final ExitStanzas exitStanzas;

    private UpstartStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        super(in, job, diagnostics);
        this.eventStanzas = new EventStanzas(in, job, diagnostics);
        this.processStanzas = new ProcessStanzas(in, job, diagnostics);
        this.exitStanzas = new ExitStanzas(in, job, diagnostics);
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

    private void stanza(Token name) {
        String n = name.text();
        switch (n) {
            case "start", "stop" -> eventStanzas.on(name);
            case "manual" -> {
                noArguments(name);
                // Forgets an earlier `start on` only; a later one still applies (U§3.1).
                job.startOn(null);
            }
            case "exec" -> processStanzas.exec(Phase.MAIN, name, name);
            case "script" -> processStanzas.script(Phase.MAIN, name, name);
            case "pre-start" -> processStanzas.process(Phase.PRE_START, name);
            case "post-start" -> processStanzas.process(Phase.POST_START, name);
            case "pre-stop" -> processStanzas.process(Phase.PRE_STOP, name);
            case "post-stop" -> processStanzas.process(Phase.POST_STOP, name);
            case "task" -> {
                noArguments(name);
                job.task(true);
            }
            case "respawn" -> exitStanzas.respawn(name);
            case "normal" -> exitStanzas.normalExit(name);
            case "instance" -> one(name, "a name template, e.g. `$TTY`", t -> job.instance(new Template(t.text(), at(name))));
            case "description" -> one(name, "a description", t -> job.description(t.text()));
            case "author", "version", "usage" -> one(name, "a text", t -> { });
            case "env" -> one(name, "`KEY=VALUE` or `KEY`", t -> env(name, t));
            case "export" -> names(name, "variable names", t -> job.export(new Named(t.text(), at(t))));
            case "emits" -> names(name, "event names", t -> job.emits(new Named(t.text(), at(t))));
            case "expect" -> one(name, "one of stop, daemon, fork or none", processStanzas::expect);
            case "kill" -> exitStanzas.kill(name);
            case "reload" -> exitStanzas.reload(name);
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
}
