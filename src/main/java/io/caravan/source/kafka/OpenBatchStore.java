package io.caravan.source.kafka;

import java.util.List;

/**
 * Where the records of a topic's open batch wait until the batch is written: in memory (a restart reads them again
 * from Kafka, whose offsets are committed only after the batch is written) or in Redis (the mapping's
 * {@code redis}; Kafka's offsets are committed as soon as Redis holds the records, and a restart resumes the open
 * batch from Redis, as the DMS seed does).
 */
interface OpenBatchStore extends AutoCloseable {

    /** @return the records kept by an earlier run, oldest first (may repeat one, see {@link #append}); never null */
    List<Message> restore();

    /** Appends records polled from Kafka, oldest first; a crash between this and the offset commit repeats them. */
    void append(List<Message> messages);

    /** Drops the first {@code entries} entries: their batches are written by every destination. */
    void trim(int entries);

    /** @return true when appended records survive a crash of this process, so their offsets may be committed */
    boolean durable();

    @Override
    void close();

    /** The open batch in this process's memory only. */
    final class InMemory implements OpenBatchStore {
        @Override
        public List<Message> restore() {
            return List.of();
        }

        @Override
        public void append(List<Message> messages) {
            // the records stay in the stream's open batch
        }

        @Override
        public void trim(int entries) {
            // nothing kept
        }

        @Override
        public boolean durable() {
            return false;
        }

        @Override
        public void close() {
        }
    }
}
