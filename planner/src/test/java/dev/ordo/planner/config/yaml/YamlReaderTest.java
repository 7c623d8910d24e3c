package dev.ordo.planner.config.yaml;

import dev.ordo.planner.config.ReadResult;

import dev.ordo.planner.config.yaml.YamlReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.model.Console;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.KillMode;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class YamlReaderTest {

    static ReadResult read(String yaml) {
        return YamlReader.read("t.yaml", yaml);
    }

    /** A file with one job `a` whose keys are {@code body}, indented by four: its first line is line 3, column 5. */
    static String job(String body) {
        StringBuilder b = new StringBuilder("jobs:\n  a:\n");
        for (String line : body.split("\n", -1)) if (!line.isEmpty()) b.append("    ").append(line).append('\n');
        return b.toString();
    }

    static Job onlyJob(ReadResult r) {
        assertEquals(List.of(), r.diagnostics());
        assertEquals(1, r.jobs().size());
        return r.jobs().get(0);
    }

    static Diagnostic d(Code code, int line, int column, String message, String hint) {
        return Diagnostic.of(code, new Source("t.yaml", line, column), message, hint);
    }

    // ---- what is read -----------------------------------------------------------------------

    @Test
    void readsEveryKey() {
        Job j = onlyJob(read(job("""
                description: a web server
                task: false
                manual: true
                instance: $PORT
                start_on: started db and (net-device-up IFACE=eth0 or runlevel [2345])
                stop_on: stopping db
                requires: [db]
                wants: cache
                requisite: [net]
                binds_to: [db]
                part_of: [web-group]
                after: [db, cache]
                before: [proxy]
                conflicts: [apache]
                on_failure: [alert]
                on_success: [audit]
                env: {PORT: 8080, MODE: NO, EMPTY: "", INHERIT: ~, VERSION: 1.10}
                export: [PORT]
                emits: [web-up, web-*]
                pre_start: mkdir -p /run/web
                exec: web --port $PORT
                post_start: |
                  wait-for web
                  echo up
                pre_stop: {script: "echo bye"}
                post_stop:
                  exec: [rm -rf /run/web, echo done]
                ready: {tcp: "[::1]:8080", timeout: 30s}
                respawn: {limit: unlimited, interval: 10s}
                normal_exit: [0, 143, TERM, SIGHUP]
                kill: {signal: INT, timeout: 1m, reload: USR1, mode: control-group}
                console: output
                user: 1000
                group: www-data
                umask: 022
                nice: -5
                oom_score: -1000
                chdir: /srv/web
                chroot: /srv/root
                limits: {nofile: [1024, 4096], core: unlimited, nproc: 100}
                estimate: 1.5
                """)));
        assertEquals("a", j.name());
        assertEquals(new Source("t.yaml", 2, 3), j.source());
        assertEquals("a web server", j.description());
        assertTrue(j.manual());
        assertEquals("$PORT", j.instance().text());
        assertEquals("started db and (net-device-up IFACE=eth0 or runlevel [2345])", j.startOn().text());
        assertEquals(new Source("t.yaml", 7, 15), j.startOn().matches().get(0).source());
        assertEquals(new Source("t.yaml", 7, 31), j.startOn().matches().get(1).source());
        assertEquals("stopping db", j.stopOn().text());
        assertEquals(List.of("db", "cache"), j.relations(RelationKind.AFTER).stream().map(Relation::target).toList());
        assertEquals(new Source("t.yaml", 14, 13), j.relations(RelationKind.AFTER).get(0).source());
        assertEquals(List.of("cache"), j.relations(RelationKind.WANTS).stream().map(Relation::target).toList());
        for (RelationKind k : RelationKind.values()) {
            assertEquals(k == RelationKind.TRIGGERS ? 0 : k == RelationKind.AFTER ? 2 : 1, j.relations(k).size(), k.key());
        }
        assertEquals(List.of(new EnvVar("PORT", "8080", new Source("t.yaml", 19, 11)),
                new EnvVar("MODE", "NO", new Source("t.yaml", 19, 23)),
                new EnvVar("EMPTY", "", new Source("t.yaml", 19, 33)),
                new EnvVar("INHERIT", null, new Source("t.yaml", 19, 44)),
                new EnvVar("VERSION", "1.10", new Source("t.yaml", 19, 56))), j.env());
        assertEquals("PORT", j.export().get(0).name());
        assertEquals(List.of("web-up", "web-*"), j.emits().stream().map(n -> n.name()).toList());
        assertEquals(Process.exec(Phase.PRE_START, "mkdir -p /run/web", new Source("t.yaml", 22, 5)),
                j.processes().get(Phase.PRE_START));
        assertEquals(List.of("web --port $PORT"), j.processes().get(Phase.MAIN).exec());
        assertEquals("wait-for web\necho up\n", j.processes().get(Phase.POST_START).script());
        assertEquals("echo bye", j.processes().get(Phase.PRE_STOP).script());
        assertEquals(List.of("rm -rf /run/web", "echo done"), j.processes().get(Phase.POST_STOP).exec());
        assertEquals(new Readiness.Tcp("::1", 8080, Duration.ofSeconds(30)), j.ready());
        assertEquals(new Respawn(true, 0, Duration.ofSeconds(10), new Source("t.yaml", 31, 5)), j.respawn());
        assertEquals(List.of(ExitStatus.code(0), ExitStatus.code(143), ExitStatus.signal(Signal.TERM),
                ExitStatus.signal(Signal.HUP)), j.normalExit());
        assertEquals(new Kill(Signal.INT, Duration.ofMinutes(1), Signal.parse("USR1"), KillMode.CONTROL_GROUP, false, true, Signal.KILL), j.kill());
        assertEquals(Console.OUTPUT, j.console());
        assertEquals("1000", j.resources().user());
        assertEquals("www-data", j.resources().group());
        assertEquals(0022, j.resources().umask());
        assertEquals(-5, j.resources().nice());
        assertEquals(-1000, j.resources().oomScore());
        assertEquals("/srv/web", j.resources().chdir());
        assertEquals("/srv/root", j.resources().chroot());
        assertEquals(List.of(new Limit("nofile", 1024L, 4096L, new Source("t.yaml", 42, 14)),
                new Limit("core", null, null, new Source("t.yaml", 42, 36)),
                new Limit("nproc", 100L, 100L, new Source("t.yaml", 42, 53))), j.resources().limits());
        assertEquals(Duration.ofMillis(1500), j.estimate());
    }

    @Test
    void jobWithoutStartOnOrManualStartsWithStartupAtItsKey() {
        Job j = onlyJob(read("jobs:\n  web:\n    exec: web\n"));
        assertEquals(new EventExpr.Match("startup", List.of(), new Source("t.yaml", 2, 3)), j.startOn());
        assertEquals(false, j.manual());
        Job empty = onlyJob(read("jobs:\n  target:\n"));
        assertTrue(empty.isAbstract());
        assertEquals("startup", empty.startOn().text());
    }

    @Test
    void manualJobHasNoStartConditionUnlessGivenOne() {
        Job m = onlyJob(read(job("manual: true\nexec: x")));
        assertNull(m.startOn());
        Job both = onlyJob(read(job("manual: true\nstart_on: started db\nexec: x")));
        assertTrue(both.manual());
        assertEquals("started db", both.startOn().text());
        Job notManual = onlyJob(read(job("manual: false\nexec: x")));
        assertEquals("startup", notManual.startOn().text());
    }

    @Test
    void phaseStringOfOneLineIsACommandAndOfSeveralIsAScript() {
        Job j = onlyJob(read(job("pre_start: |\n  echo one\npost_start: |\n  echo one\n  echo two\npre_stop: \"  spaced  \"")));
        assertEquals(List.of("echo one"), j.processes().get(Phase.PRE_START).exec());
        assertEquals("echo one\necho two\n", j.processes().get(Phase.POST_START).script());
        assertEquals(List.of("spaced"), j.processes().get(Phase.PRE_STOP).exec());
    }

    @Test
    void readyModesAndProbes() {
        assertEquals(new Readiness.Fork(), onlyJob(read(job("ready: fork"))).ready());
        assertEquals(new Readiness.Forking(), onlyJob(read(job("ready: forking"))).ready());
        assertEquals(new Readiness.Daemon(), onlyJob(read(job("ready: daemon"))).ready());
        assertEquals(new Readiness.Stop(), onlyJob(read(job("ready: stop"))).ready());
        assertEquals(new Readiness.Notify(), onlyJob(read(job("ready: notify"))).ready());
        assertEquals(new Readiness.Notify(Duration.ofSeconds(30)), onlyJob(read(job("ready: {notify: true, timeout: 30s}"))).ready());
        assertEquals(new Readiness.Notify(), onlyJob(read(job("ready: {notify: true}"))).ready());
        assertEquals(Readiness.NONE, onlyJob(read(job("ready: none"))).ready());
        assertEquals(new Readiness.Tcp("127.0.0.1", 5432, Readiness.DEFAULT_TIMEOUT),
                onlyJob(read(job("ready: {tcp: 127.0.0.1:5432}"))).ready());
        assertEquals(new Readiness.Exec("pg_isready", Duration.ofSeconds(5)),
                onlyJob(read(job("ready: {exec: pg_isready, timeout: 5}"))).ready());
        assertEquals(new Readiness.Log("listening on \\d+", Readiness.DEFAULT_TIMEOUT),
                onlyJob(read(job("ready:\n  log: 'listening on \\d+'"))).ready());
    }

    @Test
    void respawnForms() {
        assertEquals(new Respawn(true, 10, Duration.ofSeconds(5), new Source("t.yaml", 3, 5)),
                onlyJob(read(job("respawn: true"))).respawn());
        assertEquals(Respawn.OFF, onlyJob(read(job("respawn: false"))).respawn());
        assertEquals(new Respawn(true, 3, Duration.ofSeconds(5), new Source("t.yaml", 3, 5)),
                onlyJob(read(job("respawn: {limit: 3}"))).respawn());
    }

    @Test
    void anchorsAliasesAndMergeKeys() {
        ReadResult r = read("""
                x-defaults: &defaults
                  respawn: true
                  nice: 5
                  env: &env {A: "1"}
                jobs:
                  a:
                    <<: *defaults
                    nice: 2
                    exec: a
                  b:
                    <<: [*defaults]
                    env: *env
                    exec: b
                """);
        assertEquals(List.of(), r.diagnostics());
        Job a = r.jobs().get(0);
        Job b = r.jobs().get(1);
        assertEquals(2, a.resources().nice()); // written beats merged
        assertTrue(a.respawn().enabled());
        assertEquals(5, b.resources().nice());
        assertEquals("1", b.env().get(0).value());
        assertEquals(new Source("t.yaml", 4, 14), b.env().get(0).source()); // where the anchor defines it
    }

    @Test
    void umaskIsReadFromTheTextNotAsYamlOctalOrDecimal() {
        assertEquals(0022, onlyJob(read(job("umask: 022"))).resources().umask());
        assertEquals(0022, onlyJob(read(job("umask: '0022'"))).resources().umask());
        assertEquals(0077, onlyJob(read(job("umask: 0o77"))).resources().umask());
        assertEquals(0, onlyJob(read(job("umask: 0"))).resources().umask());
    }

    @Test
    void emptyFileAndEmptyJobsAreFine() {
        assertEquals(new ReadResult(List.of(), List.of()), read(""));
        assertEquals(new ReadResult(List.of(), List.of()), read("# nothing yet\n"));
        assertEquals(new ReadResult(List.of(), List.of()), read("jobs:\n"));
        assertEquals(new ReadResult(List.of(), List.of()), read("jobs: {}\nx-note: anything\n"));
    }

    @Test
    void byteOrderMarkAndCrlfDoNotShiftPositions() {
        ReadResult r = read("\uFEFFjobs:\r\n  a:\r\n    nice: 99\r\n");
        assertEquals(List.of(d(Code.INVALID_VALUE, 3, 11, "`nice` is 99; it must be from -20 to 19", null)), r.diagnostics());
    }

    @Test
    void columnsCountCharactersNotUtf16Units() {
        ReadResult r = read(job("description: \"😀\"\nnice: 99"));
        ReadResult e = read(job("description: \"😀\"\nstart_on: \"😀 or\""));
        assertEquals(new Source("t.yaml", 4, 11), r.diagnostics().get(0).source());
        // The quote is column 15, the emoji 16 (one character, two UTF-16 units), `or` 18-19, the end 20.
        assertEquals(List.of(d(Code.EXPECTED_EVENT, 4, 20, "expected an event at the end of the expression",
                "an operator needs an event on both sides")), e.diagnostics());
    }

    @Test
    void diagnosticsAreSortedAndReportedOnce() {
        ReadResult r = read("""
                x-bad: &bad {nice: 50}
                jobs:
                  a: {<<: *bad, exec: a}
                  b: {<<: *bad, exec: b}
                  c: {exec: c, nise: 1}
                """);
        assertEquals(List.of(d(Code.INVALID_VALUE, 1, 20, "`nice` is 50; it must be from -20 to 19", null),
                d(Code.UNKNOWN_KEY, 5, 16, "unknown key `nise` in a job", "did you mean `nice`?")), r.diagnostics());
        assertEquals(List.of("a", "b", "c"), r.jobs().stream().map(Job::name).toList());
    }

    @Test
    void billionLaughsIsRefused() {
        StringBuilder y = new StringBuilder("x-0: &l0 [a, a, a, a, a, a, a, a, a, a]\n");
        for (int i = 1; i < 10; i++) {
            y.append("x-").append(i).append(": &l").append(i).append(" [");
            for (int k = 0; k < 10; k++) y.append(k == 0 ? "" : ", ").append("*l").append(i - 1);
            y.append("]\n");
        }
        y.append("jobs:\n  a:\n    after: *l9\n");
        long t0 = System.nanoTime();
        ReadResult r = read(y.toString());
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "bounded work");
        // The reader only descends where the format has structure: the ten items of `after` are one
        // list node (defined by &l8 on line 9), a wrong type reported once.
        assertEquals(List.of(d(Code.WRONG_TYPE, 9, 6, "items of `after` must be job names (strings), got a list", null)),
                r.diagnostics());
    }

    @Test
    void aliasExpansionBeyondTheBudgetIsRefused() {
        // 400 jobs share one map of 300 env vars: 120 000 nodes visited again.
        StringBuilder y = new StringBuilder("x-env: &env\n");
        for (int i = 0; i < 300; i++) y.append("  V").append(i).append(": x\n");
        y.append("jobs:\n");
        for (int i = 0; i < 400; i++) y.append("  j").append(i).append(": {env: *env}\n");
        ReadResult r = read(y.toString());
        assertEquals(List.of(), r.jobs());
        assertEquals(1, r.diagnostics().size());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals(Code.SYNTAX, d.code());
        assertEquals("aliases expand to more than 100000 nodes; refusing to read further", d.message());
    }

    @Test
    void tooManyAliasesAreRefusedBySnakeYaml() {
        StringBuilder y = new StringBuilder("x-l: &l [a]\njobs:\n  a:\n    after: [");
        for (int i = 0; i <= YamlReader.MAX_ALIASES; i++) y.append(i == 0 ? "" : ", ").append("*l");
        y.append("]\n");
        ReadResult r = read(y.toString());
        assertEquals(List.of(d(Code.SYNTAX, 1, 1, "Number of aliases for non-scalar nodes exceeds the specified max=5000", null)),
                r.diagnostics());
    }

    @Test
    void keepsReadingAfterErrorsAndBuildsWhatIsValid() {
        ReadResult r = read(job("exec: web\nnice: 99\nafter: [db, \"bad name\"]\nkill: {signal: TREM, timeout: 2s}"));
        assertEquals(3, r.diagnostics().size());
        Job j = r.jobs().get(0);
        assertEquals(List.of("web"), j.processes().get(Phase.MAIN).exec());
        assertNull(j.resources().nice());
        assertEquals(List.of("db"), j.relations(RelationKind.AFTER).stream().map(Relation::target).toList());
        assertEquals(new Kill(Signal.TERM, Duration.ofSeconds(2), Signal.HUP), j.kill());
    }

    // ---- every diagnostic -------------------------------------------------------------------

    static Stream<Arguments> diagnostics() {
        return Stream.of(
                // syntax
                Arguments.of("jobs:\n  a:\n\texec: x\n", d(Code.SYNTAX, 3, 1,
                        "while scanning for the next token: found character tab that cannot start any token (Do not use tab for indentation)",
                        "indent with spaces; YAML does not allow tabs for indentation")),
                Arguments.of("jobs:\n  a:\n    exec: a: b\n", d(Code.SYNTAX, 3, 12, "mapping values are not allowed here",
                        "quote a value that contains `: `, or check the indentation")),
                Arguments.of("jobs:\n  a:\n    exec: \"web\n", d(Code.SYNTAX, 4, 1,
                        "while scanning a quoted scalar: found unexpected end of stream (from line 3, column 11)", null)),
                Arguments.of("jobs: {}\n---\njobs: {}\n", d(Code.SYNTAX, 2, 1,
                        "expected a single document in the stream: but found another document (from line 1, column 1)",
                        "an ordo.yaml holds one document; remove the second `---`")),
                Arguments.of("jobs:\n  a: *nope\n", d(Code.SYNTAX, 2, 6, "found undefined alias nope",
                        "define the anchor (&name) before the alias (*name) that uses it")),
                Arguments.of(job("exec: a\nexec: b"), d(Code.SYNTAX, 4, 5,
                        "duplicate key `exec` in a job; the first is at line 3, column 5", "remove one of them; YAML keys must be unique")),
                Arguments.of("jobs:\n  a: {}\n  a: {}\n", d(Code.DUPLICATE_JOB, 3, 3,
                        "job `a` is defined twice; first at t.yaml:2:3", "rename one of them or remove one definition")),
                // structure
                Arguments.of("- a\n", d(Code.WRONG_TYPE, 1, 1, "an ordo.yaml must be a map with `jobs` at the top, got a list",
                        "start the file with `jobs:` and put each job under it")),
                Arguments.of("job:\n  a: {}\n", d(Code.UNKNOWN_KEY, 1, 1, "unknown key `job` at the top of the file", "did you mean `jobs`?")),
                Arguments.of("web:\n  exec: x\n", d(Code.UNKNOWN_KEY, 1, 1, "unknown key `web` at the top of the file",
                        "ordo.yaml has `jobs:` at the top (and `x-` keys to hold anchors); put job definitions under `jobs:`")),
                Arguments.of("jobs:\n  - a\n", d(Code.WRONG_TYPE, 2, 3, "`jobs` must be a map of job names to jobs, got a list",
                        "write `jobs:` then one `name:` per job, each with its keys below it")),
                Arguments.of("jobs:\n  [a]: {}\n", d(Code.WRONG_TYPE, 2, 3, "a key must be a name, got a list", null)),
                Arguments.of("jobs:\n  a: web -d\n", d(Code.WRONG_TYPE, 2, 6,
                        "job `a` must be a map of keys such as `exec` and `start_on`, got a string",
                        "write `exec: web -d` on the next line, indented")),
                Arguments.of("jobs:\n  \"my job\": {}\n", d(Code.INVALID_VALUE, 2, 3,
                        "job name `my job` may only contain letters, digits and `_ . @ : / + -`", "for example `my-job`")),
                Arguments.of("jobs:\n  \"\": {}\n", d(Code.INVALID_VALUE, 2, 3, "job name `` is empty", null)),
                Arguments.of(job("<<: 5"), d(Code.WRONG_TYPE, 3, 9, "`<<` merges a map or a list of maps, got an integer",
                        "write `<<: *name` where `&name` marks a map")),
                Arguments.of(job("exce: x"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `exce` in a job", "did you mean `exec`?")),
                Arguments.of(job("start on: startup"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `start on` in a job", "did you mean `start_on`?")),
                Arguments.of(job("pre-start: x"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `pre-start` in a job", "did you mean `pre_start`?")),
                Arguments.of(job("command: web"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `command` in a job", "ordo says `exec`")),
                Arguments.of(job("depends_on: [db]"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `depends_on` in a job",
                        "ordo says `requires: [db]` and `after: [db]`")),
                Arguments.of(job("frobnicate: 1"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `frobnicate` in a job",
                        "see docs/configuration.md for the keys a job takes")),
                Arguments.of(job("restart: always"), d(Code.UNKNOWN_KEY, 3, 5, "unknown key `restart` in a job",
                        "ordo says `respawn: true` (or a map {limit, interval})")),
                // kinds
                Arguments.of(job("exec:"), d(Code.MISSING_ARGUMENT, 3, 10, "`exec` has no value",
                        "give a command line, or a list of them, or remove the key")),
                Arguments.of(job("after: {db: 1}"), d(Code.WRONG_TYPE, 3, 12, "`after` must be a list of job names, got a map", null)),
                Arguments.of(job("task: \"yes\""), d(Code.WRONG_TYPE, 3, 11, "`task` must be true or false, got a string", null)),
                Arguments.of(job("description: 42"), d(Code.WRONG_TYPE, 3, 18, "`description` must be a string, got an integer",
                        "quote it to make it a string")),
                Arguments.of(job("start_on: [started a, started b]"), d(Code.WRONG_TYPE, 3, 15,
                        "`start_on` must be an event expression (a string), got a list",
                        "write one expression: join events with `and` or `or`")),
                Arguments.of(job("nice: 1.5"), d(Code.WRONG_TYPE, 3, 11, "`nice` must be an integer from -20 to 19, got a number", null)),
                // both exec and script
                Arguments.of(job("script: |\n  echo\nexec: x"), d(Code.INVALID_VALUE, 5, 5,
                        "a job has one main process: `exec` and `script` are both given", "keep one of them; a script can run several commands")),
                // names
                Arguments.of(job("after: [db, 5]"), d(Code.WRONG_TYPE, 3, 17, "items of `after` must be job names (strings), got an integer",
                        "quote it to make it a string")),
                Arguments.of(job("after: [db, ~]"), d(Code.MISSING_ARGUMENT, 3, 17, "items of `after` must be job names (strings), got nothing", null)),
                Arguments.of(job("requires: db cache"), d(Code.INVALID_VALUE, 3, 15,
                        "`db cache` in `requires` is not a job name: it may only contain letters, digits and `_ . @ : / + -`",
                        "write several jobs as a list: [db, cache]")),
                Arguments.of(job("export: [$PORT]"), d(Code.INVALID_VALUE, 3, 14, "`$PORT` in `export` is not a variable name: it starts with `$`",
                        "drop the `$`: write `PORT`")),
                Arguments.of(job("export: [A=1]"), d(Code.INVALID_VALUE, 3, 14, "`A=1` in `export` is not a variable name: it contains `=`", null)),
                Arguments.of(job("emits: [\"\"]"), d(Code.INVALID_VALUE, 3, 13, "`` in `emits` is not an event name: it is empty", null)),
                Arguments.of(job("emits: [a b]"), d(Code.INVALID_VALUE, 3, 13, "`a b` in `emits` is not an event name: it contains a blank", null)),
                Arguments.of(job("instance: \" \""), d(Code.MISSING_ARGUMENT, 3, 15, "`instance` is empty", "give a value, or remove the key")),
                // event expressions: positions inside plain, quoted and block scalars
                Arguments.of(job("start_on: started a or"), d(Code.EXPECTED_EVENT, 3, 27,
                        "expected an event at the end of the expression", "an operator needs an event on both sides")),
                Arguments.of(job("start_on: \"started a and and b\""), d(Code.EXPECTED_EVENT, 3, 30,
                        "expected an event, found `and`", "an operator needs an event on both sides")),
                Arguments.of(job("start_on: >\n  started a\n  and (b or c\n"), d(Code.MISMATCHED_PARENS, 5, 11,
                        "mismatched parentheses: `(` is never closed", "add the `)` that closes it")),
                Arguments.of(job("start_on: a or b and c"), d(Code.MIXED_AND_OR, 3, 22,
                        "`and` and `or` mixed without parentheses; read as (a or b) and c",
                        "`and` and `or` have equal precedence and group from the left; add parentheses to say which you mean")),
                Arguments.of(job("stop_on: a X=1 b"), d(Code.EXPECTED_VARIABLE, 3, 20,
                        "positional argument `b` after a named one: expected KEY=VALUE",
                        "put positional arguments first, or write this one as KEY=VALUE")),
                // env
                Arguments.of(job("env: {A=1: x}"), d(Code.INVALID_VALUE, 3, 11, "`A=1` in `env` is not a variable name: it contains `=`",
                        "write `A: value`")),
                Arguments.of(job("env: {A: [1, 2]}"), d(Code.WRONG_TYPE, 3, 14, "`env` value of `A` must be a string, number or boolean, got a list",
                        "quote the whole value to pass a list as text")),
                // processes
                Arguments.of(job("exec: []"), d(Code.MISSING_ARGUMENT, 3, 11, "`exec` is an empty list", "give at least one command line")),
                Arguments.of(job("exec: \"  \""), d(Code.MISSING_ARGUMENT, 3, 11, "`exec` is empty", "give a command line")),
                Arguments.of(job("exec: |\n  a\n  b"), d(Code.INVALID_VALUE, 3, 11, "`exec` is one command line, but this value has several lines",
                        "for several lines of shell, use `script: |` instead")),
                Arguments.of(job("exec: [a, {b: 1}]"), d(Code.WRONG_TYPE, 3, 15, "items of `exec` must be command lines (strings), got a map", null)),
                Arguments.of(job("script: \"\""), d(Code.MISSING_ARGUMENT, 3, 13, "`script` is empty", "give the script's lines, or remove the key")),
                Arguments.of(job("pre_start: {}"), d(Code.MISSING_ARGUMENT, 3, 16, "`pre_start` needs `exec` or `script`",
                        "write `pre_start: command` or `pre_start: {exec: command}`")),
                Arguments.of(job("pre_start: {exec: a, script: b}"), d(Code.INVALID_VALUE, 3, 26, "`pre_start` takes `exec` or `script`, not both",
                        "keep one of them")),
                Arguments.of(job("pre_start: {run: a}"), d(Code.UNKNOWN_KEY, 3, 17, "unknown key `run` in `pre_start`", "`pre_start` takes `exec` or `script`")),
                Arguments.of(job("post_stop: {exec: 5}"), d(Code.WRONG_TYPE, 3, 23, "`post_stop.exec` must be a command line, or a list of them, got an integer",
                        "quote it to make it a string")),
                Arguments.of(job("post_stop: ''"), d(Code.MISSING_ARGUMENT, 3, 16, "`post_stop` is empty", "give a command or a script, or remove the key")),
                // ready
                Arguments.of(job("ready: notfy"), d(Code.INVALID_VALUE, 3, 12,
                        "`ready` is `notfy`; use none, fork, forking, exited, daemon, stop, notify, or a probe {tcp: ...}, {exec: ...}, {log: ...}", "did you mean `notify`?")),
                Arguments.of(job("ready: tcp"), d(Code.INVALID_VALUE, 3, 12,
                        "`ready` is `tcp`; use none, fork, forking, exited, daemon, stop, notify, or a probe {tcp: ...}, {exec: ...}, {log: ...}",
                        "a probe is a map: write `ready: {tcp: ...}`")),
                Arguments.of(job("ready: {timeout: 5s}"), d(Code.MISSING_ARGUMENT, 3, 12, "`ready` needs one of `tcp`, `exec`, `log` or `notify`",
                        "for example {tcp: 127.0.0.1:5432} or {notify: true, timeout: 30s}; or write a mode such as `ready: notify`")),
                Arguments.of(job("ready: {notify: true, tcp: a:1}"), d(Code.INVALID_VALUE, 3, 27,
                        "`ready` is either notify or a probe: `notify` and `tcp` are both given", "keep one of them")),
                Arguments.of(job("ready: {notify: false}"), d(Code.INVALID_VALUE, 3, 21, "`ready.notify` is false",
                        "write `ready: none` for a job that does not notify, or `notify: true`")),
                Arguments.of(job("ready: {tcp: a:1, log: x}"), d(Code.INVALID_VALUE, 3, 23, "`ready` takes one probe: `tcp` and `log` are both given",
                        "keep one of them")),
                Arguments.of(job("ready: {tcp: db, timeout: 1s}"), d(Code.INVALID_VALUE, 3, 18,
                        "`ready.tcp` is `db`; it must be host:port with a port from 1 to 65535", "for example 127.0.0.1:5432, localhost:80 or [::1]:8080")),
                Arguments.of(job("ready: {tcp: \"db:70000\"}"), d(Code.INVALID_VALUE, 3, 18,
                        "`ready.tcp` is `db:70000`; it must be host:port with a port from 1 to 65535", "for example 127.0.0.1:5432, localhost:80 or [::1]:8080")),
                Arguments.of(job("ready: {exec: x, timeout: soon}"), d(Code.INVALID_VALUE, 3, 31,
                        "`ready.timeout`: not a duration: soon (write e.g. 500ms, 5s, 2m)", "write a duration such as 500ms, 5s, 2m, or a number of seconds")),
                Arguments.of(job("ready: {log: \"(\"}"), d(Code.INVALID_VALUE, 3, 18, "`ready.log` is not a regular expression: Unclosed group near index 1", null)),
                Arguments.of(job("ready: {log: \"\"}"), d(Code.MISSING_ARGUMENT, 3, 18, "`ready.log` is empty", "give a regular expression a line of output matches")),
                Arguments.of(job("ready: {tpc: a:1}"), d(Code.UNKNOWN_KEY, 3, 13, "unknown key `tpc` in `ready`", "did you mean `tcp`?")),
                // respawn, normal_exit, kill
                Arguments.of(job("respawn: {limit: lots}"), d(Code.INVALID_VALUE, 3, 22, "`respawn.limit` is `lots`; it must be a whole number", null)),
                Arguments.of(job("respawn: {limit: -1}"), d(Code.INVALID_VALUE, 3, 22, "`respawn.limit` is -1; it must be from 0 up", null)),
                Arguments.of(job("respawn: {interval: 5x}"), d(Code.INVALID_VALUE, 3, 25,
                        "`respawn.interval`: unknown unit 'x' in duration 5x (use ms, s, m or h)", "write a duration such as 500ms, 5s, 2m, or a number of seconds")),
                Arguments.of(job("respawn: {limit: 10, every: 5s}"), d(Code.UNKNOWN_KEY, 3, 26, "unknown key `every` in `respawn`",
                        "`respawn` takes limit, interval and delay")),
                Arguments.of(job("normal_exit: [0, 256]"), d(Code.INVALID_VALUE, 3, 22, "`normal_exit`: exit status out of range: 256 (0 to 255)", null)),
                Arguments.of(job("normal_exit: [TREM]"), d(Code.INVALID_VALUE, 3, 19, "`normal_exit`: not an exit status or signal: TREM", "did you mean `TERM`?")),
                Arguments.of(job("normal_exit: [[1]]"), d(Code.WRONG_TYPE, 3, 19, "items of `normal_exit` must be exit codes or signals, got a list", null)),
                Arguments.of(job("kill: {signal: SIGTREM}"), d(Code.INVALID_VALUE, 3, 20, "`kill.signal`: unknown signal: SIGTREM", "did you mean `TERM`?")),
                Arguments.of(job("kill: {signal: 0}"), d(Code.INVALID_VALUE, 3, 20, "`kill.signal`: signal 0 sends nothing", null)),
                Arguments.of(job("kill: {reload: 99}"), d(Code.INVALID_VALUE, 3, 20, "`kill.reload`: signal number out of range: 99 (1 to 64)", null)),
                Arguments.of(job("kill: {timeout: [5]}"), d(Code.WRONG_TYPE, 3, 21, "`kill.timeout` must be a duration such as 500ms, 5s or 2m, got a list", null)),
                Arguments.of(job("kill: {sginal: TERM}"), d(Code.UNKNOWN_KEY, 3, 12, "unknown key `sginal` in `kill`", "did you mean `signal`?")),
                // resources
                Arguments.of(job("console: logs"), d(Code.INVALID_VALUE, 3, 14, "`console` is `logs`; use one of log, output, owner, none", "did you mean `log`?")),
                Arguments.of(job("umask: 0888"), d(Code.INVALID_VALUE, 3, 12, "`umask` is `0888`; it must be an octal mask from 000 to 777", "for example 022 or 077")),
                Arguments.of(job("umask: 1777"), d(Code.INVALID_VALUE, 3, 12, "`umask` is `1777`; it must be an octal mask from 000 to 777", "for example 022 or 077")),
                Arguments.of(job("nice: 20"), d(Code.INVALID_VALUE, 3, 11, "`nice` is 20; it must be from -20 to 19", null)),
                Arguments.of(job("oom_score: -1001"), d(Code.INVALID_VALUE, 3, 16, "`oom_score` is -1001; it must be from -1000 to 1000", null)),
                Arguments.of(job("nice: 0x5"), d(Code.INVALID_VALUE, 3, 11, "`nice` is `0x5`; it must be a whole number", null)),
                Arguments.of(job("kill: {mode: cgroup}"), d(Code.INVALID_VALUE, 3, 18, "`kill.mode` is `cgroup`; use process-group, control-group, mixed, process, none",
                        null)),
                Arguments.of(job("chdir: srv/web"), d(Code.INVALID_VALUE, 3, 12, "`chdir` is `srv/web`; it must be an absolute path or ~",
                        "start it with `/`; `~` is the user's home, and a leading `-` lets it be missing")),
                Arguments.of(job("user: ''"), d(Code.MISSING_ARGUMENT, 3, 11, "`user` is empty", "give a value, or remove the key")),
                Arguments.of(job("limits: {nofiles: 10}"), d(Code.UNKNOWN_KEY, 3, 14, "unknown key `nofiles` in `limits`", "did you mean `nofile`?")),
                Arguments.of(job("limits: {nofile: [1, 2, 3]}"), d(Code.INVALID_VALUE, 3, 22, "`limits.nofile` has 3 values; give one, or two: [soft, hard]", null)),
                Arguments.of(job("limits: {nofile: [4096, 1024]}"), d(Code.INVALID_VALUE, 3, 23, "`limits.nofile`: the soft limit 4096 is above the hard limit 1024",
                        "the soft limit can be at most the hard limit")),
                Arguments.of(job("limits: {nofile: [unlimited, 1024]}"), d(Code.INVALID_VALUE, 3, 23,
                        "`limits.nofile`: the soft limit unlimited is above the hard limit 1024", "the soft limit can be at most the hard limit")),
                Arguments.of(job("limits: {core: unlimted}"), d(Code.INVALID_VALUE, 3, 20, "`limits.core` is `unlimted`; a limit is a number from 0 up, or `unlimited`",
                        "did you mean `unlimited`?")),
                Arguments.of(job("limits: {core: -1}"), d(Code.INVALID_VALUE, 3, 20, "`limits.core` is `-1`; a limit is a number from 0 up, or `unlimited`", null)),
                Arguments.of(job("estimate: forever"), d(Code.INVALID_VALUE, 3, 15, "`estimate`: not a duration: forever (write e.g. 500ms, 5s, 2m)",
                        "write a duration such as 500ms, 5s, 2m, or a number of seconds")));
    }

    @ParameterizedTest
    @MethodSource
    void diagnostics(String yaml, Diagnostic expected) {
        assertEquals(List.of(expected), read(yaml).diagnostics(), yaml);
    }
}
