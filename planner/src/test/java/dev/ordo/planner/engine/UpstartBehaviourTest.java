package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.env;
import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static dev.ordo.planner.engine.Harness.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.model.EventExpr;
import dev.ordo.planner.model.ExitStatus;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Named;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Readiness;
import dev.ordo.planner.model.Respawn;
import dev.ordo.planner.model.Signal;
import dev.ordo.planner.model.Template;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The 26 observable behaviours of Upstart's own test suite (docs/notes/upstart.md §7), one method each,
 * with the same inputs and expected outcomes. Where ordo deliberately differs, the method says so.
 */
class UpstartBehaviourTest {

    private static Event event(String name, String... env) {
        return new Event(1, name, List.of(env));
    }

    private static boolean matches(String expr, Event e) {
        return matches(expr, e, Map.of());
    }

    private static boolean matches(String expr, Event e, Map<String, String> env) {
        return dev.ordo.planner.rules.Matching.matches((EventExpr.Match) on(expr), e, env);
    }

    @Test
    void item01_eventNameMustMatchExactly() {
        assertFalse(matches("bar", event("foo")));
        assertTrue(matches("foo", event("foo")));
        assertFalse(matches("Foo", event("foo")), "case-sensitive");
    }

    @Test
    void item02_namedVariablesMatchInAnyOrder() {
        Event e = event("foo", "FRODO=foo", "BILBO=bar", "MERRY=baz");
        assertTrue(matches("foo FRODO=foo BILBO=bar MERRY=baz", e));
        assertTrue(matches("foo BILBO=bar FRODO=foo MERRY=baz", e));
        assertFalse(matches("foo FRODO=foo BILBO=baz", e));
    }

    @Test
    void item03_negation() {
        Event e = event("foo", "FRODO=foo", "BILBO=bar");
        assertTrue(matches("foo BILBO!=baz", e));
        assertFalse(matches("foo BILBO!=bar", e));
        assertFalse(matches("foo SAM!=bar", e), "!= needs the variable to exist");
    }

    @Test
    void item04_positionalArgumentsMatchByPosition() {
        Event three = event("foo", "FRODO=foo", "BILBO=bar", "MERRY=baz");
        assertTrue(matches("foo foo bar baz", three));
        assertFalse(matches("foo foo baz bar", three));
        assertTrue(matches("foo foo bar", three), "fewer positional arguments than variables");
        assertFalse(matches("foo foo bar baz", event("foo", "FRODO=foo", "BILBO=bar")));
    }

    @Test
    void item05_positionalThenNamed() {
        Event e = event("foo", "FRODO=foo", "BILBO=bar", "MERRY=baz", "PIPPIN=quux");
        assertTrue(matches("foo foo bar PIPPIN=quux", e));
        assertFalse(matches("foo foo bar SAM=quux", e), "a named variable missing from the event never matches");
    }

    @Test
    void item06_globs() {
        Event e = event("foo", "FRODO=foo", "BILBO=bar");
        assertTrue(matches("foo BILBO=b?r", e));
        assertTrue(matches("foo f*", e));
        assertFalse(matches("foo BILBO=b?z", e));
        assertTrue(matches("foo BILBO=[ab]ar", e));
    }

    @Test
    void item07_variableReferencesInValues() {
        Event e = event("foo", "FRODO=foo");
        assertTrue(matches("foo FRODO=$FOO", e, Map.of("FOO", "foo")));
        assertFalse(matches("foo FRODO=$WIBBLE", e, Map.of("FOO", "foo")), "unknown variable: no match, no error");
    }

