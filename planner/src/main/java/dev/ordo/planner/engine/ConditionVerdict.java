package dev.ordo.planner.engine;

import dev.ordo.planner.model.UnitCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * What a unit's tested conditions and asserts say about its start, by systemd's condition_test_list
 * (src/shared/condition.c) and unit_start (conditions first; asserts only if they were met):
 *
 * <ul>
 *   <li>a test's result is inverted by {@code !}; a test that could not be made ({@link ConditionResult#UNKNOWN})
 *       is not met, negated or not;</li>
 *   <li>every condition without {@code |} must be met: the first that is not decides;</li>
 *   <li>of the triggering ones ({@code |}), if there are any, at least one must be met;</li>
 *   <li>no conditions at all is met.</li>
 * </ul>
 *
 * @param met the start goes on
 * @param assertion not met because of an assert (the start fails) rather than a condition (it is skipped)
 * @param text why it is not met, one line ({@code ConditionPathExists=/etc/foo was not met}); null when met
 */
record ConditionVerdict(boolean met, boolean assertion, String text) {

    static final ConditionVerdict MET = new ConditionVerdict(true, false, null);

    /**
     * @param answers one per condition, in order; a missing answer counts as a test that could not be made
     */
    static ConditionVerdict of(List<UnitCondition> conditions, List<Input.ConditionAnswer> answers) {
        List<UnitCondition> cs = new ArrayList<>();
        List<Input.ConditionAnswer> as = new ArrayList<>();
        for (boolean asserts : new boolean[] {false, true}) {
            cs.clear();
            as.clear();
            for (int i = 0; i < conditions.size(); i++) {
                if (conditions.get(i).assertion() != asserts) continue;
                cs.add(conditions.get(i));
                as.add(i < answers.size() ? answers.get(i)
                        : new Input.ConditionAnswer(ConditionResult.UNKNOWN, "no answer came"));
            }
            String why = list(cs, as);
            if (why != null) return new ConditionVerdict(false, asserts, why);
        }
        return MET;
    }

    /** Why one list (conditions, or asserts) is not met, or null when it is. */
    private static String list(List<UnitCondition> cs, List<Input.ConditionAnswer> as) {
        List<String> triggers = new ArrayList<>();
        boolean triggerMet = false;
        for (int i = 0; i < cs.size(); i++) {
            UnitCondition c = cs.get(i);
            Input.ConditionAnswer a = as.get(i);
            boolean met = a.result() != ConditionResult.UNKNOWN && (a.result() == ConditionResult.HOLDS) != c.negate();
            if (!c.trigger() && !met) return notMet(c, a);
            if (c.trigger()) {
                triggers.add(c.text());
                triggerMet |= met;
            }
        }
        if (!triggers.isEmpty() && !triggerMet) {
            return "none of the trigger " + (cs.get(0).assertion() ? "asserts" : "conditions") + " was met ("
                    + String.join(", ", triggers) + ")";
        }
        return null;
    }

    private static String notMet(UnitCondition c, Input.ConditionAnswer a) {
        if (a.result() == ConditionResult.UNKNOWN) return c.text() + " could not be tested: " + a.why();
        return c.text() + " was not met";
    }
}
