package dev.ordo.planner.plan;

import dev.ordo.planner.corpus.SharedCorpus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.config.load.ConfigLoader;
import dev.ordo.planner.config.ReadResult;
import dev.ordo.planner.config.yaml.YamlReader;
import dev.ordo.planner.model.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner on small configurations whose plan can be worked out by hand, and on the seed samples. */
class PlannerTest {

    static final Path TOP = Path.of(System.getProperty("ordo.top", ".."));

    static Config yaml(String text) {
        ReadResult r = YamlReader.read("t.yaml", text);
        assertTrue(r.diagnostics().stream().noneMatch(Diagnostic::isError), r.diagnostics()::toString);
        return new Config(r.jobs(), List.of("t.yaml"), r.diagnostics());
    }

    static Plan plan(Config c, Goal goal) {
        return Planner.plan(c, new Planner.Request(goal, Map.of()));
    }

    static Plan plan(Config c) {
        return plan(c, new Goal(List.of(), List.of(), List.of()));
    }

    @Test
    void halStartsAfterDbusAndStopsBeforeIt() {
        Plan p = plan(ConfigLoader.load(List.of(TOP.resolve("samples/yaml/dbus-hal.yaml")), null));
        Step dbus = p.boot().step("dbus");
        Step hal = p.boot().step("hal");
        Step nm = p.boot().step("network-manager");
        assertEquals(0.3, dbus.up(), 1e-9);
        assertEquals(dbus.up(), hal.start(), 1e-9);
        assertEquals(1.3, hal.up(), 1e-9);
        assertEquals(hal.up(), nm.start(), 1e-9);
        assertEquals(3.3, p.boot().finish(), 1e-9);
        assertEquals(List.of("dbus", "hal", "network-manager"),
                p.boot().criticalPath().stream().map(Schedule.PathStep::id).toList());
        // Shutdown: hal is fully stopped before dbus is signalled, network-manager before hal.
        Step dDbus = p.shutdown().step("dbus");
        Step dHal = p.shutdown().step("hal");
        Step dNm = p.shutdown().step("network-manager");
        assertTrue(dHal.up() <= dDbus.start(), "hal stopped before dbus is signalled");
        assertTrue(dNm.up() <= dHal.start());
        assertEquals(0, dHal.trigger(), 1e-9, "stop on stopping dbus: asked to stop when dbus is");
        assertEquals(EdgeKind.STOPPING, dHal.because().kind());
    }

    @Test
    void portmapIsUpBeforeNfsServerProceedsAndStopsAfterIt() {
        Plan p = plan(ConfigLoader.load(List.of(TOP.resolve("samples/yaml/nfs.yaml")), null));
        Step portmap = p.boot().step("portmap");
        Step nfs = p.boot().step("nfs-server");
        assertEquals(0, nfs.trigger(), 1e-9);
        assertEquals(0, portmap.trigger(), 1e-9, "started by nfs-server's starting event");
        assertEquals(portmap.up(), nfs.start(), 1e-9, "nfs-server waits in starting until portmap is up");
        assertTrue(nfs.waitsFor().stream().anyMatch(w -> w.id().equals("portmap") && w.kind() == EdgeKind.STARTING));
        Step dPortmap = p.shutdown().step("portmap");
        Step dNfs = p.shutdown().step("nfs-server");
        assertTrue(dNfs.up() <= dPortmap.trigger(), "stop on stopped nfs-server");
    }

    @Test
    void theSameSystemsInUpstartAndSystemdFormPlanTheSameOrder() {
        Plan up = plan(ConfigLoader.load(List.of(TOP.resolve("samples/upstart")), null));
        assertTrue(up.boot().step("hal").start() >= up.boot().step("dbus").up());
        assertTrue(up.boot().step("nfs-server").start() >= up.boot().step("portmap").up());
        assertTrue(up.shutdown().step("hal").up() <= up.shutdown().step("dbus").start());
        Plan sd = plan(ConfigLoader.load(List.of(TOP.resolve("samples/systemd")), null));
        assertTrue(sd.boot().step("hal.service").start() >= sd.boot().step("dbus.service").up());
        assertTrue(sd.boot().step("nfs-server.service").start() >= sd.boot().step("portmap.service").up());
        assertTrue(sd.shutdown().step("hal.service").up() <= sd.shutdown().step("dbus.service").start());
        assertNotNull(sd.boot().step("getty@tty1.service"));
        assertEquals(List.of("seed.target"), sd.goal().jobs(), "default.target is an alias of seed.target");
    }

