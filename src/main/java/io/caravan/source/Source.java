package io.caravan.source;

import io.caravan.batch.TableRun;

/**
 * Reads one table of a job (DESIGN §4). Implementations describe the table, read the source's clock (the run's
 * ceiling), plan the read from the mode and the stored cursor, and stream the rows in batches.
 */
public interface Source {

    /**
     * Starts a run's read: calls {@link TableRun#begin} with the table's shape and the ceiling, then streams.
     *
     * @param run the run; its cursor store gives the starting point; never null
     * @return the batches; the caller closes it
     * @throws SourceException naming the job, table and source when the source cannot be reached or described
     */
    BatchStream read(TableRun run);
}
