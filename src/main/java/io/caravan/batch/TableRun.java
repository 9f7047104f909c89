package io.caravan.batch;

import io.caravan.mapping.JobMapping;
import io.caravan.mapping.TableSpec;
import io.caravan.state.CursorStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * One run of one table of a job: what the source read, the destinations' writers and counters, and the outcome.
 * Shared by the source, the route's steps and the sinks; thread-safe.
 */
public final class TableRun implements AutoCloseable {

    /**
     * Outcome of a run. {@code CUT_OFF}: the settings' {@code cut_off_time} stopped the run at a batch boundary,
     * with the cursor of the last committed batch kept (DMS seed, "Settings"). {@code STOPPED}: its route was
     * stopped (a reload, a shutdown, Ctrl-C) and the run ended at a batch boundary the same way.
     */
    public enum Status { RUNNING, SUCCEEDED, FAILED, CUT_OFF, STOPPED }

    private final String id = UUID.randomUUID().toString();
    private final JobMapping mapping;
    private final TableSpec table;
    private final CursorStore cursorStore;
    private final Instant started = Instant.now();
    private final AtomicLong rowsRead = new AtomicLong();
    private final AtomicLong bytesRead = new AtomicLong();
    private final Map<String, DestinationStats> stats = new LinkedHashMap<>();
    private final Map<String, AutoCloseable> writers = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile TableShape shape;
    private volatile String ceiling;
    private volatile KeySource keySource;
    private volatile long estimatedRows = -1;
    private volatile Status status = Status.RUNNING;
    private volatile Throwable error;
    private volatile Instant finished;
    private volatile io.caravan.state.Cursor pendingCursor;
    private volatile java.util.function.Supplier<Map<String, Long>> castFallbacks = Map::of;
    private volatile io.caravan.state.Cursor cursorBefore;
    private volatile io.caravan.state.Cursor cursorAfter;
    private volatile Status stopOutcome;
    private volatile Instant nextAttempt;
    private volatile int attempt = 1;

    /**
     * @param mapping     the job; never null
     * @param table       the table of the job; never null
     * @param cursorStore where the table's cursor lives; never null
     */
    public TableRun(JobMapping mapping, TableSpec table, CursorStore cursorStore) {
        this.mapping = mapping;
        this.table = table;
        this.cursorStore = cursorStore;
    }

    /** @return a random id of the run */
    public String id() {
        return id;
    }

    /** @return the job's name */
    public String job() {
        return mapping.name();
    }

    /** @return the job's mapping; never null */
    public JobMapping mapping() {
        return mapping;
    }

    /** @return the table of the mapping this run moves; never null */
    public TableSpec table() {
        return table;
    }

    /** @return where the table's cursor lives; never null */
    public CursorStore cursorStore() {
        return cursorStore;
    }

    /** @return when the run started (this machine's clock) */
    public Instant started() {
        return started;
    }

    /** @return the source table's shape; null until the source has described it */
    public TableShape shape() {
        return shape;
    }

    /**
     * @param shape   the columns as read; never null
     * @param ceiling the source clock when the run began (timestamptz literal), the upper bound of bookmarks read
     * @param keys    the source's keys for mirroring; may be null when the mode does not delete
     */
    public void begin(TableShape shape, String ceiling, KeySource keys) {
        this.shape = shape;
        this.ceiling = ceiling;
        this.keySource = keys;
    }

    /** @return the source clock at the run's start (timestamptz literal); null before {@link #begin} */
    public String ceiling() {
        return ceiling;
    }

    /** @return the source's keys, for mirroring; null when not available */
    public KeySource keySource() {
        return keySource;
    }

    /** @param rows the planner's estimate of rows to read; -1 when unknown */
    public void estimate(long rows) {
        this.estimatedRows = rows;
    }

    /** @return the planner's estimate of rows to read; -1 when unknown */
    public long estimatedRows() {
        return estimatedRows;
    }

    /**
     * @param counts gives field name to the number of its values whose {@code fields} cast fell back to the seed's
     *               default in this run (see {@code io.caravan.source.FieldCasts}); never null
     */
    public void castFallbacks(java.util.function.Supplier<Map<String, Long>> counts) {
        this.castFallbacks = counts;
    }

    /** @return field name to the number of its values that fell back to the seed's default; empty when none */
    public Map<String, Long> castFallbacks() {
        return castFallbacks.get();
    }

    /** Counts rows read from the source. */
    public void addRead(long rows, long bytes) {
        rowsRead.addAndGet(rows);
        bytesRead.addAndGet(bytes);
    }

    /** @return rows handed to the route so far */
    public long rowsRead() {
        return rowsRead.get();
    }

    /** @return bytes of rows handed to the route so far */
    public long bytesRead() {
        return bytesRead.get();
    }

