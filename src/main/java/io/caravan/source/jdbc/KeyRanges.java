package io.caravan.source.jdbc;

/**
 * Cuts an integer key's span into consecutive ranges of about {@code targetRows} rows each, handed out in key order,
 * for reading a table on several connections at once. The first ranges assume one row per key value (dense keys,
 * as an auto-increment gives); once ranges are read, the width follows the density they showed (rows per key value),
 * and grows fourfold while every range read so far was empty. The range that reaches the span's largest key has no
 * upper bound, so rows added above it while the table is read are read too. Thread-safe.
 */
final class KeyRanges {

    /**
     * One range: keys {@code >= low} and, unless {@code high} is null, {@code < high}.
     *
     * @param low  the smallest key of the range
     * @param high the first key after it; null for the last range, which has no upper bound
     */
    record Range(long low, Long high) {
    }

    private final long max;
    private final long targetRows;
    private long next;
    private boolean exhausted;
    private long seenRows;
    private double seenWidth;
    private long lastWidth;

    /**
     * @param min        the smallest key to read
     * @param max        the largest key when the read starts, {@code >= min}
     * @param targetRows rows wanted per range, 1 or more
     */
    KeyRanges(long min, long max, long targetRows) {
        if (max < min || targetRows < 1) {
            throw new IllegalArgumentException("key span " + min + ".." + max + ", " + targetRows + " rows per range");
        }
        this.next = min;
        this.max = max;
        this.targetRows = targetRows;
    }

    /** @return the next range in key order; null once the unbounded last range was handed out */
    synchronized Range next() {
        if (exhausted) {
            return null;
        }
        long width = width();
        long room = max - next; // negative only when the difference overflowed: more room than any width
        if (room >= 0 && width > room) {
            exhausted = true;
            return new Range(next, null);
        }
        long low = next;
        next = low + width;
        lastWidth = width;
        return new Range(low, next);
    }

    /**
     * Records what a bounded range held, for the width of the ranges still to come.
     *
     * @param range a range {@link #next} gave
     * @param rows  rows read in it
     */
    synchronized void read(Range range, long rows) {
        if (range.high() != null) {
            seenRows += rows;
            seenWidth += range.high() - range.low(); // at most the width next() chose: no overflow
        }
    }

    /** @return the width of the next range: target rows over the density seen, at least 1 */
    private long width() {
        if (seenWidth == 0) {
            return targetRows;
        }
        if (seenRows == 0) {
            return lastWidth > Long.MAX_VALUE / 4 ? Long.MAX_VALUE : Math.max(targetRows, lastWidth * 4);
        }
        double width = targetRows * seenWidth / seenRows;
        return width >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1L, (long) width);
    }
}