    @Test
    void aFailedDatabaseStartsItsBackupTask() {
        Config c = ConfigLoader.load(List.of(TOP.resolve("samples/yaml/hersql.yaml")), null);
        Plan normal = plan(c);
        assertNull(normal.boot().step("hersql-backup"));
        NotStarted why = normal.notStarted().stream().filter(n -> n.id().equals("hersql-backup")).findFirst().orElseThrow();
        assertEquals("waits for `stopping hersql RESULT=failed EXIT_SIGNAL=SEGV`, which happens only if `hersql`"
                + " fails (plan with --fail hersql)", why.why());
        Plan failed = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("hersql", null))));
        Step backup = failed.boot().step("hersql-backup");
        assertNotNull(backup);
        assertTrue(backup.task());
        assertEquals(2, backup.start(), 1e-9, "when hersql's start fails");
        assertEquals("failed", failed.notStarted().stream().filter(n -> n.id().equals("hersql")).findFirst()
                .orElseThrow().reason());
        Plan otherSignal = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("hersql", "TERM"))));
        assertNull(otherSignal.boot().step("hersql-backup"), "EXIT_SIGNAL=SEGV does not match TERM");
        Plan segv = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("hersql", "SEGV"))));
        assertNotNull(segv.boot().step("hersql-backup"));
    }

    @Test
    void requiresAndAfterSkipsTheDependantButAnEventStyleDependantProceeds() {
        Config c = yaml("""
                jobs:
                  db: {exec: x}
                  web: {exec: x, requires: [db], after: [db]}
                  cache: {exec: x, wants: [db], after: [db]}
                  portmap: {exec: x, start_on: starting db}
                """);
        Plan p = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("portmap", null))));
        assertNotNull(p.boot().step("db"), "U§2.4: a failed job holding `starting db` does not stop db");
        p = plan(c, new Goal(List.of(), List.of(), List.of(new Goal.Failure("db", null))));
        assertNull(p.boot().step("web"));
        assertEquals("dependency-failed", p.notStarted().stream().filter(n -> n.id().equals("web")).findFirst()
                .orElseThrow().reason());
        assertNotNull(p.boot().step("cache"), "wants: the failure is ignored");

    }

    @Test
    void instancesComeFromEventEnvironments() {
        Config c = ConfigLoader.load(List.of(TOP.resolve("samples/yaml/getty.yaml")), null);
        Plan p = plan(c, new Goal(List.of(new Goal.GoalEvent("tty-added", List.of("TTY=tty1")),
                new Goal.GoalEvent("tty-added", List.of("TTY=tty2"))), List.of(), List.of()));
        assertEquals(List.of("getty (tty1)", "getty (tty2)"), p.boot().steps().stream().map(Step::id).toList());
        assertEquals("tty1", p.boot().step("getty (tty1)").instance());
    }

    @Test
    void anOrBranchAroundACycleIsNotADeadlock() {
        Config c = yaml("""
                jobs:
                  a: {exec: x, start_on: started b or startup}
                  b: {exec: x, start_on: started a}
                """);
        Plan p = plan(c);
        assertTrue(p.diagnostics().isEmpty(), p.diagnostics()::toString);
        assertEquals(0, p.boot().step("a").start(), 1e-9);
        assertEquals(1, p.boot().step("b").start(), 1e-9);
    }

    @Test
    void aCycleThroughEventsAndOrderingIsADeadlockReportedAtItsWeakestEdge() {
        Config c = yaml("""
                jobs:
                  c: {exec: x, start_on: started d}
                  d: {exec: x, after: [c]}
                """);
        Plan p = plan(c);
        List<Diagnostic> ds = p.diagnostics().stream().filter(d -> d.code() == Code.DEADLOCK).toList();
        assertEquals(1, ds.size(), p.diagnostics()::toString);
        assertTrue(ds.get(0).message().startsWith("deadlock c → d → c: `c` waits for `d` (started, t.yaml:"),
                ds.get(0).message());
        assertEquals("cut the weakest edge: `d` waits for `c` (after)", ds.get(0).hint());
        assertEquals(3, ds.get(0).source().line(), "at the after: [c] of d");
        assertTrue(p.boot().steps().isEmpty());
        assertEquals("deadlock", p.notStarted().get(0).reason());
    }

    @Test
    void aPartialAndMatchHoldsTheStartingEventForEver() {
        Config c = yaml("""
                jobs:
                  x: {exec: x}
                  y: {task: true, exec: x, start_on: starting x and never-comes}
                """);
        Plan p = plan(c);
        List<Diagnostic> ds = p.diagnostics().stream().filter(d -> d.code() == Code.HELD_EVENT).toList();
        assertEquals(1, ds.size(), p.diagnostics()::toString);
        assertEquals("`starting x` is held for ever: `y` matched it in `starting x and never-comes` but also waits"
                + " for `never-comes`, which never comes, so `x` never starts", ds.get(0).message());
        assertNull(p.boot().step("x"));
    }

    @Test
    void wavesAndTimesDifferWhenDurationsAreDeclared() {
        Config c = yaml("""
                jobs:
                  slow: {exec: x, estimate: 5s}
                  fast: {exec: x, estimate: 100ms}
                  after-fast: {exec: x, after: [fast], estimate: 200ms}
                  last: {exec: x, after: [slow, after-fast]}
                """);
        Plan p = plan(c);
        assertEquals(0, p.boot().step("slow").wave());
        assertEquals(1, p.boot().step("after-fast").wave());
        assertEquals(2, p.boot().step("last").wave());
        assertEquals(0.1, p.boot().step("after-fast").start(), 1e-9);
        assertEquals(5, p.boot().step("last").start(), 1e-9);
        assertEquals(6, p.boot().finish(), 1e-9);
        assertEquals(List.of("slow", "last"), p.boot().criticalPath().stream().map(Schedule.PathStep::id).toList());
        assertEquals(EdgeKind.AFTER, p.boot().criticalPath().get(1).via());
    }

    @Test
    void learnedDurationsWinOverEstimates() {
        Config c = yaml("""
                jobs:
                  a: {exec: x, estimate: 5s}
                  b: {exec: x, after: [a]}
                """);
        Plan p = Planner.plan(c, new Planner.Request(new Goal(List.of(), List.of(), List.of()), Map.of("a", 0.25)));
        assertEquals(0.25, p.boot().step("b").start(), 1e-9);
    }

    @Test
    void thePulledInJobStartsWithThePuller() {
        Config c = yaml("""
                jobs:
                  x: {exec: x, start_on: started y}
                  y: {exec: x, start_on: startup, estimate: 3s}
                  p: {exec: x, start_on: startup, requires: [q], after: [q]}
                  q: {exec: x, start_on: started x}
                """);
        Plan p = plan(c);
        assertEquals(0, p.boot().step("q").start(), 1e-9, "pulled in at p's trigger, its start_on not waited for");
        assertEquals(EdgeKind.REQUIRES, p.boot().step("q").because().kind());
        List<Diagnostic> ds = p.diagnostics().stream().filter(d -> d.code() == Code.PULLED_IN_EARLY).toList();
        assertEquals(1, ds.size());
        assertEquals("`q` is pulled in by `p` (requires) at 0s, but its own start_on `started x` holds only at 4s;"
                + " pulled in, it starts at once", ds.get(0).message());
    }

    @Test
    void theDebianTreeAndTheUpstartCorpusPlanWithoutErrors() {
        Plan deb = plan(ConfigLoader.load(List.of(), SharedCorpus.debian12()));
        assertTrue(deb.diagnostics().stream().noneMatch(Diagnostic::isError), deb.diagnostics()::toString);
        assertEquals(List.of("graphical.target"), deb.goal().jobs());
        assertNotNull(deb.boot().step("multi-user.target"));
        assertNotNull(deb.boot().step("getty@tty1.service"));
        assertTrue(deb.boot().step("multi-user.target").start() >= deb.boot().step("basic.target").up());
        assertTrue(deb.shutdown().step("basic.target").start() >= deb.shutdown().step("multi-user.target").up());
        Path upstart = SharedCorpus.upstart();
        List<Path> folders = new java.util.ArrayList<>();
        try (var s = java.nio.file.Files.list(upstart)) {
            s.filter(java.nio.file.Files::isDirectory).sorted().forEach(folders::add);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        Plan up = plan(ConfigLoader.load(folders, null));
        // The corpus has its own findings (jobs that name jobs it does not hold, see `ordo check`);
        // planning it adds no deadlock and no held event.
        assertTrue(up.diagnostics().stream().noneMatch(d -> d.code() == Code.DEADLOCK || d.code() == Code.HELD_EVENT),
                up.diagnostics()::toString);
        assertTrue(up.boot().steps().size() > 20, () -> "" + up.boot().steps().size());
    }
}
