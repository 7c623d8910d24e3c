package dev.ordo.planner.check;

import dev.ordo.planner.plan.Planner;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.EventExprParser;
import dev.ordo.planner.model.Config;
import dev.ordo.planner.model.EnvVar;
import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Template;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each check on configurations built in code, independent of any reader. */
class ChecksTest {

    private int line = 1;

    private Source at() {
        return new Source("t.yaml", line++, 3);
    }

    private Job.Builder job(String name) {
        return Job.builder(name, Format.YAML, at());
    }

    private Job.Builder upstart(String name) {
        return Job.builder(name, Format.UPSTART, new Source(name + ".conf", 1, 1));
    }

    private EventExpr expr(String text) {
        EventExprParser.ParsedExpr r = EventExprParser.parse(text, at());
        assertTrue(r.ok(), r.diagnostics()::toString);
        return r.expr();
    }

    private Relation rel(RelationKind k, String target) {
        return Relation.declared(k, target, at());
    }

    private static List<Diagnostic> check(Job.Builder... jobs) {
        List<Job> js = new ArrayList<>();
        for (Job.Builder b : jobs) js.add(b.build());
        return Planner.check(new Config(js, List.of("t.yaml"), List.of())).diagnostics();
    }

    private static List<Diagnostic> only(List<Diagnostic> ds, Code code) {
        return ds.stream().filter(d -> d.code() == code).toList();
    }

    @Test
    void unknownRelationTargetWithDidYouMean() {
        Job.Builder hal = job("hal");
        Job.Builder nm = job("network-manager");
        Relation r = rel(RelationKind.AFTER, "hall");
        nm.relation(r);
        List<Diagnostic> ds = only(check(hal, nm), Code.UNKNOWN_JOB);
        assertEquals(1, ds.size());
        assertEquals("`after` names job `hall`, which does not exist", ds.get(0).message());
        assertEquals("did you mean `hal`?", ds.get(0).hint());
        assertEquals(r.source(), ds.get(0).source());
    }

    @Test
    void systemdIgnoresMissingWantsButNotMissingRequires() {
        Job.Builder a = Job.builder("a.service", Format.SYSTEMD, new Source("a.service", 1, 1));
        a.relation(rel(RelationKind.WANTS, "gone.service"));
        a.relation(rel(RelationKind.AFTER, "gone.service"));
        a.relation(rel(RelationKind.REQUIRES, "nonexistent.service"));
        a.relation(new Relation(RelationKind.REQUIRES, "sysinit.target", at(), Relation.Origin.IMPLICIT));
        List<Diagnostic> ds = only(check(a), Code.UNKNOWN_JOB);
        assertEquals(1, ds.size(), ds::toString);
        assertEquals("Requires= names unit `nonexistent.service`, which is not defined here", ds.get(0).message());
    }

    /**
     * SEMANTICS §6, Partial sets: Ubuntu's extra-upstart-udev-bridge checked without udev.conf is part of a
     * system, not a broken one: a warning; declared the whole system (--complete), an error.
     */
    @Test
    void anEventOfAJobFromElsewhereIsUnknownNotImpossibleUnlessTheSetIsComplete() {
        Job bridge = upstart("extra-upstart-udev-bridge").startOn(expr("starting udev")).stopOn(expr("stopped udev")).build();
        Config partial = new Config(List.of(bridge), List.of("t.conf"), List.of());
        List<Diagnostic> ds = only(Planner.check(partial).diagnostics(), Code.UNKNOWN_JOB_EVENT);
        assertEquals(2, ds.size(), ds::toString);
        assertTrue(ds.stream().noneMatch(Diagnostic::isError), ds::toString);
        assertEquals("`extra-upstart-udev-bridge` never starts here: `starting udev` needs job `udev`, which is not"
                + " among these files", ds.get(0).message());
        assertEquals("fine if `udev` comes with the rest of the system; with --complete this is an error", ds.get(0).hint());
        List<Diagnostic> complete = only(Planner.check(partial.declaredComplete()).diagnostics(), Code.UNKNOWN_JOB_EVENT);
        assertEquals(2, complete.size());
        assertTrue(complete.stream().allMatch(Diagnostic::isError), complete::toString);
        assertEquals("`extra-upstart-udev-bridge` can never start: `starting udev` needs job `udev`, which does not exist",
                complete.get(0).message());
    }