    @Test
    void item08_expressionTreeAccumulatesHoldsAndIgnoresDuplicates() {
        Operator tree = Operator.of(on("(foo and bar) or baz BAR=$WIBBLE"));
        Map<String, String> env = Map.of("WIBBLE", "baz");

        Event frodo = event("frodo");
        assertFalse(tree.handle(frodo, env));
        assertEquals(0, frodo.blockers);

        Event foo = event("foo");
        assertFalse(tree.handle(foo, env));
        assertEquals(1, foo.blockers, "the true leaf holds the event");

        Event foo2 = event("foo");
        assertFalse(tree.handle(foo2, env));
        assertEquals(0, foo2.blockers, "a true leaf ignores a second match");

        Event bar = event("bar");
        assertTrue(tree.handle(bar, env));
        tree.reset();
        assertEquals(0, foo.blockers);
        assertEquals(0, bar.blockers);

        Event baz = event("baz", "BAR=baz");
        assertTrue(tree.handle(baz, env), "right leaf with BAR=$WIBBLE expanded");
        assertEquals(1, baz.blockers);
    }

    @Test
    void item09_nonMatchingEventIsFreedAndPartialMatchHoldsIt() {
        Harness h = new Harness(job("test").startOn(on("wibble and wobble")).build());
        h.emitNoWait("frodo");
        assertTrue(h.finished("frodo"));
        assertTrue(h.engine.instances().isEmpty());

        long r = h.emit("wibble");
        assertFalse(h.finished("wibble"));
        assertEquals(1, h.event("wibble").blockers());
        assertTrue(h.engine.instances().isEmpty());
        assertNull(h.reply(r), "emit waits while a partial match holds the event");
    }

    @Test
    void item10_completeMatchForTaskHoldsBothEventsWithEnvironment() {
        Harness h = new Harness(job("test").task(true).process(exec(Phase.MAIN, "/bin/true"))
                .env(env("FOO", "BAR")).env(env("BAR", "BAZ"))
                .startOn(on("wibble and wobble")).build());
        h.emitNoWait("wibble", "FRODO=baggins", "BILBO=took");
        h.emitNoWait("wobble", "FRODO=brandybuck", "TEA=MILK");
        List<String> expected = List.of("PATH=" + Engine.DEFAULT_ENV.get("PATH"), "TERM=linux", "FOO=BAR", "BAR=BAZ",
                "FRODO=brandybuck", "BILBO=took", "TEA=MILK", "UPSTART_EVENTS=wibble wobble");
        assertEquals(expected, h.inst("test").env());
        List<String> spawnEnv = h.spawn("test", Phase.MAIN).env();
        assertEquals(expected, spawnEnv.subList(0, expected.size()));
        assertEquals(List.of("UPSTART_JOB=test", "UPSTART_INSTANCE="), spawnEnv.subList(expected.size(), spawnEnv.size()));

        h.spawned("test", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("test").state());
        assertEquals(1, h.event("wibble").blockers());
        assertEquals(1, h.event("wobble").blockers());

        long held = h.event("wibble").id();
        h.emitNoWait("wibble");
        List<Engine.EventView> wibbles = h.engine.events().stream().filter(e -> e.name().equals("wibble")).toList();
        assertEquals(2, wibbles.size(), "the tree was reset, so a fresh leaf holds the new wibble");
        assertEquals(held, wibbles.get(0).id());
        assertEquals(List.of(1, 1), wibbles.stream().map(Engine.EventView::blockers).toList());
    }

    @Test
    void item11_alreadyRunningConsumesAndStoppingJobIsRetargeted() {
        Harness h = new Harness(job("task").task(true).process(exec(Phase.MAIN, "/bin/sleep 9"))
                .startOn(on("wibble")).build());
        h.emitNoWait("wibble");
        h.spawned("task", Phase.MAIN);
        long heldId = h.event("wibble").id();
        h.emitNoWait("wibble");
        assertEquals(1, h.engine.events().size(), "the second wibble was consumed");
        assertEquals(heldId, h.engine.events().get(0).id(), "the job's old blocker is untouched");
        assertEquals(1, h.inst("task").holding());

        Harness s = new Harness(job("svc").process(exec(Phase.MAIN, "/bin/sleep 9"))
                .startOn(on("wibble")).stopOn(on("wobble")).build());
        s.emitNoWait("wibble");
        s.spawned("svc", Phase.MAIN);
        s.emitNoWait("wobble");
        assertEquals(JobState.KILLED, s.inst("svc").state());
        s.emitNoWait("wibble");
        assertEquals(JobGoal.START, s.inst("svc").goal());
        assertEquals(JobState.KILLED, s.inst("svc").state(), "the state goes on where it was");
        assertTrue(s.finished("wobble"), "the stop event was released");
    }

