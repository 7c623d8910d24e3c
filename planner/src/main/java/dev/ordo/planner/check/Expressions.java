package dev.ordo.planner.check;

import dev.ordo.planner.model.EventExpr;
import java.util.function.Predicate;

/** Questions about the shape of an event expression. */
final class Expressions {

    private Expressions() {
    }

    /** Can {@code e} still become true when no leaf for which {@code never} holds ever matches? */
    static boolean canHold(EventExpr e, Predicate<EventExpr.Match> never) {
        if (e instanceof EventExpr.Match m) return !never.test(m);
        if (e instanceof EventExpr.All a) return canHold(a.left(), never) && canHold(a.right(), never);
        EventExpr.Any o = (EventExpr.Any) e;
        return canHold(o.left(), never) || canHold(o.right(), never);
    }
}
