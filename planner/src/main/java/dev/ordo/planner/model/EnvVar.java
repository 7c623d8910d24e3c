package dev.ordo.planner.model;

import dev.ordo.planner.diag.Source;

/**
 * A variable in a job's environment. {@code value == null} means "take it from the supervisor's own
 * environment" (Upstart's {@code env KEY}).
 */
public record EnvVar(String key, String value, Source source) {

    /**
     * {@code K=V} words put into {@code into}, in order, a later one over an earlier; a word without a name before
     * its {@code =} is not a variable and is left out. Returns {@code into}.
     */
    public static java.util.Map<String, String> putAll(java.util.Map<String, String> into, java.util.List<String> words) {
        for (String kv : words) {
            int eq = kv.indexOf('=');
            if (eq > 0) into.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return into;
    }
}
