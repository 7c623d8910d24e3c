package dev.ordo.planner.render;

import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A plan as a timeline picture ({@code ordo plan --format svg}), in the manner of
 * {@code systemd-analyze plot}: one row per step sorted by start then id, a bar from start to up with
 * a thin lighter part from trigger to start for the time it waited, waves as alternating bands, the
 * critical path in red with a line joining its bars, and a {@code <title>} tooltip on every row.
 * The shutdown is a second panel on its own time scale. Self-contained SVG 1.1 (no scripts, no
 * fonts to fetch), all text escaped, the same bytes for the same plan.
 *
 * <p>Elements carry classes a test or a style sheet can find: {@code step service|task [critical]}
 * on a row's group, {@code run} and {@code wait} on its bars, {@code band} on wave bands,
 * {@code critical-line} on the joining line.
 */
public final class PlanSvg {

    static final double WIDTH = 1200;
    private static final double MARGIN = 16;
    private static final double CHAR = 6.6; // mean advance of an 11 px sans-serif character
    private static final double LABEL_MIN = 90;
    private static final double LABEL_MAX = 300;
    private static final double TAIL = 56; // room right of the longest bar for its duration
    private static final int MAX_NOT_STARTED = 40;

    private PlanSvg() {
    }

    /** Boot panel, shutdown panel when anything stops, and the jobs that do not start. */
    public static String render(Plan plan) {
        List<Step> boot = sorted(plan.boot());
        List<Step> down = sorted(plan.shutdown());
        int longest = 0;
        for (Step s : boot) longest = Math.max(longest, s.id().length());
        for (Step s : down) longest = Math.max(longest, s.id().length());
        double labelW = Math.min(LABEL_MAX, Math.max(LABEL_MIN, longest * CHAR + 20));
        int rows = boot.size() + down.size();
        double rowH = rows > 80 ? 14 : 20;

        Canvas c = new Canvas();
        double y = MARGIN + 20;
        c.text(MARGIN, y, "title", PlanDot.title(plan));
        y += 20;
        c.text(MARGIN, y, "subtitle", summary(plan, boot));
        y += 18;
        y = legend(c, y);
        y += 14;
        y = panel(c, "Boot, up at " + Seconds.withUnit(plan.boot().finish()), plan.boot(), boot, "up", y, labelW, rowH);
        if (!down.isEmpty()) {
            y += 26;
            y = panel(c, "Shutdown, all stopped at " + Seconds.withUnit(plan.shutdown().finish()), plan.shutdown(), down,
                    "all stopped", y, labelW, rowH);
        }
        if (!plan.notStarted().isEmpty()) {
            y += 28;
            c.text(MARGIN, y, "panel-title", "Not started (" + plan.notStarted().size() + ")");
            int shown = 0;
            for (NotStarted n : plan.notStarted()) {
                if (shown++ == MAX_NOT_STARTED) {
                    y += 15;
                    c.text(MARGIN + 8, y, "note", "… and " + (plan.notStarted().size() - MAX_NOT_STARTED) + " more");
                    break;
                }
                y += 15;
                c.open("g", "class", "not-started");
                c.leaf("title", n.id() + " (" + n.reason() + "): " + n.why());
                c.text(MARGIN + 8, y, "note", n.id() + ": " + n.why());
                c.close("g");
            }
        }
        y += MARGIN;
        return document(c, Math.ceil(y));
    }

    private static List<Step> sorted(Schedule s) {
        List<Step> steps = new ArrayList<>(s.steps());
        steps.sort(StepOrder.BY_START);
        return steps;
    }

    private static String summary(Plan plan, List<Step> boot) {
        int waves = 0;
        for (Step s : boot) waves = Math.max(waves, s.wave() + 1);
        return boot.size() + " steps in " + waves + (waves == 1 ? " wave" : " waves") + ", up at "
                + Seconds.withUnit(plan.boot().finish()) + "; critical path of " + plan.boot().criticalPath().size()
                + (plan.boot().criticalPath().size() == 1 ? " step" : " steps")
                + (plan.shutdown().steps().isEmpty() ? "" : "; shutdown in " + Seconds.withUnit(plan.shutdown().finish()))
                + (plan.notStarted().isEmpty() ? "" : "; " + plan.notStarted().size() + " not started");
    }

