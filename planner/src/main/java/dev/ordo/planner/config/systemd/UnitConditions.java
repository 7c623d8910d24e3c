package dev.ordo.planner.config.systemd;

import dev.ordo.planner.model.ConditionKind;
import dev.ordo.planner.model.UnitCondition;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code Condition…=} and {@code Assert…=} lines of a unit's {@code [Unit]} section, read as systemd's
 * load-fragment.c reads them: a leading {@code |} (triggering), then {@code !} (negated), each followed by
 * optional blanks; specifiers expanded; a path condition whose path is not absolute ignored (reported). An
 * empty assignment resets the whole list, conditions or asserts, of every kind (systemd.unit(5): "If any of
 * these options is assigned the empty string, the list of conditions is reset completely").
 */
final class UnitConditions {

    private final AssignmentValues values;
    private final List<UnitCondition> conditions = new ArrayList<>();
    private final List<UnitCondition> asserts = new ArrayList<>();

    UnitConditions(AssignmentValues values) {
        this.values = values;
    }

    /** Reads {@code a} if it is a condition or an assert; false for any other key. */
    boolean apply(UnitFile.Assignment a) {
        ConditionKind kind = ConditionKind.ofKey(a.key);
        if (kind == null) return false;
        boolean assertion = a.key.startsWith("Assert");
        List<UnitCondition> list = assertion ? asserts : conditions;
        String v = a.value;
        if (v.isEmpty()) {
            list.clear();
            return true;
        }
        int i = 0;
        boolean trigger = v.charAt(i) == '|';
        if (trigger) i = skipBlanks(v, i + 1);
        boolean negate = i < v.length() && v.charAt(i) == '!';
        if (negate) i = skipBlanks(v, i + 1);
        String parameter = values.expand(a, v.substring(i));
        if (parameter == null) return true;
        if (kind.path() && !parameter.startsWith("/")) {
            values.invalid(a.at(i), a.key + "= `" + parameter + "` is not an absolute path; systemd ignores the line",
                    "write the whole path, from /: a condition is tested where the unit runs, not beside its file");
            return true;
        }
        list.add(new UnitCondition(kind, assertion, trigger, negate, parameter, a.keySource));
        return true;
    }

    private static int skipBlanks(String v, int i) {
        while (i < v.length() && (v.charAt(i) == ' ' || v.charAt(i) == '\t')) i++;
        return i;
    }

    /** The conditions, then the asserts, each in the order written (systemd tests conditions first). */
    List<UnitCondition> all() {
        List<UnitCondition> l = new ArrayList<>(conditions);
        l.addAll(asserts);
        return l;
    }
}
