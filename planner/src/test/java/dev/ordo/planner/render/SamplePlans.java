package dev.ordo.planner.render;

import dev.ordo.planner.diag.Source;
import dev.ordo.planner.plan.Because;
import dev.ordo.planner.plan.EdgeKind;
import dev.ordo.planner.plan.Goal;
import dev.ordo.planner.plan.NotStarted;
import dev.ordo.planner.plan.Plan;
import dev.ordo.planner.plan.Schedule;
import dev.ordo.planner.plan.Step;
import dev.ordo.planner.plan.Wait;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/** Plans built by hand for the renderer tests, and a large generated one. */
final class SamplePlans {

    /** A job name every format has to escape. */
    static final String WEIRD = "x<&\"y\">:#(z);";

    private SamplePlans() {
    }

    private static Source at(String file, int line) {
        return new Source("/etc/init/" + file, line, 1);
    }

    private static Step step(String id, boolean task, int wave, double trigger, double start, double up,
                             Because because, Wait... waits) {
        String job = id.contains(" (") ? id.substring(0, id.indexOf(" (")) : id;
        String instance = id.contains(" (") ? id.substring(id.indexOf(" (") + 2, id.length() - 1) : "";
        return new Step(id, job, instance, task, wave, trigger, start, up, List.of(waits), because);
    }

    /**
     * A small boot: mountall (task) and udev at once; dbus when mountall stopped and udev started;
     * network-manager requires dbus; a getty instance on an emitted event; a goal job with an awkward
     * name held by dbus. Shutdown in reverse. One job does not start.
     */
    static Plan small() {
        Because startup = new Because(EdgeKind.EVENT, "startup", "startup", at("udev.conf", 3));
        List<Step> boot = List.of(
                step("mountall", true, 0, 0, 0, 2.0, startup),
                step("udev", false, 0, 0, 0, 0.5, startup),
                step("getty (tty1)", false, 1, 0.5, 0.5, 0.7,
                        new Because(EdgeKind.EVENT, "tty-added TTY=tty1", "tty-added", at("getty.conf", 2)),
                        new Wait("udev", EdgeKind.EMITS, at("udev.conf", 5))),
                step("dbus", false, 1, 2.0, 2.0, 2.5,
                        new Because(EdgeKind.STOPPED, "mountall", "stopped mountall and started udev", at("dbus.conf", 4)),
                        new Wait("mountall", EdgeKind.STOPPED, at("dbus.conf", 4)),
                        new Wait("udev", EdgeKind.STARTED, at("dbus.conf", 4))),
                step("network-manager", false, 2, 2.5, 2.5, 4.0,
                        new Because(EdgeKind.REQUIRES, "dbus", null, at("network-manager.conf", 7)),
                        new Wait("dbus", EdgeKind.AFTER, at("network-manager.conf", 8)),
                        new Wait("dbus", EdgeKind.REQUIRES, at("network-manager.conf", 7)),
                        new Wait("udev", EdgeKind.WANTS, at("network-manager.conf", 9))),
                step(WEIRD, false, 2, 0, 2.5, 3.0,
                        new Because(EdgeKind.GOAL, null, null, null),
                        new Wait("dbus", EdgeKind.HELD, at("weird.conf", 2))));
        Schedule bootSchedule = new Schedule(boot,
                List.of(List.of("mountall", "udev"), List.of("dbus", "getty (tty1)"), List.of("network-manager", WEIRD)),
                List.of(new Schedule.PathStep("mountall", 0, 2.0, null),
                        new Schedule.PathStep("dbus", 2.0, 2.5, EdgeKind.STOPPED),
                        new Schedule.PathStep("network-manager", 2.5, 4.0, EdgeKind.REQUIRES)),
                4.0);
        Because stop = new Because(EdgeKind.GOAL, null, null, null);
        List<Step> down = List.of(
                step("getty (tty1)", false, 0, 0, 0, 0.1, stop),
                step("network-manager", false, 0, 0, 0, 0.5, stop),
                step(WEIRD, false, 0, 0, 0, 0.2, stop),
                step("dbus", false, 1, 0, 0.5, 0.7, stop,
                        new Wait("network-manager", EdgeKind.REVERSE, null),
                        new Wait(WEIRD, EdgeKind.REVERSE, null)),
                step("udev", false, 2, 0, 0.7, 0.8, stop,
                        new Wait("dbus", EdgeKind.REVERSE, null),
                        new Wait("getty (tty1)", EdgeKind.REVERSE, null)));
        Schedule shutdown = new Schedule(down,
                List.of(List.of("getty (tty1)", "network-manager", WEIRD), List.of("dbus"), List.of("udev")),
                List.of(new Schedule.PathStep("network-manager", 0, 0.5, null),
                        new Schedule.PathStep("dbus", 0.5, 0.7, EdgeKind.REVERSE),
                        new Schedule.PathStep("udev", 0.7, 0.8, EdgeKind.REVERSE)),
                0.8);
        return new Plan(new Goal(List.of(new Goal.GoalEvent("startup", List.of())), List.of(WEIRD), List.of()),
                bootSchedule, shutdown,
                List.of(new NotStarted("plymouth-splash", "no-trigger", "waits for `splash-ready`, which nothing emits")),
                List.of(), List.of("events in `emits` happen when the job is up"));
    }

