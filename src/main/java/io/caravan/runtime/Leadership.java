package io.caravan.runtime;

/**
 * Whether this process runs a job, when several serve processes share one state store: each job runs on exactly one
 * of them (DESIGN §4, "Scale beyond one machine"). Thread-safe.
 */
public interface Leadership {

    /** Every job runs here: one process, or {@code cluster.lock: none}. */
    Leadership ALONE = job -> true;

    /**
     * @param job a job name
     * @return true when this process holds the job and may start its runs
     */
    boolean holds(String job);
}
