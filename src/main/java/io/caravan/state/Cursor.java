package io.caravan.state;

/**
 * The persisted position of one table of one job: where the next run starts reading.
 * Values are kept as PostgreSQL text literals of the column's own type, at full precision
 * ({@code 2024-05-01 10:00:00.123456+00} for a timestamptz bookmark).
 *
 * @param phase         {@link Phase#INITIAL} while the first full read (ordered by primary key) is under way,
 *                      {@link Phase#INCREMENTAL} after it; never null
 * @param bookmarkValue last committed bookmark value; null in logging mode and during the initial phase
 * @param keyValue      last committed primary key value; null when the bookmark bound is inclusive
 *                      (every row with {@code bookmark >= bookmarkValue} is read again)
 * @param initialCeiling source clock at the start of the initial phase (a timestamptz literal); null in the
 *                      incremental phase
 */
public record Cursor(Phase phase, String bookmarkValue, String keyValue, String initialCeiling) {

    /** Where a table stands in its life. */
    public enum Phase { INITIAL, INCREMENTAL }

    /**
     * @param keyValue       last primary key committed during the initial phase; null before the first batch
     * @param initialCeiling source clock when the initial phase began; never null
     * @return an initial-phase cursor
     */
    public static Cursor initial(String keyValue, String initialCeiling) {
        return new Cursor(Phase.INITIAL, null, keyValue, initialCeiling);
    }

    /**
     * @param bookmarkValue bookmark of the last committed row; null in logging mode
     * @param keyValue      primary key of the last committed row; null for an inclusive bookmark bound
     * @return an incremental-phase cursor
     */
    public static Cursor incremental(String bookmarkValue, String keyValue) {
        return new Cursor(Phase.INCREMENTAL, bookmarkValue, keyValue, null);
    }
}
