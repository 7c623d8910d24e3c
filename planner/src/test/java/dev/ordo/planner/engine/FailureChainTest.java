package dev.ordo.planner.engine;

import static dev.ordo.planner.engine.Harness.exec;
import static dev.ordo.planner.engine.Harness.job;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Phase;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, "the failure report lists causes backwards": a failure that goes down a chain of
 * requires+after is reported from the root cause to the effect, in the order it happened, as
 * systemd's journal and boot console show it (the failed unit, then "Dependency failed for ..." of
 * each dependant in turn): the jobs' stopped events, the supervisor's log, status and the reply.
 */
class FailureChainTest {

    private static Job.Builder service(String name) {
        return job(name).process(exec(Phase.MAIN, "/usr/sbin/" + name));
    }

    private static Job.Builder needs(String name, String dependency) {
        return service(name).relation(Relation.declared(RelationKind.REQUIRES, dependency, Harness.AT))
                .relation(Relation.declared(RelationKind.AFTER, dependency, Harness.AT));
    }

    private static Harness chain() {
        return new Harness(service("db").process(exec(Phase.PRE_START, "/bin/check")).build(),
                needs("api", "db").build(), needs("web", "api").build(), needs("cli", "web").build());
    }

    @Test
    void theReplyAndStatusNameTheRootCauseFirstThenEachJobItTookDown() {
        Harness h = chain();
        long start = h.command(Input.Command.start(h.request(), "cli"));
        h.runs("db", Phase.PRE_START, 1);
        String chain = "dependency failed: db (pre-start process exited with status 1) → api → web → cli";
        assertEquals(new Effect.Reply(start, false, "Job failed to start: cli: " + chain), h.reply(start));
        assertEquals("cli stop/waiting, failed: " + chain, h.status("cli"));
        assertEquals("api stop/waiting, failed: dependency failed: db (pre-start process exited with status 1) → api",
                h.status("api"));
        assertEquals("db stop/waiting, failed: pre-start process exited with status 1", h.status("db"));
    }

    @Test
    void theJobsFailInTheOrderTheFailureWentDownTheChain() {
        Harness h = chain();
        h.command(Input.Command.start(h.request(), "cli").noWait());
        h.runs("db", Phase.PRE_START, 1);
        // The stopping events say who failed, in the order the failure went; the console prints them.
        List<String> stopping = h.emitted().stream().filter(e -> e.startsWith("stopping ")).toList();
        assertEquals(List.of(
                "stopping JOB=db INSTANCE= RESULT=failed PROCESS=pre-start EXIT_STATUS=1",
                "stopping JOB=api INSTANCE= RESULT=failed PROCESS=dependency",
                "stopping JOB=web INSTANCE= RESULT=failed PROCESS=dependency",
                "stopping JOB=cli INSTANCE= RESULT=failed PROCESS=dependency"), stopping);
        // They stop the other way round: db is ordered before the others, and waits for them (SEMANTICS §5).
        List<String> stopped = h.emitted().stream().filter(e -> e.startsWith("stopped ")).map(e -> e.split(" ")[1]).toList();
        assertEquals(List.of("JOB=cli", "JOB=web", "JOB=api", "JOB=db"), stopped);
        assertEquals(List.of(
                "api not starting: dependency failed: db (pre-start process exited with status 1) → api",
                "web not starting: dependency failed: db (pre-start process exited with status 1) → api → web",
                "cli not starting: dependency failed: db (pre-start process exited with status 1) → api → web → cli"),
                h.logs().stream().filter(l -> l.contains("not starting")).toList());
    }
}
