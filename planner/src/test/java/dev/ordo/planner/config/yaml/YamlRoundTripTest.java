package dev.ordo.planner.config.yaml;

import dev.ordo.planner.config.ReadResult;

import dev.ordo.planner.config.yaml.YamlReader;
import dev.ordo.planner.config.yaml.YamlWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventArg;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.KillMode;
import dev.ordo.planner.model.Limit;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Process;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Resources;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Template;
import dev.ordo.planner.model.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * Whatever YamlWriter writes, YamlReader reads back as the same model. Sources differ (the writer
 * has none to keep), so both sides are compared with every source stripped.
 */
class YamlRoundTripTest {

    private static final Source NOWHERE = new Source("", 0, 0);

    // ---- the property ---------------------------------------------------------------------------

    @Property(tries = 400)
    void writtenJobsReadBackAsTheSameModel(@ForAll("jobLists") List<Job> jobs) {
        String yaml = YamlWriter.write(jobs);
        ReadResult r = YamlReader.read("w.yaml", yaml);
        assertEquals(List.of(), r.diagnostics(), yaml);
        assertEquals(normalise(sorted(jobs)), normalise(r.jobs()), yaml);
        assertEquals(yaml, YamlWriter.write(r.jobs()), "writing is canonical");
    }

    @Example
    void handWrittenSampleSurvivesReadWriteRead() throws IOException {
        ReadResult first = YamlReader.read("sample.yaml", resource("yaml/sample.yaml"));
        assertEquals(List.of(), first.diagnostics());
        assertEquals(9, first.jobs().size());
        String written = YamlWriter.write(first.jobs());
        ReadResult second = YamlReader.read("written.yaml", written);
        assertEquals(List.of(), second.diagnostics(), written);
        assertEquals(normalise(first.jobs()), normalise(second.jobs()), written);
        assertEquals(written, YamlWriter.write(second.jobs()));
    }

    @Example
    void designExampleReadsWithoutDiagnostics() throws IOException {
        ReadResult r = YamlReader.read("design.yaml", resource("yaml/design-example.yaml"));
        assertEquals(List.of(), r.diagnostics());
        assertEquals(List.of("dbus", "getty", "hal", "hersql-backup", "network-manager", "portmap", "sobby"),
                r.jobs().stream().map(Job::name).toList());
        Job sobby = r.jobs().get(6);
        assertEquals(new Respawn(true, 10, Duration.ofSeconds(5), new Source("design.yaml", 27, 5)), sobby.respawn());
        assertEquals(List.of(ExitStatus.code(0), ExitStatus.signal(Signal.parse("ABRT"))), sobby.normalExit());
        assertEquals(new Readiness.Notify(), r.jobs().get(0).ready());
        assertEquals("stopping hersql RESULT=failed EXIT_SIGNAL=SEGV", r.jobs().get(3).startOn().text());
    }

    @Example
    void everyWholeFileExampleInTheDocsReadsWithoutDiagnostics() throws IOException {
        Path doc = Path.of(System.getProperty("ordo.top", "..")).resolve("docs/configuration.md");
        String text = Files.readString(doc);
        int files = 0;
        int at = 0;
        while ((at = text.indexOf("```yaml\n", at)) >= 0) {
            int start = at + "```yaml\n".length();
            int end = text.indexOf("```", start);
            String block = text.substring(start, end);
            at = end + 3;
            String first = block.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
            if (!first.startsWith("jobs:") && !first.startsWith("x-")) continue; // a fragment of a job
            files++;
            ReadResult r = YamlReader.read("configuration.md", block);
            assertEquals(List.of(), r.diagnostics(), block);
        }
        assertEquals(2, files, "the first example and the anchors example");
    }

    @Example
    void emptyConfigIsWrittenAsAnEmptyMap() {
        assertEquals("jobs: {}\n", YamlWriter.write(List.of()));
        assertEquals(new ReadResult(List.of(), List.of()), YamlReader.read("e.yaml", "jobs: {}\n"));
    }

