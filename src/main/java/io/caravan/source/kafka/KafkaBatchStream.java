package io.caravan.source.kafka;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.mapping.Mode;
import io.caravan.source.BatchStream;
import io.caravan.source.SourceException;
import io.caravan.state.Cursor;
import io.caravan.state.TableState;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.RetriableCommitFailedException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The batches of one run of a topic. Polls on the thread that asks for the next batch (the route's), so the
 * consumer is never used by two threads at once. Between batches the records go on arriving in the consumer's
 * buffers, so the next batch is mostly there when the route asks for it.
 *
 * <p>Offsets and replays:
 * <ul>
 *   <li>Every batch carries a cursor ({@link Offsets}: the next offset per partition) that the route's bookmark
 *       step commits to the cursor store once every destination wrote the batch. At the start of each batch and at
 *       the end of the run the stream reads the stored cursor back and, without Redis, commits exactly those offsets
 *       to Kafka ({@code commitSync}): Kafka's offsets never get ahead of what every destination holds.</li>
 *   <li>With Redis ({@link RedisOpenBatch}) polled records are appended to the open batch in Redis first and their
 *       offsets committed to Kafka right away; the Redis entries of a batch are dropped once the stored cursor
 *       covers it. A restart resumes the open batch from Redis.</li>
 *   <li>Records below the stored cursor (or already in the open batch) are skipped, whichever way they come back
 *       (Kafka replays after a crash before the Kafka commit, Redis entries not yet trimmed); this per-partition
 *       high-water mark of committed message ids ({@code <topic>-<partition>-<offset>}) is the idempotent
 *       repository of the source, kept in the cursor store's database with the cursor itself.</li>
 *   <li>A crash after the destinations wrote a batch but before the cursor commit replays that batch: syncing
 *       topics upsert on their key; logging topics insert-if-absent on their key, {@code _message_id} by default
 *       (see {@link RecordRows}), so no destination gets a row twice.</li>
 * </ul>
 *
 * <p>The run's columns are those of its first batch (plus {@code fields}); a record that brings a field the run has
 * no column for ends the run before it (the batch so far is the last one): the next run adds the column and goes on
 * from that record.
 */
final class KafkaBatchStream implements BatchStream {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final DateTimeFormatter CEILING = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSx");

    /** One entry of the open batch: a record, or null for an entry already written (kept only to be trimmed). */
    private record Slot(Message message) {
    }

    /** A batch handed to the route: its cursor and how many open-batch entries it used. */
    private record Emitted(Map<Integer, Long> offsets, int entries) {
    }

    private final TableRun run;
    private final KafkaConsumer<String, String> consumer;
    private final OpenBatchStore store;
    private final String where;
    private final String topic;
    private final int batchSize;
    private final RecordRows rows;
    private final String partName;
    private final TreeMap<Integer, Long> accepted;
    private TreeMap<Integer, Long> emitted;
    private final ArrayDeque<Slot> open = new ArrayDeque<>();
    private final ArrayDeque<Emitted> unconfirmed = new ArrayDeque<>();
    private final Map<Integer, Long> kafkaCommitted = new HashMap<>();
    private final long startNanos = System.nanoTime();
    private volatile boolean assigned;
    private long lastRecordNanos;
    private TableShape shape;
    private boolean ended;
    private boolean closed;
    private int sequence;

    KafkaBatchStream(TableRun run, KafkaConsumer<String, String> consumer, OpenBatchStore store, String where) {
        this.run = run;
        this.consumer = consumer;
        this.store = store;
        this.where = where;
        this.topic = run.table().tableName();
        this.batchSize = run.table().batchSize();
        this.rows = new RecordRows(run.table());
        run.castFallbacks(rows.casts()::fallbacksByField);
        this.partName = topic.replaceAll("[^A-Za-z0-9_]", "_");
        try {
            this.accepted = storedOffsets();
            this.emitted = new TreeMap<>(accepted);
            for (Message m : store.restore()) {
                Long next = accepted.get(m.partition());
                if (next != null && m.offset() < next) {
                    open.add(new Slot(null));
                } else {
                    open.add(new Slot(m));
                    accepted.put(m.partition(), m.offset() + 1);
                }
            }
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30));
            if (partitions == null || partitions.isEmpty()) {
                throw new SourceException(where + ": the topic does not exist", null);
            }
            consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    assigned = false;
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    for (TopicPartition tp : partitions) {
                        Long next = accepted.get(tp.partition());
                        if (next != null) {
                            consumer.seek(tp, next);
                        }
                    }
                    assigned = true;
                    lastRecordNanos = System.nanoTime();
                }
            });
        } catch (KafkaException e) {
            close();
            throw new SourceException(where + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private TreeMap<Integer, Long> storedOffsets() {
        TableState state = run.cursorStore().load(run.job(), topic);
        try {
            return Offsets.parse(state.cursor() == null ? null : state.cursor().keyValue());
        } catch (IllegalArgumentException e) {
            throw new SourceException(where + ": the stored cursor " + e.getMessage()
                    + "; reset the topic's cursor to read it from the consumer group's offsets", e);
        }
    }

    /**
     * Does not wait for records: Camel's split asks right after taking a batch, before writing it, and a batch must
     * not wait for the next one to fill. So a run whose records all fit the batches so far ends with an empty last
     * batch, found after the quiet period.
     */
    @Override
    public boolean hasNext() {
        return !ended;
    }

    @Override
    public Batch next() {
        if (ended) {
            throw new NoSuchElementException();
        }
        try {
            return build();
        } catch (KafkaException e) {
            throw new SourceException(where + ": " + e.getMessage(), e);
        }
    }

    private Batch build() {
        settle();
        while (true) {
            int ready = readyCount();
            if (ready >= batchSize) {
                return emit(false);
            }
            if (!unconfirmed.isEmpty()) {
                settle();
            }
            ConsumerRecords<String, String> polled = consumer.poll(POLL);
            List<Message> fresh = new ArrayList<>();
            for (ConsumerRecord<String, String> r : polled) {
                Long next = accepted.get(r.partition());
                if (next == null || r.offset() >= next) {
                    fresh.add(new Message(r.partition(), r.offset(), r.key(), r.value()));
                    accepted.put(r.partition(), r.offset() + 1);
                }
            }
            if (!polled.isEmpty()) {
                lastRecordNanos = System.nanoTime();
            }
            if (!fresh.isEmpty()) {
                store.append(fresh);
                fresh.forEach(m -> open.add(new Slot(m)));
                if (store.durable()) {
                    commitKafka(accepted);
                }
                continue;
            }
            long now = System.nanoTime();
            if (assigned && now - lastRecordNanos >= KafkaSource.QUIET_PERIOD.toNanos()) {
                return emit(ready <= batchSize);
            }
            if (!assigned && now - startNanos >= KafkaSource.ASSIGN_TIMEOUT.toNanos()) {
                throw new SourceException(where + ": the consumer group " + run.mapping().source().kafka()
                        .consumerGroupId() + " got no partition of the topic within "
                        + KafkaSource.ASSIGN_TIMEOUT.toSeconds() + " s (another consumer holds them?)", null);
            }
        }
    }

    private int readyCount() {
        int n = 0;
        for (Slot s : open) {
            if (s.message() != null) {
                n++;
            }
        }
        return n;
    }

    /** Hands the first {@code batch_size} records of the open batch to the route. */
    private Batch emit(boolean last) {
        List<Map<String, Object>> out = new ArrayList<>();
        TreeMap<Integer, Long> after = new TreeMap<>(emitted);
        int entries = 0;
        int taken = 0;
        long bytes = 0;
        while (!open.isEmpty()) {
            Message m = open.peek().message();
            if (m != null && taken >= batchSize) {
                break;
            }
            if (m != null && m.value() != null) {
                Map<String, Object> row = rows.row(m);
                if (shape != null && !hasColumns(row)) {
                    last = true;
                    break;
                }
                out.add(row);
                bytes += m.value().length();
            }
            if (m != null) {
                taken++;
                after.put(m.partition(), m.offset() + 1);
            }
            open.poll();
            entries++;
        }
        if (shape == null) {
            shape = rows.shape(out);
            run.begin(shape, OffsetDateTime.now(ZoneOffset.UTC).format(CEILING), null);
        }
        if (run.table().mode() == Mode.SYNCING) {
            out = lastPerKey(out);
        }
        emitted = after;
        unconfirmed.add(new Emitted(after, entries));
        ended = last;
        run.addRead(out.size(), bytes);
        Cursor cursor = after.isEmpty() ? null : Cursor.incremental(null, Offsets.format(after));
        return new Batch(run, ++sequence, last, cursor, true,
                List.of(new BatchPart(partName, new RowData.Records(out))));
    }

    private boolean hasColumns(Map<String, Object> row) {
        for (String c : row.keySet()) {
            if (shape.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** An upsert cannot take one key twice in a statement: the later record of a key wins. */
    private List<Map<String, Object>> lastPerKey(List<Map<String, Object>> in) {
        Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
        for (Map<String, Object> r : in) {
            Object key = r.get(rows.keyColumn());
            byKey.remove(key);
            byKey.put(key, r);
        }
        return new ArrayList<>(byKey.values());
    }

    /**
     * Reads the stored cursor back: the Redis entries of every batch it covers are dropped, and without Redis its
     * offsets are committed to Kafka.
     */
    private void settle() {
        TreeMap<Integer, Long> stored = storedOffsets();
        int trim = 0;
        while (!unconfirmed.isEmpty() && Offsets.covers(stored, unconfirmed.peek().offsets())) {
            trim += unconfirmed.poll().entries();
        }
        store.trim(trim);
        if (!store.durable()) {
            commitKafka(stored);
        }
    }

    private void commitKafka(Map<Integer, Long> offsets) {
        if (!assigned) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        offsets.forEach((p, o) -> {
            if (!o.equals(kafkaCommitted.get(p))) {
                commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(o));
            }
        });
        if (commit.isEmpty()) {
            return;
        }
        try {
            consumer.commitSync(commit);
            commit.forEach((tp, o) -> kafkaCommitted.put(tp.partition(), o.offset()));
        } catch (CommitFailedException | RebalanceInProgressException | RetriableCommitFailedException e) {
            // the group is rebalancing (another topic of the job joined it): the next settle commits again, and
            // records that come back meanwhile are below the cursor or already in the open batch, so skipped
        }
    }

    /**
     * Stops the read. Camel's split closes its iterator as soon as {@link #hasNext()} says false, before the last
     * batch is written: once every batch is handed out the stream stays open until the run closes it
     * ({@link #finish}), so that the last batch's offsets are settled too.
     */
    @Override
    public void close() {
        if (!ended) {
            finish();
        }
    }

    /** Settles the offsets of the batches written (see {@link #settle}) and closes the consumer and the store. */
    void finish() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (sequence > 0) {
                settle();
            }
        } catch (RuntimeException e) {
            // the next run settles from the stored cursor
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (RuntimeException ignored) {
                // best effort
            }
            store.close();
        }
    }
}
