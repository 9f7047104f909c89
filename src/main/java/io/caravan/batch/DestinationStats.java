package io.caravan.batch;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Counters of one destination in one run; thread-safe. */
public final class DestinationStats {
    private final AtomicLong rowsWritten = new AtomicLong();
    private final AtomicLong rowsDeleted = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    private final List<String> notes = new CopyOnWriteArrayList<>();

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

    /**
     * Adds a text the run summary prints after its table, such as the Athena DDL of a table an s3 destination
     * wrote. A text equal to one already noted is not added again.
     *
     * @param text the note, may span lines; never null
     */
    public void note(String text) {
        if (!notes.contains(text)) {
            notes.add(text);
        }
    }

    /** @return the notes in the order they were added; never null */
    public List<String> notes() {
        return List.copyOf(notes);
    }
}
