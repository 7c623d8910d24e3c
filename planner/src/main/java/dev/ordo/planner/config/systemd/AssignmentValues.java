package dev.ordo.planner.config.systemd;

import dev.ordo.planner.diag.Code;
import dev.ordo.planner.diag.Diagnostic;
import dev.ordo.planner.diag.Source;
import dev.ordo.planner.diag.Suggest;
import dev.ordo.planner.model.Timespan;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The value of one assignment of a unit, read as systemd reads it: specifiers expanded for the unit's
 * name (systemd.unit(5), "Specifiers"), booleans, integers and time spans as systemd.syntax(7) and
 * systemd.time(7) write them, and unit names as systemd.unit(5) allows them. A value systemd would
 * ignore is reported, saying so, and read as null.
 */
final class AssignmentValues {

    private final String name;
    private final Consumer<Diagnostic> report;

    AssignmentValues(String name, Consumer<Diagnostic> report) {
        this.name = name;
        this.report = report;
    }

    /** A value ordo reads but does not do what it asks (ORD025), when the directive as a whole is applied. */
    void notApplied(Source at, String message, String hint) {
        report.accept(Diagnostic.of(Code.UNIT_DIRECTIVE_NOT_APPLIED, at, message, hint));
    }

    void invalid(Source at, String message, String hint) {
        report.accept(Diagnostic.of(Code.UNIT_INVALID_VALUE, at, message, hint));
    }

    /** The value with specifiers expanded, or null (reported) when one is unknown. */
    String expand(UnitFile.Assignment a, String text) {
        try {
            return UnitSpecifiers.expand(text, name);
        } catch (IllegalArgumentException e) {
            invalid(a.valueSource(), e.getMessage() + "; systemd ignores " + a.key + "=", null);
            return null;
        }
    }

    boolean unitName(UnitFile.Assignment a, String target, Source at) {
        if (!UnitName.isValid(target)) {
            String hint = UnitName.isValid(target + ".service")
                    ? "a unit name ends in its type: did you mean `" + target + ".service` or `" + target + ".target`?"
                    : "a unit name is NAME.TYPE, such as dbus.service or network.target";
            invalid(at, a.key + "= names `" + target + "`, which is not a unit name; systemd ignores it", hint);
            return false;
        }
        if (UnitName.isTemplate(target)) {
            invalid(at, a.key + "= names the template `" + target + "`; systemd ignores it",
                    "name an instance, such as " + UnitName.instantiate(target, "NAME"));
            return false;
        }
        return true;
    }

    Boolean bool(UnitFile.Assignment a) {
        if (a.value.isEmpty()) return null;
        try {
            return UnitValues.bool(a.value);
        } catch (IllegalArgumentException e) {
            invalid(a.valueSource(), a.key + "=: " + e.getMessage() + "; systemd ignores it", null);
            return null;
        }
    }

    Integer integer(UnitFile.Assignment a, int min, int max, String what) {
        try {
            return UnitValues.integer(a.value, min, max, what);
        } catch (IllegalArgumentException e) {
            invalid(a.valueSource(), e.getMessage() + "; systemd ignores it", null);
            return null;
        }
    }

    Duration duration(UnitFile.Assignment a) {
        try {
            return Timespan.parse(a.value);
        } catch (IllegalArgumentException e) {
            invalid(a.valueSource(), a.key + "=: " + e.getMessage() + "; systemd ignores it",
                    "write a time span such as 90s, 5min or 1h 30min, or infinity");
            return null;
        }
    }

    static String oneOf(String v, List<String> allowed) {
        String h = Suggest.hint(v, allowed);
        return (h == null ? "" : h + " ") + "allowed: " + String.join(", ", allowed);
    }
}