    @Example
    void writerQuotesWhatYamlWouldRetype() {
        Job j = Job.builder("yes", Format.YAML, NOWHERE)
                .startOn(match("startup"))
                .env(new EnvVar("A", "022", NOWHERE))
                .env(new EnvVar("B", "no", NOWHERE))
                .env(new EnvVar("C", null, NOWHERE))
                .resources(new Resources(0022, null, null, null, List.of(), "1000", null, null))
                .build();
        assertEquals("""
                jobs:
                  'yes':
                    start_on: startup
                    env:
                      A: '022'
                      B: 'no'
                      C: null
                    user: '1000'
                    umask: '022'
                """, YamlWriter.write(List.of(j)));
    }

    @Example
    void writerSaysWhatYamlCanForJobsFromOtherFormats() {
        // An Upstart job without `start on` is manual; YAML says so with `manual: true`.
        Job upstart = Job.builder("cron", Format.UPSTART, NOWHERE)
                .process(Process.exec(Phase.MAIN, "cron -f", NOWHERE))
                .relation(new Relation(RelationKind.TRIGGERS, "cron.socket", NOWHERE, Relation.Origin.IMPLICIT))
                .respawn(new Respawn(false, 3, Duration.ofSeconds(2), NOWHERE))
                .build();
        assertEquals("""
                jobs:
                  cron:
                    manual: true
                    exec: cron -f
                """, YamlWriter.write(List.of(upstart)));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = YamlRoundTripTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) throw new IOException("no resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ---- normalising ----------------------------------------------------------------------------

    private static List<Job> sorted(List<Job> jobs) {
        List<Job> out = new ArrayList<>(jobs);
        out.sort(java.util.Comparator.comparing(Job::name));
        return out;
    }

    /** The jobs with every source replaced by one that is nowhere, so only content is compared. */
    static List<Job> normalise(List<Job> jobs) {
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) out.add(normalise(j));
        return out;
    }

    static Job normalise(Job j) {
        Job.Builder b = Job.builder(j.name(), j.format(), NOWHERE)
                .description(j.description()).task(j.task()).manual(j.manual())
                .startOn(strip(j.startOn())).stopOn(strip(j.stopOn()))
                .ready(j.ready()).kill(j.kill()).console(j.console()).estimate(j.estimate()).unit(j.unit());
        for (Process p : j.processes().values()) b.process(new Process(p.phase(), p.exec(), p.script(), NOWHERE));
        for (Relation r : j.relations()) b.relation(new Relation(r.kind(), r.target(), NOWHERE, r.origin()));
        for (EnvVar v : j.env()) b.env(new EnvVar(v.key(), v.value(), NOWHERE));
        for (Named n : j.export()) b.export(new Named(n.name(), NOWHERE));
        for (Named n : j.emits()) b.emits(new Named(n.name(), NOWHERE));
        if (j.instance() != null) b.instance(new Template(j.instance().text(), NOWHERE));
        Respawn r = j.respawn();
        b.respawn(new Respawn(r.enabled(), r.limit(), r.interval(), null));
        for (ExitStatus s : j.normalExit()) b.normalExit(s);
        Resources res = j.resources();
        List<Limit> limits = new ArrayList<>();
        for (Limit l : res.limits()) limits.add(new Limit(l.resource(), l.soft(), l.hard(), NOWHERE));
        b.resources(new Resources(res.umask(), res.nice(), res.chdir(), res.chroot(), limits, res.user(), res.group(),
                res.oomScore()));
        return b.build();
    }

    static EventExpr strip(EventExpr e) {
        if (e == null) return null;
        if (e instanceof EventExpr.Match m) return new EventExpr.Match(m.event(), m.args(), null);
        if (e instanceof EventExpr.All a) return new EventExpr.All(strip(a.left()), strip(a.right()));
        EventExpr.Any o = (EventExpr.Any) e;
        return new EventExpr.Any(strip(o.left()), strip(o.right()));
    }

    private static EventExpr.Match match(String event) {
        return new EventExpr.Match(event, List.of(), null);
    }

    // ---- generators -----------------------------------------------------------------------------

