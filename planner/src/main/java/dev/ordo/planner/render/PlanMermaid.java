package dev.ordo.planner.render;

import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A plan as a Mermaid {@code gantt} chart ({@code ordo plan --format mermaid}): a section for the
 * boot and one for the shutdown, one task per step from its start to its up, the critical path
 * tagged {@code crit}. Times are whole milliseconds ({@code dateFormat x}) and the axis is labelled in
 * seconds. Names go through {@link #text}, so any job name parses.
 */
public final class PlanMermaid {

    /**
     * What Mermaid's gantt lexer would take for a keyword at the start of a task line (it is case
     * insensitive and takes the first rule that matches, not the longest).
     */
    private static final Pattern KEYWORD = Pattern.compile(
            "(?i)^(gantt|inclusiveenddates|topaxis|acctitle|accdescr"
                    + "|(dateformat|axisformat|tickinterval|includes|excludes|todaymarker|weekday|title"
                    + "|accdescription|section|click|call|href)\\s|\\d{4}-\\d\\d-\\d\\d).*");

    private PlanMermaid() {
    }

    /** The boot and, when anything stops, the shutdown. */
    public static String render(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("gantt\n");
        // section names sit in a narrow left margin, so the times go in the title
        String times = ": up at " + Seconds.withUnit(plan.boot().finish())
                + (plan.shutdown().steps().isEmpty() ? "" : ", all stopped at " + Seconds.withUnit(plan.shutdown().finish()));
        out.append("    title ").append(text(PlanDot.title(plan) + times)).append('\n');
        out.append("    dateFormat x\n");
        double longest = Math.max(plan.boot().finish(), plan.shutdown().finish());
        Axis axis = axis(longest);
        out.append("    axisFormat ").append(axis.format).append('\n');
        out.append("    tickInterval ").append(axis.interval).append('\n');
        out.append("    todayMarker off\n");
        section(out, "Boot", plan.boot(), "b");
        if (!plan.shutdown().steps().isEmpty()) {
            section(out, "Shutdown", plan.shutdown(), "s");
        }
        for (NotStarted n : plan.notStarted()) {
            // a comment: Mermaid skips it, a reader of the source sees what is missing from the chart
            out.append("    %% not started: ").append(oneLine(n.id())).append(" (").append(oneLine(n.reason()))
                    .append("): ").append(oneLine(n.why())).append('\n');
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Schedule s, String idPrefix) {
        out.append("    section ").append(text(title)).append('\n');
        Set<String> critical = new HashSet<>();
        for (Schedule.PathStep p : s.criticalPath()) critical.add(p.id());
        List<Step> steps = new ArrayList<>(s.steps());
        steps.sort(StepOrder.BY_START);
        int n = 0;
        for (Step st : steps) {
            out.append("    ").append(text(st.id())).append(st.task() ? " (task)" : "").append(" :");
            if (critical.contains(st.id())) out.append("crit, ");
            out.append(idPrefix).append(n++).append(", ").append(millis(st.start())).append(", ")
                    .append(millis(Math.max(st.up(), st.start()))).append('\n');
        }
    }

    /** Seconds as whole milliseconds, the unit of {@code dateFormat x}. */
    static long millis(double seconds) {
        return PlanJson.time(seconds).movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** A tick step of 1, 2 or 5 times a power of ten, about ten ticks, and labels that show it. */
    record Axis(String format, String interval) {
    }

    static Axis axis(double finish) {
        long ms = Math.max(1, millis(NiceTicks.step(finish, 10)));
        if (ms >= 10_000) {
            // past ten seconds, steps a clock has: 10 s, 15 s, 30 s, 1 min, 2 min, 5 min, ...
            for (long c : new long[] {10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200}) {
                if (c * 1000 * 10 >= finish * 1000) {
                    ms = c * 1000;
                    break;
                }
            }
        }
        if (ms < 1000) return new Axis("%-S.%L s", ms + "millisecond");
        long s = ms / 1000;
        // Mermaid formats the axis in local time from the epoch: minutes and seconds read true in
        // every whole-hour time zone
        if (finish < 60) return new Axis("%-S s", s + "second");
        return new Axis("%-M:%S", s % 60 == 0 ? (s / 60) + "minute" : s + "second");
    }

    /**
     * Text Mermaid's gantt parser takes as it is: anything but letters, digits and a few safe
     * signs is written as an entity code ({@code #58;} for {@code :}), which Mermaid turns back into
     * the character when it draws; a leading word Mermaid would read as a keyword has its first
     * letter coded the same way.
     */
    static String text(String s) {
        String t = coded(s);
        if (t.isEmpty() || KEYWORD.matcher(t).matches()) {
            int first = s.isEmpty() ? ' ' : s.codePointAt(0);
            t = "#" + first + ";" + (s.isEmpty() ? "" : coded(s.substring(Character.charCount(first))));
        }
        return t;
    }

    private static String coded(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c < 128 && (Character.isLetterOrDigit(c) || " ._-@/+=,()[]".indexOf(c) >= 0)) b.appendCodePoint(c);
            else b.append('#').append(c).append(';');
        });
        return b.toString();
    }

    private static String oneLine(String s) {
        return s.replace('\n', ' ').replace('\r', ' ');
    }
}