    @Test
    void item12_instanceNameFromEnvironmentAndExpansionError() {
        Job test = job("test").process(exec(Phase.MAIN, "/bin/sleep 9")).instance(new Template("$FRODO", Harness.AT))
                .startOn(on("wibble")).build();
        Job other = job("zz-other").process(exec(Phase.MAIN, "/bin/sleep 9")).startOn(on("wibble")).build();
        Harness h = new Harness(test, other);
        h.emitNoWait("wibble", "FRODO=baggins");
        assertEquals(JobState.SPAWNED, h.inst("test", "baggins").state());

        Harness e = new Harness(test, other);
        e.emitNoWait("wibble");
        assertTrue(e.logs().contains("Failed to obtain test instance: unknown variable $FRODO"), e.logs().toString());
        assertTrue(e.engine.instance("test", "").isEmpty());
        // ordo differs from Upstart here: the error does not stop the event reaching later jobs.
        assertEquals(JobState.SPAWNED, e.inst("zz-other").state());
    }

    @Test
    void item13_stopWhileRunningHoldsTheEventAndKeepsStopEnvironment() {
        Harness h = new Harness(job("test").process(exec(Phase.POST_STOP, "/bin/cleanup"))
                .startOn(on("go")).stopOn(on("wibble")).build());
        h.emitNoWait("go");
        assertEquals(JobState.RUNNING, h.inst("test").state());
        h.emitNoWait("wibble", "FOO=foo", "BAR=bar");
        assertEquals(JobState.POST_STOP, h.inst("test").state());
        assertEquals(1, h.event("wibble").blockers());
        assertEquals(List.of("FOO=foo", "BAR=bar", "UPSTART_STOP_EVENTS=wibble"), h.inst("test").stopEnv());
        List<String> postStopEnv = h.spawn("test", Phase.POST_STOP).env();
        assertTrue(postStopEnv.containsAll(List.of("FOO=foo", "BAR=bar", "UPSTART_STOP_EVENTS=wibble")));

        long second = h.emitNoWait("wibble");
        assertEquals(1, h.engine.events().size(), "already stopping: the second wibble is consumed");
        assertNotNull(h.reply(second));
        h.runs("test", Phase.POST_STOP, 0);
        assertTrue(h.engine.instances().isEmpty());
        assertTrue(h.engine.events().isEmpty());
    }

    @Test
    void item14_failedEventQueuesFailedEventOnce() {
        Harness h = new Harness(
                job("j").process(exec(Phase.PRE_START, "/bin/false")).startOn(on("test")).build(),
                job("k").process(exec(Phase.PRE_START, "/bin/false")).startOn(on("test/failed")).build());
        h.emitNoWait("test");
        h.runs("j", Phase.PRE_START, 1);
        assertTrue(h.finishedFailed("test"));
        assertTrue(h.emitted().contains("test/failed"));
        h.runs("k", Phase.PRE_START, 1);
        assertTrue(h.finishedFailed("test/failed"));
        assertFalse(h.emitted().stream().anyMatch(e -> e.startsWith("test/failed/failed")));
    }

    @Test
    void item15_serviceReleasesAtRunningTaskHoldsUntilDone() {
        Harness h = new Harness(
                job("svc").process(exec(Phase.MAIN, "/bin/sleep 9")).process(exec(Phase.POST_START, "/bin/true"))
                        .startOn(on("a")).build(),
                job("task").task(true).process(exec(Phase.MAIN, "/bin/work")).startOn(on("b")).build());
        h.emitNoWait("a");
        h.spawned("svc", Phase.MAIN);
        assertEquals(1, h.event("a").blockers(), "held through post-start");
        h.runs("svc", Phase.POST_START, 0);
        assertEquals(JobState.RUNNING, h.inst("svc").state());
        assertTrue(h.finished("a"));

        h.emitNoWait("b");
        int pid = h.spawned("task", Phase.MAIN);
        assertEquals(JobState.RUNNING, h.inst("task").state());
        assertEquals(1, h.event("b").blockers(), "a running task still holds its cause");
        h.exit(pid, 0);
        assertTrue(h.finished("b"));
    }

