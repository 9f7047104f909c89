package io.caravan.runtime;

import io.caravan.batch.TableRun;

/**
 * Told about every table run of the process: the run store records them, Slack posts them, metrics count them.
 * Called on the run's own thread; an implementation must be quick and must never throw (a failing listener is
 * logged and skipped, it never fails the run).
 */
public interface RunListener {

    /** @param run a run that has just started: its cursor before is known, nothing read yet */
    default void started(TableRun run) {
    }

    /**
     * @param run a run that has ended: {@link TableRun#status()} is SUCCEEDED, FAILED or CUT_OFF, its writers are
     *            closed, {@link TableRun#cursorAfter()} and {@link TableRun#nextAttempt()} are set
     */
    void finished(TableRun run);

    /**
     * Called when a table's start is refused because the settings' cut-off time has passed (possibly many times a
     * day per job: an implementation that posts should post once per job and day).
     *
     * @param job       the job
     * @param resumesAt when runs may start again (the next midnight in the settings' time zone)
     */
    default void cutOff(String job, java.time.ZonedDateTime resumesAt) {
    }
}