    /**
     * {@code n} steps, each waiting for up to three earlier ones with a random kind, durations from
     * 0.05 to 3 s; times, waves and the critical path computed the way the planner defines them.
     */
    static Plan large(int n, long seed) {
        Random r = new Random(seed);
        EdgeKind[] kinds = {EdgeKind.AFTER, EdgeKind.REQUIRES, EdgeKind.STARTED, EdgeKind.WANTS, EdgeKind.STOPPED};
        String[] names = new String[n];
        double[] start = new double[n];
        double[] up = new double[n];
        int[] wave = new int[n];
        int[] pred = new int[n];
        EdgeKind[] via = new EdgeKind[n];
        List<List<Wait>> waits = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names[i] = String.format("job-%03d%s", i, i % 7 == 0 ? ".service" : "");
            List<Wait> w = new ArrayList<>();
            pred[i] = -1;
            int k = i == 0 ? 0 : r.nextInt(i < 5 ? 1 : 4);
            TreeMap<Integer, EdgeKind> on = new TreeMap<>();
            for (int j = 0; j < k; j++) on.put(Math.max(0, i - 1 - r.nextInt(Math.min(i, 25))), kinds[r.nextInt(kinds.length)]);
            for (var e : on.entrySet()) {
                int p = e.getKey();
                w.add(new Wait(names[p], e.getValue(), null));
                if (pred[i] < 0 || up[p] > start[i]) {
                    start[i] = up[p];
                    pred[i] = p;
                    via[i] = e.getValue();
                }
                wave[i] = Math.max(wave[i], wave[p] + 1);
            }
            up[i] = start[i] + 0.05 + Math.round(r.nextDouble() * 2950) / 1000.0;
            waits.add(w);
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            waits.get(i).sort(Comparator.comparing(Wait::id).thenComparing(Wait::kind));
            steps.add(new Step(names[i], names[i], "", i % 5 == 3, wave[i], Math.max(0, start[i] - (i % 3) * 0.4),
                    start[i], up[i], waits.get(i),
                    new Because(i == 0 ? EdgeKind.GOAL : EdgeKind.EVENT, i == 0 ? null : "startup", null, null)));
        }
        steps.sort(StepOrder.BY_START);
        int last = 0;
        for (int i = 0; i < n; i++) if (up[i] > up[last]) last = i;
        List<Schedule.PathStep> path = new ArrayList<>();
        for (int i = last; i >= 0; i = pred[i]) {
            path.add(0, new Schedule.PathStep(names[i], start[i], up[i], pred[i] < 0 ? null : via[i]));
        }
        TreeMap<Integer, List<String>> waves = new TreeMap<>();
        for (int i = 0; i < n; i++) waves.computeIfAbsent(wave[i], x -> new ArrayList<>()).add(names[i]);
        waves.values().forEach(l -> l.sort(null));
        Schedule boot = new Schedule(steps, new ArrayList<>(waves.values()), path, up[last]);
        // shutdown: the first (up to) 20 stop one after another, in reverse; the rest at once
        int chain = Math.min(20, n);
        List<Step> down = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double s = i < chain ? (chain - 1 - i) * 0.3 : 0;
            List<Wait> w = i < chain - 1 ? List.of(new Wait(names[i + 1], EdgeKind.REVERSE, null)) : List.of();
            down.add(new Step(names[i], names[i], "", false, i < chain ? chain - 1 - i : 0, 0, s, s + 0.3, w,
                    new Because(EdgeKind.GOAL, null, null, null)));
        }
        down.sort(StepOrder.BY_START);
        List<Schedule.PathStep> dpath = new ArrayList<>();
        for (int i = chain - 1; i >= 0; i--) {
            dpath.add(new Schedule.PathStep(names[i], (chain - 1 - i) * 0.3, (chain - 1 - i) * 0.3 + 0.3,
                    i == chain - 1 ? null : EdgeKind.REVERSE));
        }
        Schedule shutdown = new Schedule(down, List.of(), dpath, chain * 0.3);
        return new Plan(new Goal(List.of(new Goal.GoalEvent("startup", List.of())), List.of(), List.of()),
                boot, shutdown, List.of(new NotStarted("never", "no-trigger", "waits for `nothing`")), List.of(), List.of());
    }
}
