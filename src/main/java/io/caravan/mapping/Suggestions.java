package io.caravan.mapping;

import java.util.Collection;
import java.util.Locale;

/** Finds the known name nearest to a misspelt one, for "did you mean" hints. */
final class Suggestions {

    /** Largest edit distance still suggested: {@code bookmrk} finds {@code bookmark}, {@code colour} finds nothing. */
    static final int MAX_DISTANCE = 3;

    private Suggestions() {
    }

    /**
     * @param unknown the name as written
     * @param known   the allowed names
     * @return the allowed name at the smallest Levenshtein distance (ignoring case), when that distance is at most
     *         {@link #MAX_DISTANCE}; else null. Ties go to the name listed first.
     */
    static String nearest(String unknown, Collection<String> known) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String candidate : known) {
            int distance = distance(unknown.toLowerCase(Locale.ROOT), candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** @return the Levenshtein distance of {@code a} and {@code b} (insertions, deletions, substitutions) */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
