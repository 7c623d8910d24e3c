package dev.ordo.planner.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ordo.planner.config.EventExprParser;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.model.Format;
import dev.ordo.planner.model.Job;
import dev.ordo.planner.model.Relation;
import dev.ordo.planner.model.RelationKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which reversed orderings the shutdown keeps: the circle test over asked, signalled and stopped. */
class ShutdownOrderTest {

    private static final Source AT = new Source("t.yaml", 1, 1);

    private static Job.Builder job(String name) {
        return Job.builder(name, Format.YAML, AT);
    }

    private static Job.Builder stopOn(Job.Builder b, String expr) {
        return b.stopOn(EventExprParser.parse(expr, AT).expr());
    }

    private static Relation after(String target) {
        return Relation.declared(RelationKind.AFTER, target, AT);
    }

    @Test
    void withoutStopRelationsEveryOrderingIsKept() {
        ShutdownOrder o = ShutdownOrder.of(List.of(job("a").relation(after("b")).build(), job("b").build()));
        assertEquals(List.of(), o.dropped());
        assertFalse(o.drops("b", "a"));
    }

    @Test
    void anOrderingThatClosesACircleThroughStoppedIsDroppedWithTheWayRound() {
        // a after b: b waits for a. a stops on stopped c, c on stopped b: a stops only after b has.
        Job a = stopOn(job("a").relation(after("b")), "stopped c").build();
        ShutdownOrder o = ShutdownOrder.of(List.of(a, job("b").build(), stopOn(job("c"), "stopped b").build()));
        assertEquals(List.of(new ShutdownOrder.Dropped("b", "a", after("b"), List.of("b", "c", "a"))), o.dropped());
        assertTrue(o.drops("b", "a"));
        assertFalse(o.drops("a", "b"), "only the way it was dropped");
    }

    @Test
    void aChainOfStoppingHoldsAgreesWithTheReversedOrderAndKeepsIt() {
        // c holds b's stopping, a holds c's: a has stopped before b is signalled, as the ordering says.
        Job a = stopOn(job("a").relation(after("b")), "stopping c").build();
        ShutdownOrder o = ShutdownOrder.of(List.of(a, job("b").build(), stopOn(job("c"), "stopping b").build()));
        assertEquals(List.of(), o.dropped());
    }

    @Test
    void aStopRelationBetweenTheTwoDecidesWithoutADrop() {
        // StopRelations.related: the explicit relation takes the reversed order's place, silently.
        Job a = stopOn(job("a").relation(after("b")), "stopped b").build();
        ShutdownOrder o = ShutdownOrder.of(List.of(a, job("b").build()));
        assertEquals(List.of(), o.dropped());
        assertFalse(o.drops("b", "a"));
    }

    @Test
    void aBeforeIsTheSameOrderingSeenFromTheOtherSide() {
        Relation before = Relation.declared(RelationKind.BEFORE, "a", AT);
        Job a = stopOn(job("a"), "stopped c").build();
        ShutdownOrder o = ShutdownOrder.of(List.of(a, job("b").relation(before).build(), stopOn(job("c"), "stopped b").build()));
        assertEquals(List.of(new ShutdownOrder.Dropped("b", "a", before, List.of("b", "c", "a"))), o.dropped());
    }

    @Test
    void orderingsKeptEarlierCountWhenALaterOneIsTried() {
        // a after b and c after d are each fine alone; with a stopping on stopped d and c on stopped b
        // the two close a circle together: the first (name order) is kept, the second dropped.
        Job a = stopOn(job("a").relation(after("b")), "stopped d").build();
        Job c = stopOn(job("c").relation(after("d")), "stopped b").build();
        ShutdownOrder o = ShutdownOrder.of(List.of(c, job("d").build(), job("b").build(), a));
        assertEquals(List.of(new ShutdownOrder.Dropped("d", "c", after("d"), List.of("d", "a", "b", "c"))), o.dropped());
        assertFalse(o.drops("b", "a"));
    }

    @Test
    void jobsThatDoNotStopTakeNoPart() {
        // c is not among the jobs that stop: its stop_on leads nowhere, and a's ordering stays.
        Job a = stopOn(job("a").relation(after("b")), "stopped c").build();
        assertEquals(List.of(), ShutdownOrder.of(List.of(a, job("b").build())).dropped());
    }
}
