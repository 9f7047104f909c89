package io.caravan.source;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.state.Cursor;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link BatchStream} fed by a reader thread over a queue of one, so the source reads the next batch while the
 * destinations write the current one. Memory: at most three batches (one being read, one queued, one being
 * written). Subclasses read in {@link #readAll()} and hand each batch over with {@link #offer}; this class turns
 * them into {@link Batch}es, counts what was read and marks a batch durable at most every
 * {@link #DURABLE_EVERY_NANOS}.
 */
public abstract class QueuedBatchStream implements BatchStream {

    /**
     * How often a batch is made durable (a synchronous commit at every destination, and a cursor commit). Between
     * them destinations commit without waiting for their disk: a commit that waits costs a disk flush, about 10 ms
     * here, as much as writing a batch of 10,000 rows.
     */
    public static final long DURABLE_EVERY_NANOS = 250_000_000L;

    /**
     * One batch as the reader cut it.
     *
     * @param table  the destination table of its rows (before {@code get_table_name}); never null
     * @param rows   the rows; never null
     * @param bytes  bytes read for them, for the run's counters
     * @param last   true for the run's last batch (which may be empty)
     * @param cursor the cursor after the batch; null when none moves
     */
    public record Chunk(String table, RowData rows, long bytes, boolean last, Cursor cursor) {
    }

    /** The run; never null. */
    protected final TableRun run;
    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
    private final Thread reader;
    private volatile boolean closed;
    private Object next;
    private boolean done;
    private int sequence;
    private long lastDurableNanos = System.nanoTime();

    /** @param run the run whose rows the stream reads; never null */
    protected QueuedBatchStream(TableRun run) {
        this.run = run;
        this.reader = new Thread(this::readAll, "caravan-read-" + run.job() + "." + run.table().tableName());
        this.reader.setDaemon(true);
    }

    /** Starts the reader thread. */
    public final void start() {
        reader.start();
    }

    /**
     * Reads the run's rows on the reader thread, handing every batch (the last one flagged) or a
     * {@link SourceException} to {@link #offer}; returns early once {@link #closed()}.
     */
    protected abstract void readAll();

    /** @return the start of error messages, e.g. {@code job shop, table orders} */
    protected abstract String where();

    /** Stops the read in progress (cancels a query, closes a connection); called once, from {@link #close()}. */
    protected void closeSource() {
    }

    /** @return true once the stream is closed: the reader should stop */
    protected final boolean closed() {
        return closed;
    }

    /**
     * Hands a {@link Chunk} or a {@link SourceException} to the consumer, waiting while the previous one is still
     * queued; returns at once when the stream is closed.
     */
    protected final void offer(Object item) {
        try {
            while (!closed && !queue.offer(item, 200, TimeUnit.MILLISECONDS)) {
                // wait for the destinations to take the previous batch
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Hands {@code e} to the consumer unless the stream is closed (a closed stream's read fails on purpose). */
    protected final void fail(SourceException e) {
        if (!closed) {
            offer(e);
        }
    }

    @Override
    public final boolean hasNext() {
        if (!done && run.status() == TableRun.Status.FAILED) {
            close();
        }
        if (done) {
            return false;
        }
        if (next == null) {
            next = take();
        }
        return true;
    }

    @Override
    public final Batch next() {
        if (!hasNext()) {
            throw new NoSuchElementException("no more batches");
        }
        Object item = next;
        next = null;
        if (item instanceof SourceException e) {
            done = true;
            throw e;
        }
        Chunk chunk = (Chunk) item;
        if (chunk.last()) {
            done = true;
        }
        run.addRead(chunk.rows().rowCount(), chunk.bytes());
        long now = System.nanoTime();
        boolean durable = now - lastDurableNanos >= DURABLE_EVERY_NANOS;
        if (durable) {
            lastDurableNanos = now;
        }
        return new Batch(run, ++sequence, chunk.last(), chunk.cursor(), durable,
                List.of(new BatchPart(chunk.table(), chunk.rows())));
    }

    private Object take() {
        try {
            while (true) {
                Object item = queue.poll(500, TimeUnit.MILLISECONDS);
                if (item != null) {
                    return item;
                }
                if (!reader.isAlive() && queue.isEmpty()) {
                    return new SourceException(where() + ": the source reader stopped without finishing", null);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new SourceException("interrupted while waiting for the source", e);
        }
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        done = true;
        closeSource();
        queue.clear();
        reader.interrupt();
    }
}
