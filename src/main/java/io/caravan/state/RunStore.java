package io.caravan.state;

import java.util.List;
import java.util.Optional;

/**
 * Where run statistics live (the seed's {@code dashboard_store}): every run of every table, with its destinations.
 * Implementations are thread-safe. Used by serve mode's HTTP API, dashboard and metrics.
 *
 * <p>Instants are kept to the millisecond: {@link #find} and {@link #list} return {@link RunRecord#started()} and
 * {@link RunRecord#ended()} truncated to milliseconds (MongoDB's dates have no finer unit). Destinations come back in
 * the order they were saved. Implementations: {@link JdbcRunStore} (H2, PostgreSQL, MariaDB/MySQL) and
 * {@link MongoRunStore}; {@link RunStores#open} picks one from the settings.
 */
public interface RunStore extends AutoCloseable {

    /**
     * Inserts or replaces the run with the same id (a run is saved when it starts and again when it ends).
     *
     * @param run the run's record; never null
     * @throws StateException when the store cannot be written
     */
    void save(RunRecord run);

    /**
     * @param id a run id
     * @return the run, with its destinations; empty when unknown
     * @throws StateException when the store cannot be read
     */
    Optional<RunRecord> find(String id);

    /**
     * @param job    only this job's runs; null for all
     * @param table  only this table's runs; null for all
     * @param status only runs with this status word; null for all
     * @param limit  most runs returned, newest first (by start; runs started in the same millisecond by id,
     *               descending); at least 1
     * @return matching runs, newest first; empty when none match
     * @throws IllegalArgumentException when {@code limit} is less than 1
     * @throws StateException when the store cannot be read
     */
    List<RunRecord> list(String job, String table, String status, int limit);

    /** Releases connections. Idempotent; every other method throws {@link StateException} afterwards. */
    @Override
    void close();
}
