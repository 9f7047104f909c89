package io.caravan.source;

import io.caravan.batch.Batch;

import java.io.Closeable;
import java.util.Iterator;

/**
 * The batches of one run, read ahead by the source while the destinations write the previous ones. Always yields at
 * least one batch: the last one (flagged {@link Batch#last()}) may be empty. {@link #next()} throws
 * {@link SourceException} when the read fails. Closing stops the read early.
 */
public interface BatchStream extends Iterator<Batch>, Closeable {
    @Override
    void close();
}