    @Test
    void unknownJobEventIsAnErrorOnlyWhenNothingElseCanFire() {
        Job.Builder dbus = upstart("dbus");
        Job.Builder hal = upstart("hal").startOn(expr("started dbuss"));
        Job.Builder lxcfs = upstart("lxcfs").startOn(expr("starting dbus or starting lxd"));
        List<Diagnostic> ds = only(check(dbus, hal, lxcfs), Code.UNKNOWN_JOB_EVENT);
        assertEquals(2, ds.size(), ds::toString);
        Diagnostic err = ds.stream().filter(Diagnostic::isError).findFirst().orElseThrow();
        assertEquals("`hal` can never start: `started dbuss` needs job `dbuss`, which does not exist", err.message());
        assertEquals("did you mean `dbus`?", err.hint());
        Diagnostic warn = ds.stream().filter(d -> !d.isError()).findFirst().orElseThrow();
        assertEquals("`starting lxd` never happens: there is no job `lxd` (another branch of start on can still match)",
                warn.message());
    }

    @Test
    void unemittedEventsAreReportedOncePerEventAndListedAsExternal() {
        Job.Builder a = upstart("a").startOn(expr("runlevel [2345]")).stopOn(expr("runlevel [!2345]"));
        Job.Builder b = upstart("b").startOn(expr("tty-added or custom-thing"));
        Job.Builder c = upstart("c").emits(new Named("custom-*", at()));
        CheckReport r = Planner.check(new Config(List.of(a.build(), b.build(), c.build()), List.of(), List.of()));
        List<Diagnostic> ds = only(r.diagnostics(), Code.UNEMITTED_EVENT);
        assertEquals(List.of("runlevel", "tty-added"), r.externalEvents());
        assertEquals(2, ds.size(), ds::toString);
        assertEquals("event `runlevel` is never emitted here: no job lists it in `emits` and no goal provides it"
                + " (waited for in 2 places)", ds.get(0).message());
        assertEquals("it usually comes from telinit(8) and shutdown(8); send it with `ordo emit runlevel` or plan"
                + " with `--emit runlevel`", ds.get(0).hint());
    }

    @Test
    void startupAndFailedEventsOfEmittedEventsAreNotExternal() {
        Job.Builder a = upstart("a").startOn(expr("startup or foo/failed"));
        Job.Builder b = upstart("b").emits(new Named("foo", at()));
        CheckReport r = Planner.check(new Config(List.of(a.build(), b.build()), List.of(), List.of()));
        assertEquals(List.of(), r.externalEvents());
    }

    @Test
    void variablesInStartOnExpandAgainstTheJobsEnv() {
        Job.Builder a = job("a").startOn(expr("net-device-up IFACE=$WANTED"));
        Job.Builder b = job("b").startOn(expr("net-device-up IFACE=$WANTED"))
                .env(new EnvVar("WANTED", "eth0", at()));
        Job.Builder c = job("c").startOn(expr("net-device-up IFACE=${WANTED:-eth0}"));
        List<Diagnostic> ds = only(check(a, b, c), Code.UNKNOWN_VARIABLE);
        assertEquals(1, ds.size(), ds::toString);
        assertEquals("`$WANTED` in `start_on` is not defined: values there expand against the job's own env",
                ds.get(0).message());
    }

    @Test
    void variablesInStopOnExpandAgainstTheStartEnvironmentWhenItIsKnown() {
        Job.Builder rc = upstart("rc").startOn(expr("runlevel [0123456]")).stopOn(expr("runlevel [!$RUNLEVEL]"));
        Job.Builder bad = upstart("bad").startOn(expr("started rc")).stopOn(expr("stopping rc X=$NOPE"));
        Job.Builder open = upstart("open").startOn(expr("net-device-added")).stopOn(expr("x INTERFACE=$INTERFACE"));
        List<Diagnostic> ds = only(check(rc, bad, open), Code.UNKNOWN_VARIABLE);
        assertEquals(1, ds.size(), ds::toString);
        assertTrue(ds.get(0).message().startsWith("`$NOPE` in `stop on` is not defined"), ds.get(0).message());
    }

    @Test
    void instanceThatAlwaysExpandsToNothing() {
        Job.Builder a = job("a").startOn(expr("startup")).instance(new Template("${NAME:-}", at()));
        Job.Builder b = job("b").startOn(expr("started a")).instance(new Template("$INSTANCE", at()));
        List<Diagnostic> ds = only(check(a, b), Code.EMPTY_INSTANCE);
        assertEquals(1, ds.size(), ds::toString);
        assertEquals("instance template `${NAME:-}` always expands to nothing, so every start is the same instance",
                ds.get(0).message());
    }

