package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static dev.ordo.planner.engine.Harness.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Kill;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.diag.Source;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Input.Reload}: a new configuration applied to a running engine (docs/semantics.md, Reload). */
class ReloadTest {

    private static Job.Builder service(String name, String command) {
        return job(name).process(exec(Phase.MAIN, command));
    }

    private static List<Effect.Change> reload(Harness h, Job... jobs) {
        List<Effect> fx = h.in(new Input.Reload(List.of(jobs), Set.of()));
        assertTrue(fx.get(0) instanceof Effect.Reloaded, () -> "the first effect says what changed: " + fx);
        return ((Effect.Reloaded) fx.get(0)).changes();
    }

    private static Effect.Change change(String job, Effect.Change.Kind kind) {
        return new Effect.Change(job, kind);
    }

    /** The main processes spawned for {@code job}, their commands in order. */
    private static List<String> mains(Harness h, String job) {
        List<String> l = new ArrayList<>();
        for (Effect e : h.all) {
            if (e instanceof Effect.Spawn s && s.job().equals(job) && s.phase() == Phase.MAIN) {
                l.add(String.join(" ", s.command().exec()));
            }
        }
        return l;
    }

    @Test
    void aNewJobIsStartedByALaterEventButNotByOneAlreadyPast() {
        Job a = service("a", "/bin/a").startOn(on("startup")).build();
        Harness h = new Harness(a);
        h.boot();
        h.spawned("a", Phase.MAIN);
        Job early = service("early", "/bin/early").startOn(on("startup")).build();
        Job late = service("late", "/bin/late").startOn(on("go")).build();
        assertEquals(List.of(change("early", Effect.Change.Kind.ADDED), change("late", Effect.Change.Kind.ADDED)),
                reload(h, a, early, late));
        assertEquals(List.of("a", "early", "late"), h.engine.jobs());
        assertEquals(List.of(), mains(h, "early"), "startup is past: nothing starts early now");
        h.emit("go");
        assertEquals(List.of("/bin/late"), mains(h, "late"));
        assertEquals(List.of("/bin/a"), mains(h, "a"), "the unchanged job was left alone");
        assertEquals("early stop/waiting", h.status("early"));
    }

    @Test
    void duringTheBootAJobAddedToTheBootSetIsNotWaitedFor() {
        Job db = service("db", "/bin/db").startOn(on("startup")).build();
        Harness h = new Harness(Set.of("db"), db);
        h.boot();
        Job late = service("late", "/bin/late").startOn(on("startup")).build();
        Job web = service("web", "/bin/web").relation(Relation.declared(RelationKind.AFTER, "late", Harness.AT)).build();
        h.in(new Input.Reload(List.of(db, late, web), Set.of("db", "late", "web")));
        h.command(Input.Command.start(h.request(), "web").noWait());
        assertEquals(List.of("/bin/web"), mains(h, "web"), "late will not start in this boot: web does not wait for it");
    }

    @Test
    void relationsAreWiredAgainForEveryJob() {
        Job db = service("db", "/bin/db").build();
        Job web = service("web", "/bin/web").build();
        Harness h = new Harness(db, web);
        Job web2 = service("web", "/bin/web").relation(Relation.declared(RelationKind.REQUIRES, "db", Harness.AT)).build();
        assertEquals(List.of(change("web", Effect.Change.Kind.CHANGED)), reload(h, db, web2));
        h.command(Input.Command.start(h.request(), "web").noWait());
        assertEquals(List.of("/bin/db"), mains(h, "db"), "web's new requires pulls db in");
    }

