package io.caravan.runtime;

import java.time.Instant;

/** What serve mode can do with a table whose route runs in this process. Thread-safe. */
public interface TableControl {

    /**
     * Starts a run in the background now, unless one is under way or the cut-off time has passed today.
     *
     * @param why what asks for the run, for the log, e.g. {@code run-now from the HTTP API}
     * @return true when a run started; false when one is under way or it is past the cut-off
     */
    boolean runNow(String why);

    /** @return whether the table is self-managed: it runs once when its route starts, not on a cron */
    boolean selfManaged();

    /** @return whether a run of the table is under way */
    boolean running();

    /** @return the next scheduled start; null for a self-managed table or when not scheduled */
    Instant nextRun();
}
