package io.caravan.destination.redshift;

import io.caravan.batch.RowData;
import io.caravan.batch.TableShape;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Fills a staging table with a batch's rows, inside the batch's transaction. The Redshift destination's loader
 * (S3StageLoader) writes the rows to S3 as Parquet and runs {@code COPY}; the PostgreSQL tests' loader inserts
 * them. A loader is used by one destination writer, one thread at a time.
 */
public interface StageLoader extends AutoCloseable {

    /**
     * @param connection the destination's connection, in the batch's transaction; never null
     * @param stage      the staging table, quoted, created empty with the shape's columns in order; never null
     * @param shape      the rows' columns; never null
     * @param rows       the rows, 1 or more; never null
     * @param name       a name for what the load leaves outside the database (an S3 object): relative path of
     *                   {@code [A-Za-z0-9._=/-]} characters, unique per run, target and batch; never null
     * @throws SQLException when the database refuses the load
     * @throws java.io.UncheckedIOException when the rows cannot be staged outside the database (S3 refuses)
     */
    void load(Connection connection, String stage, TableShape shape, RowData rows, String name) throws SQLException;

    /**
     * Removes what the loads since the last call left outside the database. Called once the batch's transaction has
     * committed or rolled back; the staged objects are then needed no more.
     *
     * @throws java.io.UncheckedIOException when they cannot be removed
     */
    void cleanUp();

    /** Releases the loader's clients; nothing staged is kept. */
    @Override
    void close();
}