    @Test
    void requiresWithoutAfterWarnsUnlessOrderedEitherWay() {
        Job.Builder dbus = job("dbus");
        Job.Builder hal = job("hal").relation(rel(RelationKind.REQUIRES, "dbus"));
        Job.Builder nm = job("nm").relation(rel(RelationKind.REQUIRES, "dbus")).relation(rel(RelationKind.AFTER, "dbus"));
        Job.Builder early = job("early").relation(rel(RelationKind.REQUIRES, "dbus"))
                .relation(rel(RelationKind.BEFORE, "dbus"));
        List<Diagnostic> ds = only(check(dbus, hal, nm, early), Code.REQUIRES_WITHOUT_AFTER);
        assertEquals(1, ds.size(), ds::toString);
        assertTrue(ds.get(0).message().startsWith("`hal` requires `dbus` but is not ordered after it"));
        assertEquals("add `after: [dbus]` if it needs `dbus` up first", ds.get(0).hint());
    }

    @Test
    void selfAndConflictingRelations() {
        Job.Builder a = job("a").relation(rel(RelationKind.AFTER, "a"));
        Job.Builder b = job("b").relation(rel(RelationKind.WANTS, "a")).relation(rel(RelationKind.AFTER, "a"));
        Job.Builder c = job("c").relation(rel(RelationKind.CONFLICTS, "b"));
        c.relation(rel(RelationKind.REQUIRES, "b")).relation(rel(RelationKind.AFTER, "b"));
        List<Diagnostic> ds = check(a, b, c);
        assertEquals(1, only(ds, Code.SELF_RELATION).size());
        assertEquals("`a` names itself in `after`", only(ds, Code.SELF_RELATION).get(0).message());
        assertEquals(1, only(ds, Code.CONFLICTING_RELATIONS).size());
        assertEquals("`c` both requires and conflicts with `b`: starting one stops the other",
                only(ds, Code.CONFLICTING_RELATIONS).get(0).message());
    }

    @Test
    void respawnLimitWithoutRespawnInUpstart() {
        Source s = new Source("sshd.conf", 7, 1);
        Job.Builder a = upstart("sshd").respawn(new Respawn(false, 10, Duration.ofSeconds(5), s));
        Job.Builder b = upstart("ok").respawn(new Respawn(true, 10, Duration.ofSeconds(5), s));
        List<Diagnostic> ds = only(check(a, b), Code.RESPAWN_LIMIT_WITHOUT_RESPAWN);
        assertEquals(1, ds.size());
        assertEquals(s, ds.get(0).source());
    }

    @Test
    void everyOrderingCycleIsReportedWithItsWeakestEdge() {
        // a → b → c → a, and a second cycle a → c → a sharing the a-c edge.
        Job.Builder a = job("a").relation(rel(RelationKind.AFTER, "b"));
        Relation bc = rel(RelationKind.AFTER, "c");
        Job.Builder b = job("b").relation(bc).relation(rel(RelationKind.REQUIRES, "c"));
        Relation ca = rel(RelationKind.AFTER, "a");
        Job.Builder c = job("c").relation(ca).relation(rel(RelationKind.WANTS, "a"));
        Job.Builder d = job("d").relation(rel(RelationKind.BEFORE, "c")).relation(rel(RelationKind.AFTER, "c"));
        List<Diagnostic> ds = only(check(a, b, c, d), Code.ORDERING_CYCLE);
        assertEquals(2, ds.size(), ds::toString);
        Diagnostic abc = ds.stream().filter(x -> x.message().contains("a → b → c → a")).findFirst().orElseThrow();
        assertEquals(ca.source(), abc.source(), "reported at the edge that is only wanted");
        assertEquals("cut the weakest edge, `c` after `a` (only `wants` goes with it)", abc.hint());
        assertTrue(abc.message().contains("`b` after `c` (t.yaml:"), abc.message());
        Diagnostic cd = ds.stream().filter(x -> x.message().contains("c → d → c")).findFirst().orElseThrow();
        assertTrue(cd.message().contains("`d` before `c`"), cd.message());
    }

    @Test
    void aDagHasNoCycle() {
        Job.Builder a = job("a").relation(rel(RelationKind.AFTER, "b")).relation(rel(RelationKind.AFTER, "c"));
        Job.Builder b = job("b").relation(rel(RelationKind.AFTER, "c"));
        Job.Builder c = job("c").relation(rel(RelationKind.BEFORE, "d"));
        Job.Builder d = job("d");
        assertEquals(List.of(), only(check(a, b, c, d), Code.ORDERING_CYCLE));
    }
}
