package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.EventExprParser;
import dev.ordo.planner.config.upstart.UpstartScanner.Extent;
import dev.ordo.planner.config.upstart.UpstartScanner.Token;
import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Job;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code start on} and {@code stop on} (init(5); the grammar is U§3.1): the event expression after
 * {@code on}, which ends with its line unless parentheses or a trailing backslash continue it, read
 * by the shared {@link EventExprParser}.
 */
final class EventStanzas extends StanzaShapes {

    EventStanzas(UpstartScanner in, Job.Builder job, List<Diagnostic> diagnostics) {
        super(in, job, diagnostics);
    }

    void on(Token name) {
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
            in.expression(UpstartStanzas.NAMES); // skipped whole, parenthesised lines too
            return;
        }
        int mark = diagnostics.size();
        Extent x = in.expression(UpstartStanzas.NAMES);
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
            while (!in.atEnd() && UpstartScanner.isWs(in.peek()) && !in.startsWithStanza(in.pos, UpstartStanzas.NAMES)) {
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
}