    /** Strings YAML would read as something else, or that need quoting or escaping. */
    private static final List<String> ODD = List.of("", " ", "yes", "no", "NO", "on", "null", "~", "true", "022", "0x1F",
            "1.5", "1e3", "-", "- x", "? x", "a: b", "a #b", "#c", "&a", "*a", "!tag", "%x", "@x", "`x", "[x", "{x}", "x,y",
            "'q'", "\"dq\"", "back\\slash", " lead", "trail ", "tab\tin", "two\nlines", "cr\rx", "nul\u0000x", "bell\u0007",
            "é ü ß", "日本語", "😀 emoji", "line\u2028sep", "nel\u0085x", "$HOME", "${A:-b}", "|", ">", "---", "...");

    private static Arbitrary<String> oddText() {
        return Arbitraries.oneOf(Arbitraries.of(ODD),
                Arbitraries.strings().withCharRange(' ', '~').withChars('\n', '\t', 'é').ofMaxLength(16));
    }

    private static Arbitrary<String> jobName() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("abcxyz0189_.@:/+-").ofMinLength(1).ofMaxLength(10),
                Arbitraries.of("yes", "null", "123", "1.5", "on", "db", "getty@tty1", "foo.service", "a:b", "-x", "Ünïcode"));
    }

    private static Arbitrary<String> command() {
        return Arbitraries.oneOf(Arbitraries.of("web --port $PORT", "yes", "echo 'a: b' # not a comment", "[ -x /bin/sh ]",
                        "- dash", "022", "{x}", "*glob"),
                Arbitraries.strings().withCharRange(' ', '~').ofMinLength(1).ofMaxLength(20))
                .map(String::strip).filter(s -> !s.isEmpty());
    }

    private static Arbitrary<String> script() {
        Arbitrary<String> line = Arbitraries.oneOf(Arbitraries.of("", "  indented", "echo \"$A\"", "# comment", "if x; then",
                "\ttabbed", "trailing  ", "a: b", "---"), Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(12));
        return Combinators.combine(line.list().ofMinSize(1).ofMaxSize(5), Arbitraries.of("", "\n", "\n\n"))
                .as((lines, end) -> String.join("\n", lines) + end)
                .filter(s -> !s.isBlank());
    }

    private static Arbitrary<Duration> duration() {
        return Arbitraries.oneOf(Arbitraries.of(Duration.ZERO, Duration.ofSeconds(5), Duration.ofMinutes(2),
                        Duration.ofMinutes(90), Duration.ofHours(1)),
                Arbitraries.longs().between(1, 10_000_000).map(Duration::ofMillis));
    }

    private static Arbitrary<Signal> signal() {
        List<Signal> all = new ArrayList<>();
        for (String n : Signal.names()) all.add(Signal.parse(n));
        all.add(Signal.parse("RTMIN+3"));
        all.add(Signal.parse("RTMAX"));
        return Arbitraries.of(all);
    }

    private static Arbitrary<EventExpr> expression() {
        // Up to three levels of and/or: every nesting the canonical text has to parenthesise.
        return Arbitraries.recursive(YamlRoundTripTest::eventMatch, e -> Arbitraries.oneOf(
                Combinators.combine(e, e).as(EventExpr.All::new),
                Combinators.combine(e, e).as(EventExpr.Any::new)), 0, 3);
    }

    private static Arbitrary<EventExpr> eventMatch() {
        Arbitrary<String> event = Arbitraries.oneOf(Arbitraries.of("startup", "started", "stopping", "starting", "stopped",
                "net-device-up", "tty-added", "foo/failed", "runlevel", "and", "or"),
                Arbitraries.strings().withChars("abcxyz-_/").ofMinLength(1).ofMaxLength(8));
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.of("dbus", "eth*", "[2345]", "$TTY", "${A:-b}", "with space",
                "", "x#y", "(p)", "and", "a:b", "é"), Arbitraries.strings().withChars("abc-*?$").ofMaxLength(5));
        Arbitrary<String> key = Arbitraries.of("JOB", "RESULT", "IFACE", "EXIT_SIGNAL", "TTY");
        Arbitrary<EventArg> named = Combinators.combine(key, Arbitraries.of(true, false), value)
                .as((k, neg, v) -> new EventArg(k, neg, v));
        return Combinators.combine(event, value.map(EventArg::positional).list().ofMaxSize(2), named.list().ofMaxSize(2))
                .as((e, pos, nam) -> {
                    List<EventArg> args = new ArrayList<>(pos);
                    args.addAll(nam);
                    return new EventExpr.Match(e, args, null);
                });
    }

    private record Head(String name, String description, boolean task, boolean manual, Template instance,
                        EventExpr startOn, EventExpr stopOn, Duration estimate) {
    }

    private record Links(List<Relation> relations, List<EnvVar> env, List<Named> export, List<Named> emits) {
    }

    private record Run(Map<Phase, Process> processes, Readiness ready, Respawn respawn, List<ExitStatus> normalExit,
                       Kill kill, Console console) {
    }

    private static Arbitrary<Head> head() {
        Arbitrary<Template> instance = Arbitraries.oneOf(Arbitraries.just(null),
                Arbitraries.of("$TTY", "${cluster:-ceph}/$id", "yes", "a: b").map(t -> new Template(t, NOWHERE)));
        return Combinators.combine(jobName(), Arbitraries.oneOf(Arbitraries.just(null), oddText()), Arbitraries.of(true, false),
                        Arbitraries.of(true, false), instance, expression().injectNull(0.2), expression().injectNull(0.5),
                        duration().injectNull(0.6))
                .as((name, desc, task, manual, inst, start, stop, est) ->
                        // A job that is not manual always has a start condition (`startup` by default).
                        new Head(name, desc, task, manual, inst, start == null && !manual ? match("startup") : start, stop, est));
    }

    private static Arbitrary<Links> links() {
        List<RelationKind> kinds = new ArrayList<>(List.of(RelationKind.values()));
        kinds.remove(RelationKind.TRIGGERS);
        Arbitrary<Relation> relation = Combinators.combine(Arbitraries.of(kinds), jobName())
                .as((k, t) -> new Relation(k, t, NOWHERE, Relation.Origin.DECLARED));
        Arbitrary<List<Relation>> relations = relation.list().ofMaxSize(5).map(rs -> {
            // The reader gives relations grouped by kind in key order, each group in written order.
            List<Relation> out = new ArrayList<>(rs);
            out.sort(java.util.Comparator.comparing(Relation::kind));
            return out;
        });
        Arbitrary<String> varName = Arbitraries.strings().withChars("ABCXYZ_0").ofMinLength(1).ofMaxLength(4)
                .filter(s -> !Character.isDigit(s.charAt(0)));
        Arbitrary<EnvVar> env = Combinators.combine(varName, oddText().injectNull(0.15)).as((k, v) -> new EnvVar(k, v, NOWHERE));
        Arbitrary<Named> event = Arbitraries.oneOf(Arbitraries.of("web-up", "foo-*", "*", "bar?", "yes", "a:b", "[x]"),
                Arbitraries.strings().withChars("abc-/").ofMinLength(1).ofMaxLength(6)).map(n -> new Named(n, NOWHERE));
        return Combinators.combine(relations, env.list().ofMaxSize(5).uniqueElements(EnvVar::key),
                        varName.map(n -> new Named(n, NOWHERE)).list().ofMaxSize(3), event.list().ofMaxSize(3))
                .as(Links::new);
    }

    private static Arbitrary<Process> process(Phase phase) {
        return Arbitraries.oneOf(
                command().map(c -> Process.exec(phase, c, NOWHERE)),
                command().list().ofMinSize(2).ofMaxSize(3).map(cs -> new Process(phase, cs, null, NOWHERE)),
                script().map(s -> Process.script(phase, s, NOWHERE)));
    }

    private static Arbitrary<Run> run() {
        Arbitrary<Map<Phase, Process>> processes = Combinators.combine(
                process(Phase.PRE_START).injectNull(0.6), process(Phase.MAIN).injectNull(0.2),
                process(Phase.POST_START).injectNull(0.6), process(Phase.PRE_STOP).injectNull(0.7),
                process(Phase.POST_STOP).injectNull(0.6)).as((a, b, c, d, e) -> {
                    Map<Phase, Process> m = new EnumMap<>(Phase.class);
                    for (Process p : new Process[] {a, b, c, d, e}) if (p != null) m.put(p.phase(), p);
                    return m;
                });
        Arbitrary<Duration> timeout = Arbitraries.oneOf(Arbitraries.just(Readiness.DEFAULT_TIMEOUT), duration());
        Arbitrary<Readiness> ready = Arbitraries.oneOf(
                Arbitraries.of(Readiness.NONE, new Readiness.Fork(), new Readiness.Forking(), new Readiness.Daemon(), new Readiness.Stop(),
                        new Readiness.Notify()),
                Combinators.combine(Arbitraries.of("127.0.0.1", "localhost", "::1", "db.example", "fe80::1%eth0"),
                        Arbitraries.integers().between(1, 65535), timeout).as(Readiness.Tcp::new),
                Combinators.combine(command(), timeout).as(Readiness.Exec::new),
                Combinators.combine(Arbitraries.of("listening on", "ready\\.$", "^\\d+ ok", "a|b", "yes", "[x]: y"), timeout)
                        .as(Readiness.Log::new));
        Arbitrary<Respawn> respawn = Arbitraries.oneOf(Arbitraries.just(Respawn.OFF),
                Combinators.combine(Arbitraries.integers().between(0, 20), duration())
                        .as((limit, interval) -> new Respawn(true, limit, interval, null)),
                Arbitraries.just(new Respawn(true, Respawn.DEFAULT_LIMIT, Respawn.DEFAULT_INTERVAL, null)));
        Arbitrary<ExitStatus> status = Arbitraries.oneOf(Arbitraries.integers().between(0, 255).map(ExitStatus::code),
                signal().map(ExitStatus::signal));
        Arbitrary<Kill> kill = Arbitraries.oneOf(Arbitraries.just(Kill.DEFAULT),
                Combinators.combine(signal(), duration(), signal(), Arbitraries.of(KillMode.class))
                        .as((sig, d, r, m) -> new Kill(sig, d, r, m, false, true, dev.ordo.planner.model.Signal.KILL)));
        return Combinators.combine(processes, ready, respawn, status.list().ofMaxSize(4), kill, Arbitraries.of(Console.class))
                .as(Run::new);
    }

    private static Arbitrary<Resources> resources() {
        Arbitrary<Long> amount = Arbitraries.longs().between(0, 1L << 40).injectNull(0.2);
        Arbitrary<Limit> limit = Combinators.combine(Arbitraries.of(Limit.RESOURCES), amount, amount, Arbitraries.of(true, false))
                .as((r, a, c, same) -> {
                    if (same) return new Limit(r, a, a, NOWHERE);
                    // soft <= hard, where null is unlimited
                    Long soft;
                    Long hard;
                    if (a == null || c == null) {
                        soft = a == null ? c : a;
                        hard = null;
                    } else {
                        soft = Math.min(a, c);
                        hard = Math.max(a, c);
                    }
                    return new Limit(r, soft, hard, NOWHERE);
                });
        Arbitrary<String> path = Arbitraries.of("/", "/srv/web", "/var/lib/a b", "/yes", "/x: y");
        Arbitrary<String> who = Arbitraries.of("root", "1000", "www-data", "yes", "nobody");
        return Combinators.combine(Arbitraries.integers().between(0, 0777).injectNull(0.5),
                        Arbitraries.integers().between(-20, 19).injectNull(0.5), path.injectNull(0.5), path.injectNull(0.8),
                        limit.list().ofMaxSize(3).uniqueElements(Limit::resource), who.injectNull(0.5), who.injectNull(0.7),
                        Arbitraries.integers().between(-1000, 1000).injectNull(0.7))
                .as(Resources::new);
    }

    @Provide
    Arbitrary<List<Job>> jobLists() {
        Arbitrary<Job> job = Combinators.combine(head(), links(), run(), resources()).as((h, l, r, res) -> {
            Job.Builder b = Job.builder(h.name(), Format.YAML, NOWHERE).description(h.description()).task(h.task())
                    .manual(h.manual()).instance(h.instance()).startOn(h.startOn()).stopOn(h.stopOn()).estimate(h.estimate())
                    .relations(l.relations()).ready(r.ready()).respawn(r.respawn()).kill(r.kill()).console(r.console())
                    .resources(res);
            l.env().forEach(b::env);
            l.export().forEach(b::export);
            l.emits().forEach(b::emits);
            r.processes().values().forEach(b::process);
            r.normalExit().forEach(b::normalExit);
            return b.build();
        });
        return job.list().ofMaxSize(4).uniqueElements(Job::name);
    }
}
