package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import java.util.List;

/**
 * The job's processes (init(5); docs/upstart.md, "Stanzas and where they go"): {@code exec} and
 * {@code script} for the main process, {@code pre-start}, {@code post-start}, {@code pre-stop} and
 * {@code post-stop} with either, and {@code expect}, how the main process shows it is ready.
 */
final class ProcessStanzas extends StanzaShapes {

    ProcessStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        super(in, job, diagnostics);
    }

    void process(Phase phase, Token name) {
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

    void exec(Phase phase, Token stanza, Token keyword) {
        Token command = in.command();
        if (command == null || command.text().isEmpty()) {
            report(Code.MISSING_ARGUMENT, keyword.end(), "`" + words(stanza, keyword) + "` needs a command", null);
            return;
        }
        job.process(Process.exec(phase, command.text(), at(stanza)));
    }

    void script(Phase phase, Token stanza, Token keyword) {
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

    void expect(Token t) {
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
}