    private static double legend(Canvas c, double y) {
        double x = MARGIN;
        double h = 10;
        double top = y - h + 1;
        c.rect(x, top, 26, h, "run service", 0);
        x = c.legendText(x + 32, y, "service");
        c.rect(x, top, 26, h, "run task", h / 2);
        x = c.legendText(x + 32, y, "task");
        c.rect(x, top + h / 4, 26, h / 2, "wait service", 0);
        x = c.legendText(x + 32, y, "waiting for what it needs");
        c.rect(x, top, 26, h, "run service critical", 0);
        c.line(x + 26, top + h / 2, x + 40, top + h / 2, "critical-line");
        x = c.legendText(x + 46, y, "critical path");
        c.rect(x, top - 2, 13, h + 4, "band even", 0);
        c.rect(x + 13, top - 2, 13, h + 4, "band odd", 0);
        c.rect(x, top - 2, 26, h + 4, "swatch-frame", 0);
        c.legendText(x + 32, y, "waves: where each wave's steps begin to start");
        return y + 4;
    }

    /** One schedule: header, axis, wave bands, rows, critical line. Returns the y below it. */
    private static double panel(Canvas c, String title, Schedule s, List<Step> steps, String finishWord, double y,
                                double labelW, double rowH) {
        c.text(MARGIN, y, "panel-title", title);
        y += 22;
        double x0 = MARGIN + labelW;
        double plotW = WIDTH - x0 - MARGIN - TAIL;
        double end = Math.max(s.finish(), 0);
        for (Step st : steps) end = Math.max(end, Math.max(st.up(), Math.max(st.start(), st.trigger())));
        double tick = NiceTicks.step(end, 12);
        double domain = Math.max(tick, Math.ceil(end / tick - 1e-9) * tick);
        Scale x = new Scale(x0, plotW / domain);
        double strip = 12; // above the rows: wave labels, clear of the bars
        double top = y + strip;
        double bottom = top + Math.max(1, steps.size()) * rowH;

        c.open("g", "class", "panel");
        bands(c, steps, x, domain, top - strip, bottom);
        axis(c, x, tick, domain, top - strip, bottom, steps.size() > 30);
        if (end > 0 && s.finish() > 0) {
            c.line(x.at(s.finish()), top - strip - 4, x.at(s.finish()), bottom + 4, "finish");
            c.text(x.at(s.finish()) - 3, bottom + (steps.size() > 30 ? 28 : 16), "finish-label",
                    finishWord + " at " + Seconds.withUnit(s.finish()));
        }
        Map<String, Integer> row = new HashMap<>();
        for (int i = 0; i < steps.size(); i++) row.putIfAbsent(steps.get(i).id(), i);
        java.util.Set<String> critical = new java.util.HashSet<>();
        for (Schedule.PathStep p : s.criticalPath()) critical.add(p.id());
        int maxChars = (int) Math.max(4, (labelW - 14) / CHAR);
        for (int i = 0; i < steps.size(); i++) {
            Step st = steps.get(i);
            boolean crit = critical.contains(st.id());
            String kind = st.task() ? "task" : "service";
            double cy = top + i * rowH + rowH / 2;
            double barH = rowH - 6;
            c.open("g", "class", "step " + kind + (crit ? " critical" : ""));
            c.leaf("title", tooltip(st, crit));
            c.text(x0 - 8, cy + 4, crit ? "label critical" : "label", shorten(st.id(), maxChars));
            if (st.start() > st.trigger()) {
                c.rect(x.at(st.trigger()), cy - barH / 4, x.width(st.start() - st.trigger()), barH / 2,
                        "wait " + kind + (crit ? " critical" : ""), 0);
            }
            double w = Math.max(x.width(st.up() - st.start()), 1.5);
            c.rect(x.at(st.start()), cy - barH / 2, w, barH, "run " + kind + (crit ? " critical" : ""),
                    st.task() ? barH / 2 : 1.5);
            c.text(x.at(st.start()) + w + 4, cy + 3.5, "duration", Seconds.withUnit(st.up() - st.start()));
            c.close("g");
        }
        criticalLine(c, s, row, x, top, rowH);
        c.close("g");
        return bottom + (steps.size() > 30 ? 30 : 16);
    }

