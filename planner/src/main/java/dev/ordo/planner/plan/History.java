package dev.ordo.planner.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The executor's history of start durations (docs/plan-format.md): one JSON object per line,
 * {@code {"job":"dbus","instance":"","seconds":0.31}}; other fields are allowed and ignored. The executor rotates
 * it like its logs ({@code history.jsonl.1}, …), so the durations may come from several files.
 */
public final class History {

    private static final ObjectMapper JSON = new ObjectMapper();

    private History() {
    }

    /**
     * The median duration by step id ({@code job} or {@code job (instance)}) and by job name (over all
     * its instances). Blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line that is not a history record
     */
    public static Map<String, Double> medians(List<String> lines) {
        Samples s = new Samples();
        s.add(lines);
        return s.medians();
    }

    /**
     * The durations of one or more history files (the executor rotates its history like its logs): each file's
     * lines are added in turn, so that an error names a line of that file.
     */
    public static final class Samples {

        private final Map<String, List<Double>> byKey = new TreeMap<>();

        /**
         * Adds a file's records. Blank lines are skipped.
         *
         * @throws IllegalArgumentException naming the line of {@code lines} that is not a history record
         */
        public void add(List<String> lines) {
            int n = 0;
            for (String line : lines) {
                n++;
                if (line.isBlank()) continue;
                JsonNode o;
                try {
                    o = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("line " + n + " is not JSON");
                }
                if (o == null || !o.isObject() || !o.path("job").isTextual() || !o.path("seconds").isNumber()) {
                    throw new IllegalArgumentException("line " + n + " is not a history record {\"job\":…,\"seconds\":…}");
                }
                double s = o.path("seconds").asDouble();
                if (s < 0 || Double.isNaN(s) || Double.isInfinite(s)) {
                    throw new IllegalArgumentException("line " + n + ": seconds must be a number ≥ 0");
                }
                String job = o.path("job").asText();
                String instance = o.path("instance").asText("");
                byKey.computeIfAbsent(Step.id(job, instance), k -> new ArrayList<>()).add(s);
                if (!instance.isEmpty()) byKey.computeIfAbsent(job, k -> new ArrayList<>()).add(s);
            }
        }

        /** The median duration by step id and by job name, of everything added. */
        public Map<String, Double> medians() {
            Map<String, Double> out = new TreeMap<>();
            for (Map.Entry<String, List<Double>> e : byKey.entrySet()) out.put(e.getKey(), median(e.getValue()));
            return out;
        }
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
