package dev.ordo.planner.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.diag.Source;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EventExprParserTest {

    private static final Source AT = new Source("job.conf", 3, 10);

    private static EventExprParser.ParsedExpr parse(String text) {
        return EventExprParser.parse(text, AT);
    }

    private static EventExpr ok(String text) {
        EventExprParser.ParsedExpr r = parse(text);
        assertTrue(r.ok(), () -> "expected " + text + " to parse, got " + r.diagnostics());
        return r.expr();
    }

    /** The error table of U§3.1 (test_parse_job.c:2598-2845), with the column of the offending token. */
    @ParameterizedTest(name = "[{index}] start on {0}")
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | MISSING_ARGUMENT   | 10 | missing event expression
            or foo                      | EXPECTED_EVENT     | 10 | expected an event, found `or`
            foo or                      | EXPECTED_EVENT     | 16 | expected an event at the end of the expression
            foo or and bar              | EXPECTED_EVENT     | 17 | expected an event, found `and`
            foo or (or foo)             | EXPECTED_EVENT     | 18 | expected an event, found `or`
            foo or (bar or)             | EXPECTED_EVENT     | 24 | expected an event, found `)`
            foo or bar or foo)          | MISMATCHED_PARENS  | 27 | mismatched parentheses: `)` closes nothing
            foo or (bar or foo          | MISMATCHED_PARENS  | 17 | mismatched parentheses: `(` is never closed
            frodo (foo or bar)          | EXPECTED_OPERATOR  | 16 | expected `and` or `or` before `(`
            (foo or bar) frodo          | EXPECTED_OPERATOR  | 23 | expected `and` or `or` after `)`, found `frodo`
            wibble foo KEY=bar baz      | EXPECTED_VARIABLE  | 29 | positional argument `baz` after a named one: expected KEY=VALUE
            ()                          | EXPECTED_EVENT     | 11 | expected an event, found `)`
            '"" or foo'                 | EXPECTED_EVENT     | 10 | expected an event, found an empty name `""`
            """)
    void upstartParseErrors(String text, Code code, int column, String message) {
        EventExprParser.ParsedExpr r = parse(text);
        assertNull(r.expr());
        assertEquals(1, r.diagnostics().size(), r.diagnostics()::toString);
        Diagnostic d = r.diagnostics().get(0);
        assertEquals(code, d.code());
        assertEquals(Severity.ERROR, d.severity());
        assertEquals(new Source("job.conf", 3, column), d.source());
        assertEquals(message, d.message());
    }

    @Test
    void andAndOrHaveEqualPrecedenceAndGroupFromTheLeft() {
        EventExpr e = ok("a or b or c");
        assertEquals("a or b or c", e.text());
        EventExpr.Any top = (EventExpr.Any) e;
        assertTrue(top.left() instanceof EventExpr.Any);

        EventExprParser.ParsedExpr mixed = parse("a or b and c");
        assertTrue(mixed.expr() instanceof EventExpr.All, "read as (a or b) and c");
        assertEquals("(a or b) and c", mixed.expr().text());
        assertEquals(1, mixed.diagnostics().size());
        Diagnostic w = mixed.diagnostics().get(0);
        assertEquals(Code.MIXED_AND_OR, w.code());
        assertEquals(Severity.WARNING, w.severity());
        assertEquals(new Source("job.conf", 3, 17), w.source());
        assertEquals("`and` and `or` mixed without parentheses; read as (a or b) and c", w.message());
    }

    @Test
    void parenthesesSilenceTheMixedWarningAndShapeTheTree() {
        EventExprParser.ParsedExpr r = parse("a or (b and c)");
        assertTrue(r.diagnostics().isEmpty());
        assertEquals("a or (b and c)", r.expr().text());
        EventExprParser.ParsedExpr r2 = parse("(a or b) and c");
        assertTrue(r2.diagnostics().isEmpty());
        assertTrue(r2.expr() instanceof EventExpr.All);
    }

    @Test
    void argumentsArePositionalThenNamedWithNegation() {
        EventExpr.Match m = (EventExpr.Match) ok("stopping hersql RESULT=failed EXIT_SIGNAL!=SEGV");
        assertEquals("stopping", m.event());
        assertEquals(List.of(EventArg.positional("hersql"), EventArg.equal("RESULT", "failed"),
                EventArg.notEqual("EXIT_SIGNAL", "SEGV")), m.args());
        assertEquals("hersql", m.jobArgument());
        assertEquals(AT, m.source());
    }

    @Test
    void globsBracketsAndVariablesStayInValues() {
        EventExpr.Match m = (EventExpr.Match) ok("runlevel [!$RUNLEVEL]");
        assertEquals(List.of(EventArg.positional("[!$RUNLEVEL]")), m.args());
        EventExpr.Match n = (EventExpr.Match) ok("stopped mountall EXIT_STATUS=[!4]");
        assertEquals(EventArg.equal("EXIT_STATUS", "[!4]"), n.args().get(1));
    }

    @Test
    void quotesAreRemovedAndQuotedOperatorsAreOperands() {
        EventExpr.Match m = (EventExpr.Match) ok("foo \"FRODO=foo bar\"");
        assertEquals(List.of(EventArg.equal("FRODO", "foo bar")), m.args());
        EventExpr e = ok("foo \"and\" bar");
        assertTrue(e instanceof EventExpr.Match);
        assertEquals(List.of(EventArg.positional("and"), EventArg.positional("bar")), ((EventExpr.Match) e).args());
    }

    @Test
    void parenthesesNeedNoSpaces() {
        EventExpr e = ok("(started dbus and started mountall)");
        assertEquals("started dbus and started mountall", e.text());
    }

    @Test
    void newlinesAndCommentsInsideAnExpressionMapToTheirOwnLines() {
        String text = "(filesystem # the disks\n    and static-network-up)\n    or failsafe-boot";
        // Offsets map to lines: line 3 starts at offset 0, line 4 after the first '\n', and so on.
        int nl1 = text.indexOf('\n');
        int nl2 = text.indexOf('\n', nl1 + 1);
        EventExprParser.ParsedExpr r = EventExprParser.parse(text, off -> {
            if (off <= nl1) return new Source("rc.conf", 3, 10 + off);
            if (off <= nl2) return new Source("rc.conf", 4, off - nl1);
            return new Source("rc.conf", 5, off - nl2);
        });
        assertTrue(r.ok(), r.diagnostics()::toString);
        List<EventExpr.Match> ms = r.expr().matches();
        assertEquals(List.of("filesystem", "static-network-up", "failsafe-boot"),
                ms.stream().map(EventExpr.Match::event).toList());
        assertEquals(new Source("rc.conf", 4, 9), ms.get(1).source());
        assertEquals(new Source("rc.conf", 5, 8), ms.get(2).source());
    }

    /** A reload of 10,000 `or` terms killed the supervisor's loop with a StackOverflowError: now an error. */
    @Test
    void anExpressionTooLongOrTooDeepIsAnErrorNotAStackOverflow() {
        StringBuilder wide = new StringBuilder("e0");
        for (int i = 1; i <= 10_000; i++) wide.append(" or e").append(i);
        EventExprParser.ParsedExpr w = parse(wide.toString());
        assertNull(w.expr());
        assertEquals(1, w.diagnostics().size());
        assertEquals("event expression too long: more than 512 `and`/`or` operators", w.diagnostics().get(0).message());
        assertEquals(Code.INVALID_VALUE, w.diagnostics().get(0).code());
        String deep = "(".repeat(3_000) + "e" + ")".repeat(3_000);
        EventExprParser.ParsedExpr d = parse(deep);
        assertNull(d.expr());
        assertEquals("event expression nested too deep: more than 64 parentheses inside one another",
                d.diagnostics().get(0).message());
        assertEquals(AT.column() + 64, d.diagnostics().get(0).source().column(), "at the 65th parenthesis");
        // At the bounds, it parses, and every walk over the tree (text, matches) survives it.
        StringBuilder most = new StringBuilder("e0");
        for (int i = 1; i <= EventExprParser.MAX_OPERATORS; i++) most.append(i % 2 == 0 ? " or e" : " and e").append(i);
        EventExpr e = ok(most.toString());
        assertEquals(EventExprParser.MAX_OPERATORS + 1, e.matches().size());
        assertTrue(e.text().endsWith(" e512"), e.text());
        assertEquals(1, ok("(".repeat(64) + "e" + ")".repeat(64)).matches().size());
    }
}
