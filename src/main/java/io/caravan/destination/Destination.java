package io.caravan.destination;

import io.caravan.batch.Batch;

/**
 * Writes one run's batches of one table to one named destination (DESIGN §4). One instance per (run, destination),
 * used by one thread at a time, closed with the run.
 *
 * <p>Every write is idempotent by primary key (upsert, insert-if-absent, or a dump's snapshot published once), so
 * a batch replayed after a crash leaves no duplicates.
 */
public interface Destination extends AutoCloseable {

    /**
     * Writes and commits {@code batch}. For the run's last batch ({@link Batch#last()}) also finishes the run in the
     * same transaction: a dump publishes its snapshot, a mirror deletes rows gone at the source.
     *
     * @param batch the batch; never null
     * @throws DestinationException naming the job, table and destination; nothing of the batch is then committed
     */
    void write(Batch batch);

    /**
     * Makes every batch this writer committed durable (batches that are not {@link Batch#durable()} are committed
     * without waiting for the disk). Called when a run fails, so that the cursor can still move to the last batch
     * every destination committed.
     *
     * @throws DestinationException when the destination cannot confirm it (its server is gone, say)
     */
    void flush();

    /** Releases the connection; a batch not committed is rolled back. */
    @Override
    void close();
}
