package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Resources;
import java.util.ArrayList;
import java.util.List;

/**
 * The process's environment and resources (init(5); docs/upstart.md, "Stanzas and where they go"):
 * {@code env}, {@code console}, {@code umask}, {@code nice}, {@code oom}, {@code limit} (setrlimit(2)),
 * and {@code apparmor} and {@code cgroup}, which ordo checks but does not apply ("Read, checked, then
 * dropped").
 */
final class ResourceStanzas extends StanzaShapes {

    ResourceStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        super(in, job, diagnostics);
    }

    void env(Token name, Token t) {
        String v = t.text();
        int eq = v.indexOf('=');
        if (v.isEmpty() || eq == 0) {
            report(Code.INVALID_VALUE, t.start(), "`env` needs a variable name, found `" + v + "`",
                    "write `env KEY=VALUE`, or `env KEY` to pass on the supervisor's value");
            return;
        }
        job.env(eq < 0 ? new EnvVar(v, null, at(name)) : new EnvVar(v.substring(0, eq), v.substring(eq + 1), at(name)));
    }

    void console(Token t) {
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

    void umask(Token t) {
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

    void nice(Token t) {
        Long n = whole(t.text());
        if (n == null || n < -20 || n > 19) {
            report(Code.INVALID_VALUE, t.start(), "`nice` must be a whole number from -20 to 19; found `" + t.text() + "`", null);
            return;
        }
        int value = n.intValue();
        resources(r -> new Resources(r.umask(), value, r.chdir(), r.chroot(), r.limits(), r.user(), r.group(), r.oomScore()));
    }

    void oom(Token name) {
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

    void limit(Token name) {
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

    void apparmor(Token name) {
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

    void cgroup(Token name) {
        List<Token> args = in.restOfLine();
        if (args.isEmpty()) {
            report(Code.MISSING_ARGUMENT, name.end(), "`cgroup` needs a controller", "e.g. `cgroup memory`");
        } else if (args.size() > 4) {
            report(Code.UNEXPECTED_ARGUMENT, args.get(4).start(),
                    "`cgroup` takes CONTROLLER [NAME] [KEY VALUE], found more: `" + args.get(4).text() + "`", "remove it");
        }
    }
}