    /**
     * Wave k's band runs from the first start among its steps to the first start of wave k+1. With
     * every duration 1 that is exactly [k, k+1); with real durations it marks where the wave begins,
     * and since every step of wave k+1 waits for one of wave k, the bands never overlap.
     */
    private static void bands(Canvas c, List<Step> steps, Scale x, double domain, double top, double bottom) {
        TreeMap<Integer, Double> first = new TreeMap<>();
        for (Step st : steps) first.merge(st.wave(), st.start(), Math::min);
        List<Double> starts = new ArrayList<>(first.values());
        List<Integer> waves = new ArrayList<>(first.keySet());
        double labelEnd = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < starts.size(); i++) {
            double from = starts.get(i);
            double to = i + 1 < starts.size() ? starts.get(i + 1) : domain;
            if (!(to > from)) continue;
            c.open("g", "class", "band " + (i % 2 == 0 ? "even" : "odd"));
            c.leaf("title", "wave " + waves.get(i) + ": from " + Seconds.withUnit(from));
            c.rect(x.at(from), top, x.width(to - from), bottom - top + 4, "band " + (i % 2 == 0 ? "even" : "odd"), 0);
            // a label only where it fits in its band and clear of the one before
            String label = "wave " + waves.get(i);
            double labelW = label.length() * 5.4 + 6;
            if (x.width(to - from) >= labelW && x.at(from) >= labelEnd) {
                c.text(x.at(from) + 3, top + 9, "wave-label", label);
                labelEnd = x.at(from) + labelW;
            }
            c.close("g");
        }
    }

    private static void axis(Canvas c, Scale x, double tick, double domain, double top, double bottom,
                             boolean labelsBelow) {
        int n = (int) Math.round(domain / tick);
        for (int i = 0; i <= n; i++) {
            double t = i * tick;
            double px = x.at(t);
            c.line(px, top - 3, px, bottom + 4, i == 0 ? "axis" : "grid");
            String label = Seconds.text(t) + (i == n ? " s" : "");
            c.text(px, top - 6, "tick", label);
            if (labelsBelow) c.text(px, bottom + 16, "tick", label);
        }
        c.line(x.at(0), bottom + 4, x.at(domain), bottom + 4, "axis");
    }

    /** From the end of each critical bar down to the next one's row, then across to its start. */
    private static void criticalLine(Canvas c, Schedule s, Map<String, Integer> row, Scale x, double top, double rowH) {
        StringBuilder d = new StringBuilder();
        Schedule.PathStep prev = null;
        for (Schedule.PathStep p : s.criticalPath()) {
            Integer r = row.get(p.id());
            if (r == null) continue;
            double cy = top + r * rowH + rowH / 2;
            if (prev != null) {
                double py = top + row.get(prev.id()) * rowH + rowH / 2;
                double px = x.at(prev.up());
                d.append(d.length() == 0 ? "" : " ").append("M").append(num(px)).append(' ').append(num(py))
                        .append(" V").append(num(cy)).append(" H").append(num(x.at(p.start())));
            }
            prev = p;
        }
        if (d.length() > 0) c.path(d.toString(), "critical-line");
    }

    private static String tooltip(Step st, boolean critical) {
        StringBuilder t = new StringBuilder(st.id());
        t.append(st.task() ? " (task)" : " (service)").append(critical ? ", on the critical path" : "").append('\n');
        t.append("start ").append(Seconds.withUnit(st.start())).append(", up ").append(Seconds.withUnit(st.up()));
        if (st.start() > st.trigger()) t.append(" (triggered at ").append(Seconds.withUnit(st.trigger())).append(')');
        t.append(", wave ").append(st.wave()).append('\n');
        if (st.because() != null) {
            t.append("because ").append(st.because().kind().label());
            if (st.because().by() != null) t.append(' ').append(st.because().by());
            if (st.because().condition() != null) t.append(": ").append(st.because().condition());
            t.append('\n');
        }
        if (st.waitsFor().isEmpty()) {
            t.append("waited for nothing");
        } else {
            t.append("waited for:");
            for (Wait w : st.waitsFor()) {
                t.append("\n  ").append(w.id()).append(" (").append(w.kind().label()).append(')');
                if (w.source() != null) t.append(" at ").append(w.source());
            }
        }
        return t.toString();
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "…";
    }

    private static String document(Canvas c, double height) {
        StringBuilder out = new StringBuilder();
        out.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"").append(num(WIDTH))
                .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(WIDTH)).append(' ')
                .append(num(height)).append("\" font-family=\"DejaVu Sans, Verdana, Arial, Helvetica, sans-serif\">\n");
        out.append("<style type=\"text/css\"><![CDATA[\n").append(STYLE).append("]]></style>\n");
        out.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"").append(num(WIDTH)).append("\" height=\"")
                .append(num(height)).append("\"/>\n");
        out.append(c.body);
        out.append("</svg>\n");
        return out.toString();
    }

    private static final String STYLE = String.join("\n",
            ".background { fill: #ffffff; }",
            "text { fill: #252525; font-size: 11px; }",
            ".title { font-size: 18px; font-weight: bold; }",
            ".subtitle { fill: #636363; font-size: 12px; }",
            ".panel-title { font-size: 14px; font-weight: bold; }",
            ".legend-text, .note { fill: #525252; font-size: 11px; }",
            ".label { text-anchor: end; }",
            ".label.critical { fill: #a50f15; font-weight: bold; }",
            ".tick { fill: #737373; font-size: 10px; text-anchor: middle; }",
            ".duration { fill: #969696; font-size: 9px; }",
            ".wave-label { fill: #9e9ac8; font-size: 9px; }",
            ".finish-label { fill: #a50f15; font-size: 10px; text-anchor: end; }",
            ".band.even { fill: #f2f0f7; }",
            ".band.odd { fill: #ffffff; }",
            ".swatch-frame { fill: none; stroke: #d9d9d9; stroke-width: 0.8; }",
            ".grid { stroke: #e0e0e0; stroke-width: 1; }",
            ".axis { stroke: #969696; stroke-width: 1; }",
            ".finish { stroke: #a50f15; stroke-width: 1; stroke-dasharray: 4 3; }",
            ".run.service { fill: #4e79a7; }",
            ".run.task { fill: #59a14f; }",
            ".run.critical { fill: #d62728; stroke: #67000d; stroke-width: 0.8; }",
            ".wait.service { fill: #c6dbef; }",
            ".wait.task { fill: #c7e9c0; }",
            ".wait.critical { fill: #fcbba1; }",
            ".critical-line { fill: none; stroke: #d62728; stroke-width: 1.6; stroke-linejoin: round; }",
            "");

    /** Seconds to x: {@code x0 + t * perSecond}. */
    private record Scale(double x0, double perSecond) {
        double at(double t) {
            return x0 + t * perSecond;
        }

        double width(double dt) {
            return Math.max(0, dt * perSecond);
        }
    }

    /** SVG numbers: two decimals at most, no exponent, so the bytes never depend on the platform. */
    static String num(double v) {
        if (!Double.isFinite(v)) return "0";
        BigDecimal d = BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).stripTrailingZeros();
        if (d.signum() == 0) return "0";
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** XML text and attribute values; characters XML 1.0 cannot hold become U+FFFD. */
    static String xml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            switch (cp) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&apos;"); break;
                default:
                    boolean ok = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
                            || (cp >= 0xE000 && cp <= 0xFFFD) || cp >= 0x10000;
                    b.appendCodePoint(ok ? cp : 0xFFFD);
            }
        });
        return b.toString();
    }

    /** The elements written so far, one per line, indented by nesting. */
    private static final class Canvas {
        final StringBuilder body = new StringBuilder();
        int depth = 0;

        void open(String tag, String attr, String value) {
            indent().append('<').append(tag).append(' ').append(attr).append("=\"").append(xml(value)).append("\">\n");
            depth++;
        }

        void close(String tag) {
            depth--;
            indent().append("</").append(tag).append(">\n");
        }

        void leaf(String tag, String text) {
            indent().append('<').append(tag).append('>').append(xml(text)).append("</").append(tag).append(">\n");
        }

        void text(double x, double y, String cls, String text) {
            indent().append("<text class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                    .append("\">").append(xml(text.replace('\n', ' '))).append("</text>\n");
        }

        double legendText(double x, double y, String text) {
            text(x, y, "legend-text", text);
            return x + text.length() * 6 + 22;
        }

        void rect(double x, double y, double w, double h, String cls, double rx) {
            indent().append("<rect class=\"").append(cls).append("\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                    .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h)).append('"');
            if (rx > 0) body.append(" rx=\"").append(num(Math.min(rx, w / 2))).append('"');
            body.append("/>\n");
        }

        void line(double x1, double y1, double x2, double y2, String cls) {
            indent().append("<line class=\"").append(cls).append("\" x1=\"").append(num(x1)).append("\" y1=\"")
                    .append(num(y1)).append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2)).append("\"/>\n");
        }

        void path(String d, String cls) {
            indent().append("<path class=\"").append(cls).append("\" d=\"").append(d).append("\"/>\n");
        }

        private StringBuilder indent() {
            for (int i = 0; i < depth; i++) body.append("  ");
            return body;
        }
    }
}
