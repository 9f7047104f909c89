package io.caravan.serve;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What serve mode knows about the jobs it runs and how to start one now: used by the HTTP API, the dashboard and
 * the metrics. Thread-safe.
 */
public interface JobControl {

    /**
     * One table of a job, as it stands now.
     *
     * @param table        table name as in the mapping; never null
     * @param mode         dumping, logging, syncing or mirroring (the mapping's word); never null
     * @param cron         the mapping's cron as written ({@code self-managed} or an expression); never null
     * @param destinations destination names the table writes to; never null
     * @param running      whether a run of the table is under way in this process
     * @param nextRun      next scheduled start; null for self-managed tables, a stopped route, or after cut-off
     *                     until midnight
     * @param lagSeconds   seconds between now and the table's committed bookmark (a time); null when the bookmark is
     *                     not a time or nothing is committed yet
     */
    record TableView(String table, String mode, String cron, List<String> destinations, boolean running,
                     Instant nextRun, Double lagSeconds) {
    }

    /**
     * One job.
     *
     * @param name    job name; never null
     * @param file    the mapping or route file that defines it; never null
     * @param active  whether this process runs the job (false when another replica holds the job's lock)
     * @param tables  its tables in mapping order; never null
     */
    record JobView(String name, String file, boolean active, List<TableView> tables) {
    }

    /** @return every loaded job, sorted by name */
    List<JobView> jobs();

    /**
     * @param name a job name
     * @return the job; empty when there is none of that name
     */
    Optional<JobView> job(String name);

    /**
     * Starts a run of the job's tables (or one table) now, in the background, unless one is already running.
     *
     * @param job   a job name; never null
     * @param table one table of the job; null for all its tables
     * @return the tables started (a table already running is left out)
     * @throws java.util.NoSuchElementException naming the job or table when there is none of that name
     * @throws IllegalStateException when this process does not hold the job (another replica runs it) or the
     *                               cut-off time has passed today
     */
    List<String> runNow(String job, String table);
}
