package io.caravan.batch;

import java.util.concurrent.atomic.AtomicLong;

/** Counters of one destination in one run; thread-safe. */
public final class DestinationStats {
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsDeleted = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();

    /**
     * @param rows   rows written
     * @param size   bytes written
     * @param took   nanoseconds spent
     */
    public void addWrite(long rows, long size, long took) {
        rowsWritten.addAndGet(rows);
        bytes.addAndGet(size);
        nanos.addAndGet(took);
    }

    /**
     * @param rows rows deleted
     * @param took nanoseconds spent
     */
    public void addDelete(long rows, long took) {
        rowsDeleted.addAndGet(rows);
        nanos.addAndGet(took);
    }

    /** @return rows written (inserted or updated) */
    public long rowsWritten() {
        return rowsWritten.get();
    }

    /** @return rows deleted (mirroring) */
    public long rowsDeleted() {
        return rowsDeleted.get();
    }

    /** @return bytes of rows written, as the source sent them */
    public long bytes() {
        return bytes.get();
    }

    /** @return seconds spent writing and deleting */
    public double seconds() {
        return nanos.get() / 1e9;
    }
}
