package dev.ordo.executor.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Generated ordo.yaml configurations for {@code ordo bench plan}. Every relation points to an earlier
 * job within a small window, so the configurations are acyclic and the plan is deep as well as wide,
 * as real boots are. The same size and seed give the same text.
 *
 * @param yaml the ordo.yaml text
 * @param edges {@code before after} lines for coreutils {@code tsort} (a job without edges appears
 *     as {@code job job}), or empty where the shape has no plain ordering equivalent
 */
record SyntheticConfig(String shape, int jobs, String yaml, String edges) {

    /** How far back a job may point: 1 to this many jobs earlier. */
    static final int WINDOW = 50;

    static String name(int i) {
        return String.format("j%06d", i);
    }

    /** Pure ordering: each job starts on {@code startup} and is {@code after} 0–3 earlier jobs. */
    static SyntheticConfig pure(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder y = new StringBuilder(n * 80).append("jobs:\n");
        StringBuilder e = new StringBuilder(n * 24);
        for (int i = 0; i < n; i++) {
            String me = name(i);
            y.append("  ").append(me).append(":\n    exec: sleep infinity\n    start_on: startup\n");
            List<String> after = earlier(r, i, r.nextInt(4));
            if (!after.isEmpty()) y.append("    after: [").append(String.join(", ", after)).append("]\n");
            if (after.isEmpty()) e.append(me).append(' ').append(me).append('\n');
            for (String a : after) e.append(a).append(' ').append(me).append('\n');
        }
        return new SyntheticConfig("pure", n, y.toString(), e.toString());
    }

    /**
     * Mixed: job events ({@code started X}, with {@code and}/{@code or}), {@code requires} and
     * {@code wants} with {@code after}, plain {@code after}, emitted events, {@code starting X} (which
     * holds X until the job is up), a few tasks and a few instance jobs (one instance per job event).
     */
    static SyntheticConfig mixed(int n, long seed) {
        Random r = new Random(seed);
        StringBuilder y = new StringBuilder(n * 100).append("jobs:\n");
        List<Integer> emitters = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String me = name(i);
            y.append("  ").append(me).append(":\n");
            int roll = i < 3 ? 0 : r.nextInt(100);
            if (roll < 15) { // plain ordering
                y.append("    start_on: startup\n");
                list(y, "after", earlier(r, i, r.nextInt(4)));
            } else if (roll < 40) { // started X
                y.append("    start_on: started ").append(pick(r, i)).append('\n');
                list(y, "after", earlier(r, i, r.nextInt(2)));
            } else if (roll < 50) { // and
                List<String> two = earlier(r, i, 2);
                y.append("    start_on: started ").append(two.get(0)).append(" and started ")
                        .append(two.get(two.size() - 1)).append('\n');
            } else if (roll < 58) { // or
                List<String> two = earlier(r, i, 2);
                y.append("    start_on: started ").append(two.get(0)).append(" or started ")
                        .append(two.get(two.size() - 1)).append('\n');
            } else if (roll < 70) { // requires + after
                List<String> req = earlier(r, i, 1 + r.nextInt(2));
                y.append("    start_on: startup\n");
                list(y, "requires", req);
                list(y, "after", req);
            } else if (roll < 78) { // wants + after
                List<String> w = earlier(r, i, 1);
                y.append("    start_on: startup\n");
                list(y, "wants", w);
                list(y, "after", w);
            } else if (roll < 84 && !emitters.isEmpty()) { // an emitted event
                int from = emitters.get(r.nextInt(emitters.size()));
                y.append("    start_on: ev-").append(name(from)).append('\n');
            } else if (roll < 88) { // inserted before an earlier job: that job waits until this one is up
                y.append("    start_on: starting ").append(pick(r, i)).append('\n');
            } else if (roll < 94) { // a task
                y.append("    task: true\n    start_on: started ").append(pick(r, i)).append('\n');
            } else if (roll < 97) { // instances: one per job event that starts it
                List<String> two = earlier(r, i, 2);
                y.append("    instance: $JOB\n    start_on: started ").append(two.get(0)).append(" or started ")
                        .append(two.get(two.size() - 1)).append('\n');
            } else { // emits an event others wait for
                y.append("    start_on: startup\n    emits: [ev-").append(me).append("]\n");
                emitters.add(i);
            }
            y.append("    exec: sleep infinity\n");
        }
        return new SyntheticConfig("mixed", n, y.toString(), "");
    }

    private static void list(StringBuilder y, String key, List<String> names) {
        if (!names.isEmpty()) y.append("    ").append(key).append(": [").append(String.join(", ", names)).append("]\n");
    }

    private static String pick(Random r, int i) {
        return name(i - 1 - r.nextInt(Math.min(i, WINDOW)));
    }

    /** Up to {@code k} distinct jobs among the {@link #WINDOW} before job {@code i}, in name order. */
    private static List<String> earlier(Random r, int i, int k) {
        Set<Integer> out = new LinkedHashSet<>();
        int span = Math.min(i, WINDOW);
        for (int t = 0; t < k && span > 0; t++) out.add(i - 1 - r.nextInt(span));
        List<Integer> sorted = new ArrayList<>(out);
        sorted.sort(null);
        List<String> names = new ArrayList<>();
        for (int x : sorted) names.add(name(x));
        return names;
    }
}
