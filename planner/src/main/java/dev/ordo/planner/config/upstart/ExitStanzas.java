package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What happens when the main process ends or is stopped (init(5); docs/upstart.md, "Stanzas and where
 * they go"): {@code respawn} and {@code respawn limit}, {@code normal exit}, {@code kill timeout} and
 * {@code kill signal}, and {@code reload signal}. Signals are read by name or number as signal(7)
 * lists them.
 */
final class ExitStanzas extends StanzaShapes {

    ExitStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        super(in, job, diagnostics);
    }

    void respawn(Token name) {
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

    void normalExit(Token name) {
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

    void kill(Token name) {
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

    void reload(Token name) {
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
}
