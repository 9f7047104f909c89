package io.caravan.source.jdbc;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.source.QueuedBatchStream;
import io.caravan.source.SourceException;
import io.caravan.state.Cursor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Streams one run's rows of a relational source: a reader thread runs each plan's query page by page (keyset pages
 * of {@link #PAGE_BATCHES} batches, each fetched in a streaming result set), cuts the rows into batches (PostgreSQL
 * binary COPY tuples, {@link BinaryTuples}, or records where a type has no binary writer) and hands them over a queue of one, so the source reads the next batch while the destinations write the current
 * one. Memory: at most three batches. The cursor rules are those of the PostgreSQL source's stream.
 */
final class JdbcBatchStream extends QueuedBatchStream {

    /** Batches per keyset page: a page's query returns at most this many times {@code batch_size} rows. */
    static final int PAGE_BATCHES = 4;

    /** Cap on one batch's bytes, whatever batch_size says, so that wide rows cannot exhaust the heap. */
    static final int MAX_BATCH_BYTES = 64 << 20;

    private final JdbcSource source;
    private final List<JdbcReadPlan> plans;
    private final List<Column> columns;
    private final SourceTypes.Reader[] readers;
    private final int batchSize;
    private final int[] oids;
    private final boolean binary;
    private JdbcReadPlan plan;
    private volatile Connection connection;
    private volatile PreparedStatement statement;

    JdbcBatchStream(TableRun run, JdbcSource source, List<JdbcReadPlan> plans, SourceTypes.Reader[] readers) {
        super(run);
        this.source = source;
        this.plans = plans;
        this.columns = run.shape().columns();
        this.readers = readers;
        this.batchSize = run.table().batchSize();
        this.oids = columns.stream().mapToInt(Column::typeOid).toArray();
        this.binary = java.util.Arrays.stream(oids).allMatch(BinaryTuples::writes);
        this.plan = plans.get(0);
    }

    @Override
    protected void readAll() {
        try {
            connection = source.connect();
            Pending held = null;
            for (JdbcReadPlan p : plans) {
                plan = p;
                held = readPlan(held);
                if (closed()) {
                    return;
                }
            }
            emit(held != null ? held : new Pending(binary ? new RowData.Binary(new byte[0], 0, 0)
                    : new RowData.Records(List.of()), 0, null), true);
        } catch (SQLException | RuntimeException e) {
            fail(new SourceException(where() + ": reading the source failed: " + e.getMessage(), e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /** Rows cut from the stream, waiting to know whether more follow. */
    private record Pending(RowData rows, long bytes, Cursor cursor) {
    }

    /**
     * The batch being filled: binary COPY tuples when every column's type has a binary writer (the fast path: a
     * PostgreSQL destination copies them as they are), else records.
     */
    private final class Filling {
        final BinaryTuples tuples = binary ? new BinaryTuples(1 << 16) : null;
        final List<Map<String, Object>> records = binary ? null : new ArrayList<>(batchSize);
        int rows;
        long bytes;
        Object[] last;

        void add(Object[] row) {
            if (binary) {
                tuples.beginTuple(row.length);
                for (int i = 0; i < row.length; i++) {
                    tuples.field(oids[i], row[i]);
                }
                bytes = tuples.length();
            } else {
                Map<String, Object> record = new HashMap<>(row.length * 2);
                for (int i = 0; i < row.length; i++) {
                    Object v = row[i];
                    record.put(columns.get(i).name(), v);
                    bytes += v == null ? 0 : v instanceof String s ? s.length() : v instanceof byte[] b ? b.length : 8;
                }
                records.add(record);
            }
            last = row;
            rows++;
        }

        RowData rowData() {
            return binary ? new RowData.Binary(tuples.buffer(), tuples.length(), tuples.rows())
                    : new RowData.Records(records);
        }
    }

    /**
     * Reads one plan page by page, emitting every batch but the last one it cut.
     *
     * @return this plan's last batch, not yet emitted (or {@code held} when the plan read nothing)
     */
    private Pending readPlan(Pending held) throws SQLException, InterruptedException {
        int page = plan.order().isEmpty() ? -1 : (int) Math.min(Integer.MAX_VALUE, (long) PAGE_BATCHES * batchSize);
        List<JdbcReadPlan.Condition> conditions = new ArrayList<>(plan.start());
        conditions.addAll(plan.fixed());
        Filling filling = new Filling();
        while (!closed()) {
            Object[] last = null;
            int rows = 0;
            try (PreparedStatement ps = connection.prepareStatement(source.select(conditions, plan.order(), page))) {
                statement = ps;
                source.dialect().streaming(ps, batchSize);
                int index = 1;
                for (JdbcReadPlan.Condition c : conditions) {
                    for (Object v : c.values()) {
                        source.dialect().bind(ps, index++, v);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (!closed() && rs.next()) {
                        Object[] row = new Object[readers.length];
                        for (int i = 0; i < readers.length; i++) {
                            row[i] = readers[i].read(rs, i + 1);
                        }
                        filling.add(row);
                        last = row;
                        rows++;
                        if (filling.rows >= batchSize || filling.bytes >= MAX_BATCH_BYTES) {
                            held = emitHeld(held, cut(filling));
                            filling = new Filling();
                        }
                    }
                }
            } finally {
                statement = null;
            }
            if (page < 0 || rows < page || last == null) {
                break;
            }
            conditions = nextPage(last);
        }
        if (!closed() && filling.rows > 0) {
            held = emitHeld(held, cut(filling));
        }
        return held;
    }

    /** @return the conditions of the page after the row {@code last}: keyset on the order columns, and the fixed ones */
    private List<JdbcReadPlan.Condition> nextPage(Object[] last) {
        List<String> names = plan.order().stream().map(source::sourceColumn).map(source.dialect()::quote).toList();
        List<Object> values = plan.order().stream().map(i -> last[i]).toList();
        SourceDialect.Condition after = source.dialect().after(names);
        List<JdbcReadPlan.Condition> out = new ArrayList<>();
        out.add(new JdbcReadPlan.Condition(after.sql(), after.params().stream().map(values::get).toList()));
        out.addAll(plan.fixed());
        return out;
    }

    private Pending emitHeld(Pending held, Pending next) throws InterruptedException {
        if (held != null) {
            emit(held, false);
        }
        return next;
    }

    private Pending cut(Filling f) {
        return new Pending(f.rowData(), f.bytes, cursorOf(f.last));
    }

    /** The cursor a batch commits: taken from its last row's bookmark and key, as the plan says. */
    private Cursor cursorOf(Object[] last) {
        String key = plan.keyIndex() < 0 ? null : JdbcReadPlanner.text(last[plan.keyIndex()]);
        if (plan.initialCeiling() != null) {
            return Cursor.initial(key, plan.initialCeiling());
        }
        if (plan.keyIndex() < 0 && plan.bookmarkIndex() < 0) {
            return null;
        }
        String bookmark = plan.bookmarkIndex() < 0 ? null
                : JdbcReadPlanner.text(last[plan.bookmarkIndex()]);
        return Cursor.incremental(bookmark, key);
    }

    private void emit(Pending p, boolean last) throws InterruptedException {
        Cursor cursor = p.cursor();
        JdbcReadPlan lastPlan = plans.get(plans.size() - 1);
        if (last && lastPlan.finalCursor() != null) {
            cursor = lastPlan.finalCursor();
        }
        offer(new Chunk(run.table().sourceName(), p.rows(), p.bytes(), last, cursor));
    }

    @Override
    protected String where() {
        return "job " + run.job() + ", table " + run.table().tableName();
    }

    @Override
    protected void closeSource() {
        PreparedStatement st = statement;
        if (st != null) {
            try {
                st.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // the connection is closed next
            }
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
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
