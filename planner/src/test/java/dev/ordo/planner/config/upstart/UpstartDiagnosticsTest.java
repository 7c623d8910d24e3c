package dev.ordo.planner.config.upstart;

import dev.ordo.planner.config.ReadResult;

import dev.ordo.planner.config.upstart.UpstartReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Severity;
import dev.ordo.planner.model.Job;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One example for every diagnostic the Upstart reader emits: code, line, column and message. */
class UpstartDiagnosticsTest {

    static ReadResult read(String text) {
        return UpstartReader.read("t.conf", "t", text, null, null);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // U§3.1's error table, in its order
                Arguments.of("start", Code.MISSING_ARGUMENT, 1, 6, "`start` needs `on` and an event expression"),
                Arguments.of("start foo", Code.UNEXPECTED_ARGUMENT, 1, 7, "unknown argument `foo` to `start`: expected `on`"),
                Arguments.of("start on", Code.MISSING_ARGUMENT, 1, 9, "missing event expression"),
                Arguments.of("start on or foo", Code.EXPECTED_EVENT, 1, 10, "expected an event, found `or`"),
                Arguments.of("start on foo or", Code.EXPECTED_EVENT, 1, 16, "expected an event at the end of the expression"),
                Arguments.of("start on foo or and bar", Code.EXPECTED_EVENT, 1, 17, "expected an event, found `and`"),
                Arguments.of("start on foo or (or foo)", Code.EXPECTED_EVENT, 1, 18, "expected an event, found `or`"),
                Arguments.of("start on foo or (bar or)", Code.EXPECTED_EVENT, 1, 24, "expected an event, found `)`"),
                Arguments.of("start on foo or bar or foo)", Code.MISMATCHED_PARENS, 1, 27,
                        "mismatched parentheses: `)` closes nothing"),
                Arguments.of("start on foo or (bar or foo", Code.MISMATCHED_PARENS, 1, 17,
                        "mismatched parentheses: `(` is never closed"),
                Arguments.of("start on frodo (foo or bar)", Code.EXPECTED_OPERATOR, 1, 16, "expected `and` or `or` before `(`"),
                Arguments.of("start on (foo or bar) frodo", Code.EXPECTED_OPERATOR, 1, 23,
                        "expected `and` or `or` after `)`, found `frodo`"),
                Arguments.of("start on wibble foo KEY=bar baz", Code.EXPECTED_VARIABLE, 1, 29,
                        "positional argument `baz` after a named one: expected KEY=VALUE"),
                Arguments.of("stop on", Code.MISSING_ARGUMENT, 1, 8, "missing event expression"),
                Arguments.of("stop foo", Code.UNEXPECTED_ARGUMENT, 1, 6, "unknown argument `foo` to `stop`: expected `on`"),
                // errors spread over lines keep their true line and column
                Arguments.of("start on (started a and\n    started b\n    or) # done", Code.EXPECTED_EVENT, 3, 7,
                        "expected an event, found `)`"),
                Arguments.of("start on started a \\\n  and \\\n  and b", Code.EXPECTED_EVENT, 3, 3,
                        "expected an event, found `and`"),
                // lexical
                Arguments.of("description \"abc\nexec x", Code.SYNTAX, 1, 13, "unterminated quote: \" is never closed"),
                Arguments.of("start on a \"b", Code.SYNTAX, 1, 12, "unterminated quote: \" is never closed"),
                Arguments.of("exec foo \\", Code.SYNTAX, 1, 10, "a backslash at the very end of the file continues nothing"),
                // stanza shapes
                Arguments.of("task foo", Code.UNEXPECTED_ARGUMENT, 1, 6, "`task` takes no arguments, found `foo`"),
                Arguments.of("manual now", Code.UNEXPECTED_ARGUMENT, 1, 8, "`manual` takes no arguments, found `now`"),
                Arguments.of("debug 1", Code.UNEXPECTED_ARGUMENT, 1, 7, "`debug` takes no arguments, found `1`"),
                Arguments.of("chdir", Code.MISSING_ARGUMENT, 1, 6, "`chdir` needs a directory"),
                Arguments.of("chdir /a /b", Code.UNEXPECTED_ARGUMENT, 1, 10, "`chdir` takes one argument, found another: `/b`"),
                Arguments.of("description foo bar", Code.UNEXPECTED_ARGUMENT, 1, 17,
                        "`description` takes one argument, found another: `bar`"),
                Arguments.of("export", Code.MISSING_ARGUMENT, 1, 7, "`export` needs one or more variable names"),
                Arguments.of("emits", Code.MISSING_ARGUMENT, 1, 6, "`emits` needs one or more event names"),
                Arguments.of("exce foo", Code.UNKNOWN_KEY, 1, 1, "unknown stanza `exce`"),
                Arguments.of("  end script", Code.UNKNOWN_KEY, 1, 3, "`end` without a `script` block to close"),
                Arguments.of("start on a\n  or b", Code.UNKNOWN_KEY, 2, 3,
                        "`or` starts a line, but the expression above ended with its line"),
                // processes
                Arguments.of("exec", Code.MISSING_ARGUMENT, 1, 5, "`exec` needs a command"),
                Arguments.of("pre-start", Code.MISSING_ARGUMENT, 1, 10, "`pre-start` needs `exec COMMAND` or `script`"),
                Arguments.of("pre-start foo", Code.UNEXPECTED_ARGUMENT, 1, 11,
                        "unknown argument `foo` to `pre-start`: expected `exec` or `script`"),
                Arguments.of("pre-start exec", Code.MISSING_ARGUMENT, 1, 15, "`pre-start exec` needs a command"),
                Arguments.of("script foo\nend script", Code.UNEXPECTED_ARGUMENT, 1, 8,
                        "`script` takes nothing more on its line, found `foo`"),
                Arguments.of("task\npre-stop script\n  echo", Code.UNTERMINATED_BLOCK, 2, 1,
                        "`pre-stop script` has no `end script`; the rest of the file would be the script"),
                // respawn, exits
                Arguments.of("respawn foo", Code.UNEXPECTED_ARGUMENT, 1, 9,
                        "unknown argument `foo` to `respawn`: expected nothing or `limit COUNT INTERVAL`"),
                Arguments.of("respawn limit", Code.MISSING_ARGUMENT, 1, 14,
                        "`respawn limit` needs a COUNT and an INTERVAL, or `unlimited`"),
                Arguments.of("respawn limit unlimited 5", Code.UNEXPECTED_ARGUMENT, 1, 25,
                        "`respawn limit unlimited` takes nothing more, found `5`"),
                Arguments.of("respawn limit x 5", Code.INVALID_VALUE, 1, 15,
                        "`respawn limit` count must be a whole number, 0 or more, or `unlimited`; found `x`"),
                Arguments.of("respawn limit 5", Code.MISSING_ARGUMENT, 1, 16,
                        "`respawn limit` needs an INTERVAL in seconds after the count"),
                Arguments.of("respawn limit 5 -1", Code.INVALID_VALUE, 1, 17,
                        "`respawn limit` interval must be a whole number of seconds, 0 or more; found `-1`"),
                Arguments.of("respawn limit 10 5 6", Code.UNEXPECTED_ARGUMENT, 1, 20,
                        "`respawn limit` takes a count and an interval, found more: `6`"),
                Arguments.of("normal", Code.MISSING_ARGUMENT, 1, 7, "`normal` needs `exit` and exit statuses or signals"),
                Arguments.of("normal foo", Code.UNEXPECTED_ARGUMENT, 1, 8, "unknown argument `foo` to `normal`: expected `exit`"),
                Arguments.of("normal exit", Code.MISSING_ARGUMENT, 1, 12, "`normal exit` needs one or more exit statuses or signals"),
                Arguments.of("normal exit 0 900", Code.INVALID_VALUE, 1, 15,
                        "`normal exit`: exit status `900` is out of range (0 to 255)"),
                Arguments.of("normal exit FOO", Code.INVALID_VALUE, 1, 13,
                        "`normal exit`: `FOO` is neither an exit status (0 to 255) nor a signal name"),
                // kill and reload
                Arguments.of("kill", Code.MISSING_ARGUMENT, 1, 5, "`kill` needs `timeout SECONDS` or `signal SIGNAL`"),
                Arguments.of("kill foo", Code.UNEXPECTED_ARGUMENT, 1, 6,
                        "unknown argument `foo` to `kill`: expected `timeout` or `signal`"),
                Arguments.of("kill timeout", Code.MISSING_ARGUMENT, 1, 13, "`kill timeout` needs a number of seconds"),
                Arguments.of("kill timeout x", Code.INVALID_VALUE, 1, 14,
                        "`kill timeout` must be a whole number of seconds, 0 or more; found `x`"),
                Arguments.of("kill timeout 5 6", Code.UNEXPECTED_ARGUMENT, 1, 16, "`kill timeout` takes one value, found another: `6`"),
                Arguments.of("kill signal 99", Code.INVALID_VALUE, 1, 13, "`kill signal`: signal number `99` is out of range (0 to 64)"),
                Arguments.of("kill signal SIGKIL", Code.INVALID_VALUE, 1, 13, "`kill signal`: `SIGKIL` is not a signal"),
                Arguments.of("reload", Code.MISSING_ARGUMENT, 1, 7, "`reload` needs `signal SIGNAL`"),
                Arguments.of("reload foo", Code.UNEXPECTED_ARGUMENT, 1, 8, "unknown argument `foo` to `reload`: expected `signal`"),
                Arguments.of("reload signal", Code.MISSING_ARGUMENT, 1, 14, "`reload signal` needs a signal name or number, e.g. TERM"),
                Arguments.of("reload signal BOGUS", Code.INVALID_VALUE, 1, 15, "`reload signal`: `BOGUS` is not a signal"),
                // environment and process settings
                Arguments.of("env =foo", Code.INVALID_VALUE, 1, 5, "`env` needs a variable name, found `=foo`"),
                Arguments.of("env A=1 B=2", Code.UNEXPECTED_ARGUMENT, 1, 9, "`env` takes one argument, found another: `B=2`"),
                Arguments.of("expect forks", Code.INVALID_VALUE, 1, 8, "`expect` must be one of stop, daemon, fork or none; found `forks`"),
                Arguments.of("console logs", Code.INVALID_VALUE, 1, 9,
                        "`console` must be one of none, log, output or owner; found `logs`"),
                Arguments.of("umask 999", Code.INVALID_VALUE, 1, 7, "`umask` must be an octal mode from 000 to 777; found `999`"),
                Arguments.of("nice 50", Code.INVALID_VALUE, 1, 6, "`nice` must be a whole number from -20 to 19; found `50`"),
                Arguments.of("oom", Code.MISSING_ARGUMENT, 1, 4, "`oom` needs `score N` or `never`"),
                Arguments.of("oom score", Code.MISSING_ARGUMENT, 1, 10, "`oom score` needs a score from -1000 to 1000, or `never`"),
                Arguments.of("oom score 2000", Code.INVALID_VALUE, 1, 11,
                        "`oom score` must be `never` or a whole number from -1000 to 1000; found `2000`"),
                Arguments.of("oom 5 6", Code.UNEXPECTED_ARGUMENT, 1, 7, "`oom` takes one value, found another: `6`"),
                Arguments.of("oom 20", Code.INVALID_VALUE, 1, 5,
                        "`oom` must be `score N`, `never`, or a whole number from -17 to 15; found `20`"),
                Arguments.of("limit", Code.MISSING_ARGUMENT, 1, 6, "`limit` needs a resource, a soft and a hard value"),
                Arguments.of("limit nofiles 1 2", Code.INVALID_VALUE, 1, 7, "`limit`: unknown resource `nofiles` (one of as, core,"
                        + " cpu, data, fsize, locks, memlock, msgqueue, nice, nofile, nproc, rss, rtprio, rttime, sigpending, stack)"),
                Arguments.of("limit nofile", Code.MISSING_ARGUMENT, 1, 13, "`limit nofile` needs a soft and a hard value"),
                Arguments.of("limit nofile 10000", Code.INVALID_VALUE, 1, 14,
                        "`limit nofile 10000` gives one value; Upstart needs both a soft and a hard limit and rejects the job"),
                Arguments.of("limit nofile abc 10", Code.INVALID_VALUE, 1, 14, "`limit nofile`: `abc` is not a number or `unlimited`"),
                Arguments.of("limit nofile 1 2 3", Code.UNEXPECTED_ARGUMENT, 1, 18,
                        "`limit nofile` takes a soft and a hard value, found more: `3`"),
                Arguments.of("limit nofile 20 10", Code.INVALID_VALUE, 1, 14,
                        "`limit nofile`: the soft limit 20 is above the hard limit 10; setrlimit(2) refuses that"),
                // validated, then dropped
                Arguments.of("apparmor", Code.MISSING_ARGUMENT, 1, 9, "`apparmor` needs `load PROFILE` or `switch NAME`"),
                Arguments.of("apparmor foo", Code.UNEXPECTED_ARGUMENT, 1, 10,
                        "unknown argument `foo` to `apparmor`: expected `load` or `switch`"),
                Arguments.of("apparmor load", Code.MISSING_ARGUMENT, 1, 14, "`apparmor load` needs the path of an AppArmor profile"),
                Arguments.of("apparmor switch", Code.MISSING_ARGUMENT, 1, 16, "`apparmor switch` needs the name of an AppArmor profile"),
                Arguments.of("cgroup", Code.MISSING_ARGUMENT, 1, 7, "`cgroup` needs a controller"),
                Arguments.of("cgroup a b c d e", Code.UNEXPECTED_ARGUMENT, 1, 16,
                        "`cgroup` takes CONTROLLER [NAME] [KEY VALUE], found more: `e`"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reportsOnceWithPosition(String text, Code code, int line, int column, String message) {
        List<Diagnostic> ds = read(text).diagnostics();
        assertEquals(1, ds.size(), () -> "expected exactly one diagnostic, got " + ds);
        Diagnostic d = ds.get(0);
        assertEquals(code, d.code(), d::toString);
        assertEquals(message, d.message());
        assertEquals("t.conf", d.source().file());
        assertEquals(line, d.source().line(), d::toString);
        assertEquals(column, d.source().column(), d::toString);
        assertEquals(Severity.ERROR, d.severity());
    }

    @Test
    void mixedAndOrIsAWarningAndTheJobKeepsTheCondition() {
        ReadResult r = read("start on a or b and c");
        Diagnostic d = r.diagnostics().get(0);
        assertEquals(Code.MIXED_AND_OR, d.code());
        assertEquals(Severity.WARNING, d.severity());
        assertEquals(17, d.source().column());
        assertEquals("`and` and `or` mixed without parentheses; read as (a or b) and c", d.message());
        assertEquals("(a or b) and c", r.jobs().get(0).startOn().text());
    }

    @Test
    void anExpressionTheSharedParserCannotBuildIsReportedNotThrown() {
        ReadResult r = read("start on \"\"\nexec x\n");
        assertEquals(1, r.diagnostics().size(), r.diagnostics()::toString);
        assertEquals(1, r.diagnostics().get(0).source().line());
        assertTrue(r.diagnostics().get(0).isError());
        assertNull(r.jobs().get(0).startOn());
        assertEquals("x", r.jobs().get(0).processes().values().iterator().next().exec().get(0));
    }

    @Test
    void hintsSuggestTheNearestWord() {
        assertEquals("did you mean `exec`?", read("exce foo").diagnostics().get(0).hint());
        assertEquals("did you mean `fork`?", read("expect forks").diagnostics().get(0).hint());
        assertEquals("did you mean `log`?", read("console logs").diagnostics().get(0).hint());
        assertEquals("did you mean `nofile`?", read("limit nofiles 1 2").diagnostics().get(0).hint());
        assertEquals("did you mean `KILL`?", read("kill signal SIGKIL").diagnostics().get(0).hint());
        assertEquals("did you mean `script`?", read("pre-start scrpt\nend script").diagnostics().get(0).hint());
        assertEquals("write `limit nofile 10000 10000`", read("limit nofile 10000").diagnostics().get(0).hint());
        assertNull(read("start foo").diagnostics().get(0).hint());
    }

    @Test
    void aDanglingOperatorSkipsTheIndentedLinesItMeantToContinue() {
        ReadResult r = read("start on started a and\n    started b\nexec x\n");
        assertEquals(1, r.diagnostics().size(), r.diagnostics()::toString);
        Diagnostic d = r.diagnostics().get(0);
        assertEquals(Code.EXPECTED_EVENT, d.code());
        assertEquals(1, d.source().line());
        assertEquals(23, d.source().column());
        assertEquals("`start on` continues on the next line only inside parentheses or after a trailing backslash", d.hint());
        assertEquals("x", r.jobs().get(0).processes().values().iterator().next().exec().get(0));
    }

    @Test
    void anUnclosedParenthesisDoesNotSwallowTheStanzasAfterIt() {
        ReadResult r = read("start on (started a or\n  started b\nexec x\nrespawn\n");
        assertEquals(List.of(Code.MISMATCHED_PARENS), r.diagnostics().stream().map(Diagnostic::code).toList());
        assertEquals(1, r.diagnostics().get(0).source().line());
        assertEquals(10, r.diagnostics().get(0).source().column());
        Job j = r.jobs().get(0);
        assertNull(j.startOn());
        assertTrue(j.respawn().enabled());
        assertEquals(List.of("x"), j.processes().values().iterator().next().exec());
    }

    @Test
    void aMisspeltScriptSkipsItsBodyInsteadOfReportingEveryLine() {
        ReadResult r = read("scirpt\n  echo a\n  echo b\nend script\ntask\n");
        assertEquals(1, r.diagnostics().size(), r.diagnostics()::toString);
        assertEquals("did you mean `script`?", r.diagnostics().get(0).hint());
        assertTrue(r.jobs().get(0).task());
    }

    @Test
    void everyErrorInAFileIsReportedAndTheValidStanzasStillCount() {
        String text = "description \"demo\"\nnice 50\nexec /bin/demo\nkill timeout soon\nrespawn\nfrob\nstart on startup\n";
        ReadResult r = read(text);
        assertEquals(List.of("2:6 INVALID_VALUE", "4:14 INVALID_VALUE", "6:1 UNKNOWN_KEY"),
                r.diagnostics().stream().map(d -> d.source().line() + ":" + d.source().column() + " " + d.code()).toList());
        Job j = r.jobs().get(0);
        assertEquals("demo", j.description());
        assertNull(j.resources().nice());
        assertTrue(j.respawn().enabled());
        assertEquals("startup", j.startOn().text());
        assertEquals(5, j.kill().timeout().getSeconds());
    }
}