    @Test
    void item16_nextStateRules() {
        Harness a = new Harness(job("abstract").process(exec(Phase.PRE_STOP, "/bin/never")).build());
        a.command(Input.Command.start(a.request(), "abstract"));
        assertEquals(JobState.RUNNING, a.inst("abstract").state());
        a.command(Input.Command.stop(a.request(), "abstract").noWait());
        assertFalse(a.spawning("abstract", Phase.PRE_STOP), "no live main process: straight to stopping");
        assertTrue(a.engine.instances().isEmpty());

        Harness r = new Harness(job("svc").respawn(new Respawn(true, 10, Duration.ofSeconds(5), null))
                .process(exec(Phase.MAIN, "/bin/d")).process(exec(Phase.POST_START, "/bin/wait-for-it")).build());
        r.command(Input.Command.start(r.request(), "svc").noWait());
        int main = r.spawned("svc", Phase.MAIN);
        int post = r.spawned("svc", Phase.POST_START);
        r.exit(main, 1);
        assertEquals(JobGoal.RESPAWN, r.inst("svc").goal());
        assertEquals(JobState.POST_START, r.inst("svc").state());
        r.exit(post, 0);
        assertEquals(JobGoal.START, r.inst("svc").goal());
        assertTrue(r.all.contains(new Effect.StateChanged("svc", "", JobGoal.START, JobState.STOPPING)));
    }