    @Test
    void aRemovedRunningJobIsStoppedWithItsPostStopThenGoneAndUnknown() {
        Job y = service("y", "/bin/y").startOn(on("startup")).process(exec(Phase.POST_STOP, "/bin/y-cleanup")).build();
        Job keep = service("keep", "/bin/keep").build();
        Harness h = new Harness(y, keep);
        h.boot();
        int pid = h.spawned("y", Phase.MAIN);
        assertEquals(List.of(change("y", Effect.Change.Kind.REMOVED_STOPPING)), reload(h, keep));
        assertTrue(h.last.contains(new Effect.SendSignal(pid, true, Signal.TERM)), h.last.toString());
        assertTrue(h.emitted().contains("stopping JOB=y INSTANCE= RESULT=ok"), h.emitted().toString());
        assertEquals("y stop/killed (removed), process " + pid, h.status("y"), "status shows it while it goes");
        long start = h.command(Input.Command.start(h.request(), "y"));
        assertEquals(new Effect.Reply(start, false, "Unknown job: y"), h.reply(start));
        h.killed(pid, Signal.TERM);
        assertEquals(Phase.POST_STOP, h.spawn("y", Phase.POST_STOP).phase(), "post-stop runs");
        h.runs("y", Phase.POST_STOP, 0);
        assertFalse(h.exists("y"));
        assertEquals(List.of("keep"), h.engine.jobs(), "gone once stopped");
        assertTrue(h.logs().contains("y has stopped and is gone (removed from the configuration)"), h.logs().toString());
        long status = h.command(Input.Command.status(h.request(), "y"));
        assertEquals(new Effect.Reply(status, false, "Unknown job: y"), h.reply(status));
    }

    @Test
    void aRemovedJobStillStoppingIsNotPulledInByTheWantsOfAnother() {
        Job y = service("y", "/bin/y").process(exec(Phase.POST_STOP, "/bin/y-post")).build();
        Job w = service("w", "/bin/w").relation(Relation.declared(RelationKind.WANTS, "y", Harness.AT)).build();
        Harness h = new Harness(y, w);
        h.command(Input.Command.start(h.request(), "y").noWait());
        int pid = h.spawned("y", Phase.MAIN);
        reload(h, w);
        h.command(Input.Command.start(h.request(), "w").noWait());
        h.killed(pid, Signal.TERM);
        h.runs("y", Phase.POST_STOP, 0);
        assertEquals(List.of("/bin/y"), mains(h, "y"), "found by the reload property: y came back through w's wants");
        assertFalse(h.exists("y"));
    }

    @Test
    void aRemovedJobWithNothingRunningIsGoneAtOnce() {
        Harness h = new Harness(service("y", "/bin/y").build(), service("z", "/bin/z").build());
        assertEquals(List.of(change("y", Effect.Change.Kind.REMOVED)), reload(h, service("z", "/bin/z").build()));
        assertEquals(List.of("z"), h.engine.jobs());
    }

    @Test
    void aChangedRunningJobKeepsItsOldDefinitionUntilRestartedThenTakesTheNew() {
        Job old = service("z", "/bin/old").kill(new Kill(Signal.INT, Duration.ofSeconds(3), Signal.HUP)).build();
        Harness h = new Harness(old);
        h.command(Input.Command.start(h.request(), "z").noWait());
        int pid = h.spawned("z", Phase.MAIN);
        Job neu = service("z", "/bin/new").build();
        assertEquals(List.of(change("z", Effect.Change.Kind.CHANGED_LIVE)), reload(h, neu));
        assertEquals(List.of(new Effect.Reloaded(List.of(change("z", Effect.Change.Kind.CHANGED_LIVE)))), h.last,
                "nothing happens to the running instance");
        assertEquals("changed z (running; new definition from its next start)",
                change("z", Effect.Change.Kind.CHANGED_LIVE).text());
        long restart = h.command(Input.Command.restart(h.request(), "z"));
        assertTrue(h.last.contains(new Effect.SendSignal(pid, true, Signal.INT)), "stopped with the old kill signal: " + h.last);
        h.killed(pid, Signal.INT);
        assertEquals(List.of("/bin/old", "/bin/new"), mains(h, "z"));
        h.spawned("z", Phase.MAIN);
        assertTrue(h.reply(restart).ok());
        int second = h.inst("z").pids().get(Phase.MAIN);
        h.command(Input.Command.stop(h.request(), "z").noWait());
        assertTrue(h.last.contains(new Effect.SendSignal(second, true, Signal.TERM)), "the new kill signal now: " + h.last);
    }

