package io.caravan.state;

/**
 * Where cursors live between runs. One row per (job, table). Implementations are thread-safe: tables of one job
 * commit from different threads.
 *
 * <p>The contract that keeps rows from being lost or written twice (DESIGN §3): a cursor is committed only after
 * every destination has committed the batch it ends, in page order; a crash replays at most the batch in flight.
 */
public interface CursorStore extends AutoCloseable {

    /**
     * @param job   job name; never null
     * @param table table name as in the mapping; never null
     * @return the table's state; {@link TableState#EMPTY} when the table has never committed anything
     * @throws StateException when the store cannot be read
     */
    TableState load(String job, String table);

    /**
     * Stores {@code cursor} as the table's position. A store may lose the last commits on a crash (the embedded
     * store writes them within half a second): that only replays batches, which every destination writes
     * idempotently, so it costs time, never rows.
     *
     * @param job    job name; never null
     * @param table  table name; never null
     * @param cursor the new position; never null
     * @throws StateException when the store cannot be written
     */
    void commit(String job, String table, Cursor cursor);

    /**
     * Records that a run of the table finished with every destination up to date.
     *
     * @param job     job name; never null
     * @param table   table name; never null
     * @param ceiling the source clock at the run's start (timestamptz literal); never null
     * @throws StateException when the store cannot be written
     */
    void markSuccess(String job, String table, String ceiling);

    /**
     * Forgets the table's cursor, so that the next run reads everything again.
     *
     * @throws StateException when the store cannot be written
     */
    void reset(String job, String table);

    /** Releases connections. */
    @Override
    void close();
}
