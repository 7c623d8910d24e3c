package dev.ordo.planner.diag;

import java.util.Collection;
import java.util.Locale;

/** "Did you mean" hints: the closest known name within a small edit distance. */
public final class Suggest {

    private Suggest() {
    }

    /** The closest candidate to {@code word}, or null when none is close enough to be a likely typo. */
    public static String closest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String c : candidates) {
            int d = distance(w, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance || (d == bestDistance && best != null && c.compareTo(best) < 0)) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null) return null;
        int allowed = Math.max(1, Math.min(3, word.length() / 3));
        if (bestDistance <= allowed) return best;
        // Same letters with '-' and '_' swapped (pre-start vs pre_start) count as a match.
        if (best.replace('-', '_').equalsIgnoreCase(word.replace('-', '_'))) return best;
        return null;
    }

    /** {@code did you mean `x`?}, or null. */
    public static String hint(String word, Collection<String> candidates) {
        String c = closest(word, candidates);
        return c == null ? null : "did you mean `" + c + "`?";
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
