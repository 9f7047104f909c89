package io.caravan.source.mongo;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoCursor;
import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.source.QueuedBatchStream;
import io.caravan.source.SourceException;
import io.caravan.state.Cursor;
import org.bson.Document;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Streams one run's documents, as {@code PgBatchStream} does rows: a reader thread iterates a driver cursor (which
 * fetches {@code batch_size} documents per round trip, at most {@value #FETCH_CAP}), cuts {@code batch_size} rows per
 * batch and hands them over a queue of one, waiting {@code time_delay} seconds after each batch. Memory: at most
 * three batches (one being read, one queued, one being written).
 */
final class MongoBatchStream extends QueuedBatchStream {

    /** Most documents fetched per round trip (a reply holds at most 16 MiB anyway). */
    static final int FETCH_CAP = 10_000;

    private final MongoCollection<Document> collection;
    private final List<MongoReadPlan> plans;
    private final DocumentRows rows;

    MongoBatchStream(TableRun run, MongoCollection<Document> collection, List<MongoReadPlan> plans,
                     DocumentRows rows) {
        super(run);
        this.collection = collection;
        this.plans = plans;
        this.rows = rows;
    }

    @Override
    protected String where() {
        return "job " + run.job() + ", collection " + run.table().tableName();
    }

    @Override
    protected void readAll() {
        try {
            Pending held = null;
            for (MongoReadPlan p : plans) {
                held = readPlan(p, held);
                if (closed()) {
                    return;
                }
            }
            emit(held != null ? held : new Pending(List.of(), null), true);
        } catch (DocumentRows.UnknownFieldException e) {
            fail(new SourceException(where() + ": field '" + e.field + "' of document " + e.id + " appeared after"
                    + " the run began, when a first pass fixed the run's columns; the batches before it are"
                    + " committed: run again and the column is added", e));
        } catch (RuntimeException e) {
            fail(new SourceException(where() + ": reading the source failed: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads one plan, emitting every batch but the last one it cut.
     *
     * @param held the previous plan's last batch, not yet emitted; may be null
     * @return this plan's last batch, not yet emitted (or {@code held} when the plan read nothing)
     */
    private Pending readPlan(MongoReadPlan plan, Pending held) throws InterruptedException {
        int batchSize = run.table().batchSize();
        List<Map<String, Object>> batch = new ArrayList<>();
        Document last = null;
        try (MongoCursor<Document> c = collection.find(plan.filter()).sort(plan.sort())
                .batchSize(Math.min(batchSize, FETCH_CAP)).iterator()) {
            while (!closed() && c.hasNext()) {
                Document d = c.next();
                if (plan.keep() != null && !plan.keep().test(d)) {
                    continue;
                }
                batch.add(rows.row(d));
                last = d;
                if (batch.size() >= batchSize) {
                    held = emitHeld(held, new Pending(batch, cursorAfter(plan, last)));
                    batch = new ArrayList<>();
                }
            }
        }
        if (!closed() && !batch.isEmpty()) {
            held = emitHeld(held, new Pending(batch, cursorAfter(plan, last)));
        }
        return held;
    }

    /** The cursor a batch commits, from its last document, as the plan says. */
    private Cursor cursorAfter(MongoReadPlan plan, Document last) {
        Object id = last.get(DocumentRows.ID);
        return switch (plan.cursors()) {
            case NONE -> null;
            case KEY -> Cursor.incremental(null, MongoReadPlanner.keyText(id));
            case INITIAL -> Cursor.initial(MongoReadPlanner.keyText(id), plan.initialCeiling());
            case BOOKMARK -> Cursor.incremental(MongoReadPlanner.text(MongoReadPlanner.bookmarkTime(
                    last.get(run.table().bookmark()))), MongoReadPlanner.keyText(id));
            case START -> plan.startCursor();
        };
    }

    private Pending emitHeld(Pending held, Pending cut) throws InterruptedException {
        if (held != null) {
            emit(held, false);
            int delay = run.table().options().timeDelaySeconds();
            if (delay > 0) {
                Thread.sleep(delay * 1000L);
            }
        }
        return cut;
    }

    /** Rows cut from the stream, waiting to know whether more follow. */
    private record Pending(List<Map<String, Object>> records, Cursor cursor) {
    }


    private void emit(Pending p, boolean last) {
        Cursor cursor = p.cursor();
        MongoReadPlan lastPlan = plans.get(plans.size() - 1);
        if (last && lastPlan.finalCursor() != null) {
            cursor = lastPlan.finalCursor();
        }
        RowData.Records records = new RowData.Records(p.records());
        offer(new Chunk(run.table().tableName(), records, records.byteCount(), last, cursor));
    }

}
