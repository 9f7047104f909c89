package io.caravan.source.pgsql;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.source.QueuedBatchStream;
import io.caravan.source.SourceException;
import io.caravan.state.Cursor;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Streams one run's rows: a reader thread runs the binary COPY, cuts it into batches and hands them over a queue
 * of one, so the source reads the next batch while the destinations write the current one. Memory: at most three
 * batches (one being read, one queued, one being written).
 */
final class PgBatchStream extends QueuedBatchStream {

    /** Cap on one batch's bytes, whatever batch_size says, so that wide rows cannot exhaust the heap. */
    static final int MAX_BATCH_BYTES = 64 << 20;

    private final PgSource source;
    private final List<ReadPlan> plans;
    private ReadPlan plan;
    private volatile CopyOut copy;
    private volatile Connection connection;

    PgBatchStream(TableRun run, PgSource source, List<ReadPlan> plans) {
        super(run);
        this.source = source;
        this.plans = plans;
        this.plan = plans.get(0);
    }

    @Override
    protected void readAll() {
        try {
            connection = source.connect();
            Pending held = null;
            for (ReadPlan p : plans) {
                plan = p;
                held = readPlan(held);
                if (closed()) {
                    return;
                }
            }
            emit(held != null ? held : new Pending(new byte[0], 0, null), true);
        } catch (SQLException | RuntimeException e) {
            fail(new SourceException(where() + ": reading the source failed: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /**
     * Streams one plan's query, emitting every batch but the last one it cut.
     *
     * @param held the previous plan's last batch, not yet emitted; may be null
     * @return this plan's last batch, not yet emitted (or {@code held} when the plan read nothing)
     */
    private Pending readPlan(Pending held) throws SQLException, InterruptedException {
        String sql = PostgresDialect.INSTANCE.copyOut(plan.query());
        copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
        TupleCutter cutter = new TupleCutter(run.table().batchSize());
        byte[] chunk;
        while (!closed() && (chunk = copy.readFromCopy()) != null) {
            cutter.append(chunk);
            while (cutter.tuples() >= run.table().batchSize() || cutter.tupleBytes() >= MAX_BATCH_BYTES) {
                held = emitHeld(held, cut(cutter));
            }
        }
        if (!closed() && cutter.tuples() > 0) {
            held = emitHeld(held, cut(cutter));
        }
        return held;
    }

    private Pending emitHeld(Pending held, Pending next) throws InterruptedException {
        if (held != null) {
            emit(held, false);
        }
        return next;
    }

    /** Rows cut from the stream, waiting to know whether more follow. */
    private record Pending(byte[] tuples, int rows, Cursor cursor) {
    }

    private Pending cut(TupleCutter cutter) {
        Cursor cursor = cursorOfLastTuple(cutter);
        int rows = cutter.tuples();
        return new Pending(cutter.cut(), rows, cursor);
    }

    /** The cursor a batch commits: taken from its last row's bookmark and key, as the plan says. */
    private Cursor cursorOfLastTuple(TupleCutter cutter) {
        String key = plan.keyIndex() < 0 ? null : fieldText(cutter, plan.keyIndex(), "");
        if (plan.initialCeiling() != null) {
            return Cursor.initial(key, plan.initialCeiling());
        }
        if (plan.keyIndex() < 0 && plan.bookmarkIndex() < 0) {
            return null;
        }
        String bookmark = plan.bookmarkIndex() < 0 ? null
                : fieldText(cutter, plan.bookmarkIndex(), plan.bookmarkSuffix());
        return Cursor.incremental(bookmark, key);
    }

    private String fieldText(TupleCutter cutter, int index, String suffix) {
        int[] field = cutter.lastTupleField(index);
        if (field[1] < 0) {
            return null;
        }
        int oid = run.shape().columns().get(index).typeOid();
        return PgBinaryCodec.toText(PgBinaryCodec.decode(oid, cutter.buffer(), field[0], field[1])) + suffix;
    }

    private void emit(Pending p, boolean last) throws InterruptedException {
        Cursor cursor = p.cursor();
        ReadPlan lastPlan = plans.get(plans.size() - 1);
        if (last && lastPlan.finalCursor() != null) {
            cursor = lastPlan.finalCursor();
        }
        offer(new Chunk(run.table().sourceName(), new RowData.Binary(p.tuples(), p.tuples().length, p.rows()),
                p.tuples().length, last, cursor));
    }

    @Override
    protected String where() {
        return "job " + run.job() + ", table " + run.table().tableName();
    }

    @Override
    protected void closeSource() {
        Connection c = connection;
        if (c != null) {
            try {
                // cancel and abort without the driver's lock, which the reader thread holds while it waits for rows
                c.unwrap(PGConnection.class).cancelQuery();
                c.abort(Runnable::run);
            } catch (SQLException ignored) {
                // the connection is closed next
            }
        }
        closeConnection();
    }

    private synchronized void closeConnection() {
        Connection c = connection;
        connection = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // nothing more to read from it
            }
        }
    }
}
