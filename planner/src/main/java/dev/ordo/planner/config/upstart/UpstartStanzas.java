package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Template;
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
    private final ResourceStanzas resourceStanzas;

    private UpstartStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        super(in, job, diagnostics);
        this.eventStanzas = new EventStanzas(in, job, diagnostics);
        this.processStanzas = new ProcessStanzas(in, job, diagnostics);
        this.exitStanzas = new ExitStanzas(in, job, diagnostics);
        this.resourceStanzas = new ResourceStanzas(in, job, diagnostics);
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
            case "env" -> one(name, "`KEY=VALUE` or `KEY`", t -> resourceStanzas.env(name, t));
            case "export" -> names(name, "variable names", t -> job.export(new Named(t.text(), at(t))));
            case "emits" -> names(name, "event names", t -> job.emits(new Named(t.text(), at(t))));
            case "expect" -> one(name, "one of stop, daemon, fork or none", processStanzas::expect);
            case "kill" -> exitStanzas.kill(name);
            case "reload" -> exitStanzas.reload(name);
            case "umask" -> one(name, "an octal mode, e.g. 022", resourceStanzas::umask);
            case "nice" -> one(name, "a number from -20 to 19", resourceStanzas::nice);
            case "oom" -> resourceStanzas.oom(name);
            case "limit" -> resourceStanzas.limit(name);
            case "chdir" -> one(name, "a directory", t -> resources(r -> new Resources(r.umask(), r.nice(), t.text(),
                    r.chroot(), r.limits(), r.user(), r.group(), r.oomScore())));
            case "chroot" -> one(name, "a directory", t -> resources(r -> new Resources(r.umask(), r.nice(), r.chdir(),
                    t.text(), r.limits(), r.user(), r.group(), r.oomScore())));
            case "setuid" -> one(name, "a user name", t -> resources(r -> new Resources(r.umask(), r.nice(), r.chdir(),
                    r.chroot(), r.limits(), t.text(), r.group(), r.oomScore())));
            case "setgid" -> one(name, "a group name", t -> resources(r -> new Resources(r.umask(), r.nice(), r.chdir(),
                    r.chroot(), r.limits(), r.user(), t.text(), r.oomScore())));
            case "console" -> one(name, "one of none, log, output or owner", resourceStanzas::console);
            case "apparmor" -> resourceStanzas.apparmor(name);
            case "cgroup" -> resourceStanzas.cgroup(name);
            case "debug" -> noArguments(name);
            default -> unknown(name);
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