    /** @return the counters of {@code destination}, created on first use */
    public synchronized DestinationStats stats(String destination) {
        return stats.computeIfAbsent(destination, d -> new DestinationStats());
    }

    /** @return a copy of every destination's counters, in the order destinations first wrote */
    public synchronized Map<String, DestinationStats> allStats() {
        return new LinkedHashMap<>(stats);
    }

    /**
     * @param destination destination name
     * @param open        creates the writer on first use
     * @param <W>         writer type
     * @return the destination's writer for this run; closed with the run
     */
    @SuppressWarnings("unchecked")
    public synchronized <W extends AutoCloseable> W writer(String destination, Function<String, W> open) {
        return (W) writers.computeIfAbsent(destination, open);
    }

    /** @return the writers opened so far, in the order destinations first wrote */
    public synchronized List<AutoCloseable> writers() {
        return new ArrayList<>(writers.values());
    }

    /**
     * @param cursor the cursor of the last batch every destination committed without making it durable; null once
     *               a durable batch's cursor is committed
     */
    public void pendingCursor(io.caravan.state.Cursor cursor) {
        this.pendingCursor = cursor;
    }

    /** @return the cursor waiting for the destinations' commits to be durable; null when none */
    public io.caravan.state.Cursor pendingCursor() {
        return pendingCursor;
    }

    /** @param resource closed with the run, after the writers, in the reverse order of registration */
    public synchronized void register(AutoCloseable resource) {
        resources.add(resource);
    }

    /** @param cursor the table's committed cursor when the run started; null when the table had none */
    public void cursorBefore(io.caravan.state.Cursor cursor) {
        this.cursorBefore = cursor;
    }

    /** @return the table's committed cursor when the run started; null when the table had none */
    public io.caravan.state.Cursor cursorBefore() {
        return cursorBefore;
    }

    /** @param cursor the table's committed cursor when the run ended; null when the table has none */
    public void cursorAfter(io.caravan.state.Cursor cursor) {
        this.cursorAfter = cursor;
    }

    /** @return the table's committed cursor when the run ended; null while running or when the table has none */
    public io.caravan.state.Cursor cursorAfter() {
        return cursorAfter;
    }

    /**
     * Asks the run to stop at the next batch boundary: the batch stream ends after the batch in flight, whose cursor
     * is committed as usual, and the run then ends with {@code outcome} ({@link #endStopped()}). The first request
     * wins.
     *
     * @param outcome {@link Status#CUT_OFF} or {@link Status#STOPPED}
     */
    public void requestStop(Status outcome) {
        if (stopOutcome == null) {
            stopOutcome = outcome;
        }
    }

    /** @return whether {@link #requestStop} was called */
    public boolean stopRequested() {
        return stopOutcome != null;
    }

    /** Ends a running run that was asked to stop with the outcome asked for; otherwise does nothing. */
    public void endStopped() {
        if (status == Status.RUNNING && stopOutcome != null) {
            status = stopOutcome;
            finished = Instant.now();
        }
    }

    /** @param when when the table is tried again (a retry or its next schedule); null when not scheduled */
    public void nextAttempt(Instant when) {
        this.nextAttempt = when;
    }

    /** @return when the table is tried again; null when unknown or not scheduled */
    public Instant nextAttempt() {
        return nextAttempt;
    }

    /** @param attempt 1 for the first attempt of a scheduled run, 2 for its first retry, and so on */
    public void attempt(int attempt) {
        this.attempt = attempt;
    }

    /** @return 1 for the first attempt of a scheduled run, 2 for its first retry, and so on */
    public int attempt() {
        return attempt;
    }

    /** @return when the run finished (this machine's clock); null while running */
    public Instant finished() {
        return finished;
    }

    /** Marks the run succeeded. */
    public void succeed() {
        status = Status.SUCCEEDED;
        finished = Instant.now();
    }

    /** @param cause why the run failed; never null */
    public void fail(Throwable cause) {
        if (status != Status.FAILED) {
            error = cause;
            status = Status.FAILED;
            finished = Instant.now();
        }
    }

    /** @return the run's outcome so far */
    public Status status() {
        return status;
    }

    /** @return why the run failed; null unless {@link Status#FAILED} */
    public Throwable error() {
        return error;
    }

    /** @return seconds from start to finish (or to now while running) */
    public double seconds() {
        Instant end = finished != null ? finished : Instant.now();
        return (end.toEpochMilli() - started.toEpochMilli()) / 1000.0;
    }

    @Override
    public synchronized void close() {
        List<AutoCloseable> all = new ArrayList<>(writers.values());
        List<AutoCloseable> reversed = new ArrayList<>(resources);
        java.util.Collections.reverse(reversed);
        all.addAll(reversed);
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort: the run's outcome is already recorded
            }
        }
        writers.clear();
        resources.clear();
    }
}