    @Test
    void item17_jobEventEnvironments() {
        Job failing = job("test").process(exec(Phase.MAIN, "/bin/d")).build();
        Harness h = new Harness(failing);
        h.command(Input.Command.start(h.request(), "test"));
        h.exit(h.spawned("test", Phase.MAIN), 1);
        assertTrue(h.emitted().contains("stopping JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=1"));
        assertTrue(h.emitted().contains("stopped JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=1"));

        Harness seg = new Harness(failing);
        seg.command(Input.Command.start(seg.request(), "test"));
        seg.killed(seg.spawned("test", Phase.MAIN), Signal.parse("SEGV"));
        assertTrue(seg.emitted().contains("stopping JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_SIGNAL=SEGV"));

        Harness rt = new Harness(failing);
        rt.command(Input.Command.start(rt.request(), "test"));
        rt.killed(rt.spawned("test", Phase.MAIN), Signal.ofNumber(47));
        assertTrue(rt.emitted().contains("stopping JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_SIGNAL=47"));

        Harness sp = new Harness(failing);
        sp.command(Input.Command.start(sp.request(), "test"));
        sp.spawnFails("test", Phase.MAIN);
        assertTrue(sp.emitted().contains("stopping JOB=test INSTANCE= RESULT=failed PROCESS=main"), sp.emitted().toString());

        Harness ex = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d")).instance(new Template("foo", Harness.AT))
                .env(env("FOO", "BAR")).export(new Named("FOO", Harness.AT)).export(new Named("JOB", Harness.AT))
                .export(new Named("BEEP", Harness.AT)).build());
        ex.command(Input.Command.start(ex.request(), "test"));
        assertEquals("starting JOB=test INSTANCE=foo FOO=BAR", ex.emitted().get(0));
    }

    @Test
    void item18_startStopRestartWithAndWithoutWait() {
        Job svc = job("test").process(exec(Phase.MAIN, "/bin/d")).build();
        Harness h = new Harness(svc);
        long start = h.command(Input.Command.start(h.request(), "test"));
        assertNull(h.reply(start), "start waits for running");
        int pid = h.spawned("test", Phase.MAIN);
        assertEquals(new Effect.Reply(start, true, "test start/running, process " + pid), h.reply(start));

        long again = h.command(Input.Command.start(h.request(), "test"));
        assertEquals(new Effect.Reply(again, false, "Job is already running: test"), h.reply(again));

        long restart = h.command(Input.Command.restart(h.request(), "test"));
        assertNull(h.reply(restart));
        h.exit(pid, 0);
        int pid2 = h.spawned("test", Phase.MAIN);
        assertEquals(new Effect.Reply(restart, true, "test start/running, process " + pid2), h.reply(restart));
        assertFalse(h.emitted().contains("stopped JOB=test INSTANCE= RESULT=ok"), "a restart emits no stopped");

        long stop = h.command(Input.Command.stop(h.request(), "test"));
        assertNull(h.reply(stop));
        long stopAgain = h.command(Input.Command.stop(h.request(), "test"));
        assertEquals(new Effect.Reply(stopAgain, false, "Job has already been stopped: test"), h.reply(stopAgain));
        h.killed(pid2, Signal.TERM);
        assertEquals(new Effect.Reply(stop, true, "test stop/waiting"), h.reply(stop));

        long unknown = h.command(Input.Command.stop(h.request(), "test"));
        assertEquals(new Effect.Reply(unknown, false, "Job is not running: test"), h.reply(unknown));
        long noJob = h.command(Input.Command.start(h.request(), "nope"));
        assertEquals(new Effect.Reply(noJob, false, "Unknown job: nope"), h.reply(noJob));

        long noWait = h.command(Input.Command.start(h.request(), "test").noWait());
        assertEquals(new Effect.Reply(noWait, true, "test start/starting"), h.reply(noWait));

        // A later goal change answers the earlier command with success.
        long stop2 = h.command(Input.Command.stop(h.request(), "test"));
        long start2 = h.command(Input.Command.start(h.request(), "test").noWait());
        assertTrue(h.reply(stop2).ok());
        assertTrue(h.reply(start2).ok());

        // From inside a job: no name, the job's own identity, never waits.
        long own = h.command(new Input.Command(h.request(), Input.Verb.STOP, null, null, List.of(), true,
                new Input.Caller("test", "")));
        assertTrue(h.reply(own).ok());

        Harness f = new Harness(job("bad").process(exec(Phase.PRE_START, "/bin/false")).build());
        long failing = f.command(Input.Command.start(f.request(), "bad"));
        f.runs("bad", Phase.PRE_START, 1);
        assertEquals(new Effect.Reply(failing, false, "Job failed to start: bad: pre-start process exited with status 1"), f.reply(failing));

        Harness e = new Harness(job("bad").process(exec(Phase.PRE_START, "/bin/false")).startOn(on("go")).build());
        long emit = e.emit("go");
        e.runs("bad", Phase.PRE_START, 1);
        assertEquals(new Effect.Reply(emit, false, "Event failed"), e.reply(emit));
    }

    private static Job.Builder respawning(String name, int limit, int seconds) {
        return job(name).respawn(new Respawn(true, limit, Duration.ofSeconds(seconds), null))
                .process(exec(Phase.MAIN, "/bin/d"));
    }

    @Test
    void item19_respawnOnExitOne() {
        for (boolean task : new boolean[] {false, true}) {
            Harness h = new Harness(respawning("test", 10, 5).task(task).build());
            h.command(Input.Command.start(h.request(), "test").noWait());
            h.exit(h.spawned("test", Phase.MAIN), 1);
            Engine.InstanceView v = h.inst("test");
            assertEquals(JobGoal.START, v.goal());
            assertEquals(1, v.respawnCount());
            assertFalse(v.failed());
            assertTrue(h.emitted().contains("stopping JOB=test INSTANCE= RESULT=ok"));
            assertTrue(h.all.contains(new Effect.StateChanged("test", "", JobGoal.START, JobState.STOPPING)));
            assertEquals(JobState.SPAWNED, v.state(), "and on through post-stop and starting again");
            assertFalse(h.emitted().stream().anyMatch(x -> x.startsWith("stopped")), "no stopped on a respawn");
        }
    }

    @Test
    void item20_respawnLimitStopsOnTheAttemptAfterTheLimit() {
        Harness h = new Harness(respawning("test", 5, 10).build());
        h.command(Input.Command.start(h.request(), "test").noWait());
        for (int i = 1; i <= 5; i++) {
            h.now += 1000;
            h.exit(h.spawned("test", Phase.MAIN), 1);
            assertEquals(JobGoal.START, h.inst("test").goal(), "respawn " + i);
            assertEquals(i, h.inst("test").respawnCount());
        }
        h.now += 1000;
        h.exit(h.spawned("test", Phase.MAIN), 1);
        assertTrue(h.logs().contains("test respawning too fast, stopped"));
        assertTrue(h.emitted().contains("stopping JOB=test INSTANCE= RESULT=failed PROCESS=respawn"));
        assertTrue(h.engine.instances().isEmpty());
    }

    @Test
    void item21_normalExitIsNotRespawned() {
        Harness h = new Harness(respawning("test", 10, 5).normalExit(ExitStatus.code(100)).build());
        h.command(Input.Command.start(h.request(), "test").noWait());
        h.exit(h.spawned("test", Phase.MAIN), 100);
        assertTrue(h.emitted().contains("stopped JOB=test INSTANCE= RESULT=ok"));
        assertTrue(h.engine.instances().isEmpty());
    }

    @Test
    void item22_exitZeroRespawnsServiceButEndsTask() {
        Harness s = new Harness(respawning("test", 10, 5).build());
        s.command(Input.Command.start(s.request(), "test").noWait());
        s.exit(s.spawned("test", Phase.MAIN), 0);
        assertEquals(JobGoal.START, s.inst("test").goal());
        assertEquals(1, s.inst("test").respawnCount());

        Harness t = new Harness(respawning("test", 10, 5).task(true).build());
        t.command(Input.Command.start(t.request(), "test").noWait());
        t.exit(t.spawned("test", Phase.MAIN), 0);
        assertTrue(t.emitted().contains("stopped JOB=test INSTANCE= RESULT=ok"));
        assertTrue(t.engine.instances().isEmpty());
    }

    @Test
    void item23_abnormalExitFailsButKilledOnPurposeDoesNot() {
        Harness h = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d")).normalExit(ExitStatus.code(100)).build());
        h.command(Input.Command.start(h.request(), "test").noWait());
        h.exit(h.spawned("test", Phase.MAIN), 99);
        assertTrue(h.emitted().contains("stopped JOB=test INSTANCE= RESULT=failed PROCESS=main EXIT_STATUS=99"));

        Harness k = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d")).build());
        k.command(Input.Command.start(k.request(), "test").noWait());
        int pid = k.spawned("test", Phase.MAIN);
        k.command(Input.Command.stop(k.request(), "test").noWait());
        assertTrue(k.last.contains(new Effect.SendSignal(pid, true, Signal.TERM)), "TERM to the process group");
        k.killed(pid, Signal.TERM);
        assertTrue(k.emitted().contains("stopped JOB=test INSTANCE= RESULT=ok"));
    }

    @Test
    void item24_preStartPostStartPostStopFailures() {
        Harness pre = new Harness(job("test").process(exec(Phase.PRE_START, "/bin/false"))
                .process(exec(Phase.MAIN, "/bin/d")).process(exec(Phase.POST_STOP, "/bin/cleanup")).startOn(on("go")).build());
        pre.emitNoWait("go");
        pre.runs("test", Phase.PRE_START, 1);
        assertEquals(JobGoal.STOP, pre.inst("test").goal());
        assertTrue(pre.finishedFailed("go"), "the start event is released at once, failed");
        assertTrue(pre.emitted().contains("stopping JOB=test INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=1"));
        assertEquals(JobState.POST_STOP, pre.inst("test").state(), "post-stop still runs");

        Harness post = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d"))
                .process(exec(Phase.POST_START, "/bin/false")).build());
        post.command(Input.Command.start(post.request(), "test").noWait());
        post.spawned("test", Phase.MAIN);
        post.runs("test", Phase.POST_START, 1);
        assertEquals(JobState.RUNNING, post.inst("test").state());
        assertFalse(post.inst("test").failed());

        Harness ps = new Harness(job("test").process(exec(Phase.POST_STOP, "/bin/false")).build());
        ps.command(Input.Command.start(ps.request(), "test").noWait());
        ps.command(Input.Command.stop(ps.request(), "test").noWait());
        ps.runs("test", Phase.POST_STOP, 1);
        assertTrue(ps.emitted().contains("stopped JOB=test INSTANCE= RESULT=failed PROCESS=post-stop EXIT_STATUS=1"));
    }

    @Test
    void item25_mainDeathWaitsForPostStartOrPreStop() {
        Harness h = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d"))
                .process(exec(Phase.POST_START, "/bin/slow")).build());
        h.command(Input.Command.start(h.request(), "test").noWait());
        int main = h.spawned("test", Phase.MAIN);
        int post = h.spawned("test", Phase.POST_START);
        h.exit(main, 1);
        assertEquals(JobState.POST_START, h.inst("test").state(), "no change while post-start runs");
        assertEquals(JobGoal.STOP, h.inst("test").goal());
        h.exit(post, 0);
        assertTrue(h.engine.instances().isEmpty());

        Harness r = new Harness(respawning("test", 10, 5).process(exec(Phase.PRE_STOP, "/bin/slow")).build());
        r.command(Input.Command.start(r.request(), "test").noWait());
        int m = r.spawned("test", Phase.MAIN);
        r.command(Input.Command.stop(r.request(), "test").noWait());
        int preStop = r.spawned("test", Phase.PRE_STOP);
        r.command(Input.Command.start(r.request(), "test").noWait());
        r.exit(m, 1);
        assertEquals(JobGoal.RESPAWN, r.inst("test").goal(), "respawn deferred until pre-stop ends");
        assertEquals(JobState.PRE_STOP, r.inst("test").state());
        r.exit(preStop, 0);
        assertEquals(JobGoal.START, r.inst("test").goal());
        assertTrue(r.all.contains(new Effect.StateChanged("test", "", JobGoal.START, JobState.STOPPING)));
    }

    @Test
    void item26_expectStopForkDaemonFollowPids() {
        Harness s = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d")).ready(new Readiness.Stop()).build());
        s.command(Input.Command.start(s.request(), "test").noWait());
        int pid = s.spawned("test", Phase.MAIN);
        assertEquals(JobState.SPAWNED, s.inst("test").state());
        s.in(new Input.Stopped(pid));
        assertTrue(s.last.contains(new Effect.SendSignal(pid, false, Signal.CONT)));
        assertEquals(JobState.RUNNING, s.inst("test").state());
        s.in(new Input.Stopped(pid));
        assertTrue(s.last.isEmpty(), "a stop outside spawned is ignored");

        Harness f = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d")).ready(new Readiness.Fork()).build());
        f.command(Input.Command.start(f.request(), "test").noWait());
        int parent = f.spawned("test", Phase.MAIN);
        f.in(new Input.Forked(parent, 4242));
        assertEquals(JobState.RUNNING, f.inst("test").state());
        assertEquals(Map.of(Phase.MAIN, 4242), f.inst("test").pids());
        f.exit(parent, 0);
        assertEquals(JobState.RUNNING, f.inst("test").state(), "the parent's exit is not the service's");

        Harness d = new Harness(job("test").process(exec(Phase.MAIN, "/bin/d")).ready(new Readiness.Daemon()).build());
        d.command(Input.Command.start(d.request(), "test").noWait());
        int first = d.spawned("test", Phase.MAIN);
        d.in(new Input.Forked(first, 5000));
        assertEquals(JobState.SPAWNED, d.inst("test").state(), "a daemon forks twice");
        d.in(new Input.Forked(5000, 5001));
        assertEquals(JobState.RUNNING, d.inst("test").state());
        d.command(Input.Command.stop(d.request(), "test").noWait());
        assertTrue(d.last.contains(new Effect.SendSignal(first, true, Signal.TERM)), "the original group");
        assertTrue(d.last.contains(new Effect.SendSignal(5001, false, Signal.TERM)), "and the daemon by pid");
    }
}
