package io.caravan.state;

/**
 * What the cursor store knows about one table of one job.
 *
 * @param cursor             the committed cursor; null before the first committed batch
 * @param lastSuccessCeiling source clock (timestamptz literal) at the start of the last successful run; null if none
 */
public record TableState(Cursor cursor, String lastSuccessCeiling) {
    /** The state of a table never run. */
    public static final TableState EMPTY = new TableState(null, null);
}