    @Test
    void aRespawnKeepsTheOldDefinitionOnlyAStartTakesTheNew() {
        Job old = service("z", "/bin/old").respawn(new dev.ordo.planner.model.Respawn(true, 10, Duration.ofSeconds(5), null))
                .build();
        Harness h = new Harness(old);
        h.command(Input.Command.start(h.request(), "z").noWait());
        int pid = h.spawned("z", Phase.MAIN);
        reload(h, service("z", "/bin/new").respawn(old.respawn()).build());
        h.exit(pid, 1);
        assertEquals(List.of("/bin/old", "/bin/old"), mains(h, "z"), "a respawn is the same start going on");
    }

    @Test
    void aChangedIdleJobIsReplacedAtOnceStartOnIncluded() {
        Harness h = new Harness(service("z", "/bin/old").startOn(on("e1")).build());
        assertEquals(List.of(change("z", Effect.Change.Kind.CHANGED)),
                reload(h, service("z", "/bin/new").startOn(on("e2")).build()));
        h.emit("e1");
        assertEquals(List.of(), mains(h, "z"), "the old start_on is gone");
        h.emit("e2");
        assertEquals(List.of("/bin/new"), mains(h, "z"));
    }

    @Test
    void aChangedRunningJobStillStopsOnItsOldStopOn() {
        Harness h = new Harness(service("z", "/bin/z").stopOn(on("halt")).build());
        h.command(Input.Command.start(h.request(), "z").noWait());
        int pid = h.spawned("z", Phase.MAIN);
        reload(h, service("z", "/bin/z").stopOn(on("other")).build());
        h.emitNoWait("halt");
        assertTrue(h.all.contains(new Effect.SendSignal(pid, true, Signal.TERM)), "the instance's own stop_on: " + h.all);
    }

    @Test
    void aJobThatOnlyMovedInItsFileIsNotChanged() {
        Harness h = new Harness(service("z", "/bin/z").startOn(on("e1")).build());
        Source elsewhere = new Source("other.yaml", 40, 3);
        Job moved = Job.builder("z", dev.ordo.planner.model.Format.YAML, elsewhere)
                .process(dev.ordo.planner.model.Process.exec(Phase.MAIN, "/bin/z", elsewhere))
                .startOn(dev.ordo.planner.config.EventExprParser.parse("e1", elsewhere).expr()).build();
        assertEquals(List.of(), reload(h, moved));
    }

    @Test
    void anEventAndACommandWaitingOnARemovedJobAreAnsweredWhenItHasStopped() {
        Job y = service("y", "/bin/y").startOn(on("go")).process(exec(Phase.PRE_START, "/bin/y-pre")).build();
        Harness h = new Harness(y);
        long emit = h.emit("go");
        int pre = h.spawned("y", Phase.PRE_START);
        assertNull(h.reply(emit), "go is held while y starts");
        reload(h);
        assertEquals("y stop/pre-start (removed), process " + pre, h.status("y"));
        assertNull(h.reply(emit), "still held: y has not stopped yet");
        h.exit(pre, 0);
        assertFalse(h.exists("y"));
        assertEquals(List.of(), mains(h, "y"), "it finished its start on the way down, but never ran its main");
        assertNotNull(h.reply(emit));
        assertEquals(1, h.all.stream().filter(e -> e instanceof Effect.Reply r && r.request() == emit).count());
        assertTrue(h.finished("go"));
    }

    @Test
    void aStartCommandWaitingOnARemovedJobGetsItsReplyWhenTheJobHasStopped() {
        Harness h = new Harness(service("y", "/bin/y").process(exec(Phase.PRE_START, "/bin/y-pre")).build());
        long start = h.command(Input.Command.start(h.request(), "y"));
        int pre = h.spawned("y", Phase.PRE_START);
        reload(h);
        assertNull(h.reply(start));
        h.exit(pre, 0);
        assertEquals(new Effect.Reply(start, true, "y stop/waiting (removed)"), h.reply(start));
    }
}
