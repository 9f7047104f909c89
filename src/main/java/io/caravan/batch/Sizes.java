package io.caravan.batch;

import java.util.Locale;

/** Byte counts for people: the run summary, Slack messages. */
public final class Sizes {

    private Sizes() {
    }

    /**
     * @param n a number of bytes, 0 or more
     * @return {@code n} in B, kB, MB, GB or TB (1024 apart), one decimal above 1 kB, e.g. {@code 117.7 MB}
     */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
