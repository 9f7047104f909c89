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
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Streams one run's rows of a relational source: a reader thread runs each plan's query page by page (keyset pages
 * of {@link #PAGE_BATCHES} batches, each fetched in a streaming result set), cuts the rows into batches (PostgreSQL
 * binary COPY tuples, {@link BinaryTuples}, or records where a type has no binary writer) and hands them over a queue
 * of one, so the source reads the next batch while the destinations write the current one. The cursor rules are
 * those of the PostgreSQL source's stream.
 *
 * <p>Reading key ranges on several connections: a plan read in the order of an integer key alone (logging, the initial
 * phase of syncing and mirroring) or a dump of a table with such a key is read on {@code read_connections}
 * connections at once ({@link SourceDialect#readConnections} by default) when that is more than one. The key's span
 * ({@code MIN} and {@code MAX} under the plan's conditions) is cut into ranges of about one batch ({@link KeyRanges});
 * each connection reads the next range not yet taken, by keyset pages within it, and the reader thread takes the
 * ranges' rows in key order, joining them into batches of at most {@code batch_size} rows. Batches thus leave in the
 * key order a single connection reads them in, each with the cursor of its last row: a batch's cursor commits only
 * rows of that batch and of those before it, and a killed run replays only what follows its last committed cursor.
 * Memory: at most {@code read_connections + 1} ranges are taken and not yet handed over, each holding at most two
 * pieces of a batch's rows (one queued, one being filled), a piece being at most {@code batch_size} rows and
 * {@link #MAX_BATCH_BYTES} / {@code read_connections} bytes, plus the three batches of {@link QueuedBatchStream}.
 */
final class JdbcBatchStream extends QueuedBatchStream {

    /** Batches per keyset page: a page's query returns at most this many times {@code batch_size} rows. */
    static final int PAGE_BATCHES = 4;

    /** Cap on one batch's bytes, whatever batch_size says, so that wide rows cannot exhaust the heap. */
    static final int MAX_BATCH_BYTES = 64 << 20;

    /** What a range's connection hands over: rows, then {@link #RANGE_END} or the exception that stopped it. */
    private static final Object RANGE_END = new Object();

    private final JdbcSource source;
    private final List<JdbcReadPlan> plans;
    private final List<Column> columns;
    private final SourceTypes.Reader[] readers;
    private final SourceTypes.FieldWriter[] writers;
    private final int batchSize;
    private final int[] oids;
    private final boolean binary;
    private final int readConnections;
    private final Set<RangeWorker> workers = ConcurrentHashMap.newKeySet();
    private JdbcReadPlan plan;
    private volatile Connection connection;
    private volatile PreparedStatement statement;

    /**
     * @param readers per column, how its value is read
     * @param writers per column, how its value is written from its text into binary tuples without a Java value;
     *                null entries for none. Used for the columns a cursor or keyset page does not need (not the key,
     *                not the bookmark), when the batches are binary
     */
    JdbcBatchStream(TableRun run, JdbcSource source, List<JdbcReadPlan> plans, SourceTypes.Reader[] readers,
                    SourceTypes.FieldWriter[] writers) {
        super(run);
        this.source = source;
        this.plans = plans;
        this.columns = run.shape().columns();
        this.readers = readers;
        this.writers = writers.clone();
        for (String key : run.shape().primaryKey()) {
            this.writers[run.shape().indexOf(key)] = null;
        }
        if (run.table().bookmark() != null) {
            int bookmark = run.shape().indexOf(run.table().bookmark().toLowerCase(java.util.Locale.ROOT));
            if (bookmark >= 0) {
                this.writers[bookmark] = null;
            }
        }
        this.batchSize = run.table().batchSize();
        this.oids = columns.stream().mapToInt(Column::typeOid).toArray();
        this.binary = java.util.Arrays.stream(oids).allMatch(BinaryTuples::writes);
        this.plan = plans.get(0);
        int configured = run.table().options().readConnections();
        this.readConnections = configured > 0 ? configured : source.dialect().readConnections();
    }

    /**
     * @return the writer the stream uses for column {@code index}; null when the column is read as a Java value (the
     *         key, the bookmark, a column without a writer, or every column of record batches)
     */
    SourceTypes.FieldWriter writerOf(int index) {
        return binary ? writers[index] : null;
    }

    @Override
    protected void readAll() {
        try {
            connection = source.connect();
            Pending held = null;
            for (JdbcReadPlan p : plans) {
                plan = p;
                int rangeKey = rangeKey(p);
                held = rangeKey < 0 ? readPlan(held) : readRanges(held, rangeKey);
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
        final BinaryTuples tuples;
        final List<Map<String, Object>> records = binary ? null : new ArrayList<>(batchSize);
        int rows;
        long bytes;
        Object[] last;

        Filling() {
            this(1 << 16);
        }

        /** @param capacity bytes to allocate for the tuples at first */
        Filling(int capacity) {
            tuples = binary ? new BinaryTuples(capacity) : null;
        }

        /** Appends the rows of {@code other}, which follow this one's. */
        void append(Filling other) {
            if (binary) {
                tuples.append(other.tuples);
                bytes = tuples.length();
            } else {
                records.addAll(other.records);
                bytes += other.bytes;
            }
            rows += other.rows;
            last = other.last;
        }

        /**
         * Reads the result set's current row into the batch.
         *
         * @return the row's values; in binary batches, only those of columns without a writer (the key, the bookmark
         *         and the types read as Java values), the others null
         */
        Object[] add(ResultSet rs) throws SQLException {
            Object[] row = new Object[readers.length];
            if (binary) {
                tuples.beginTuple(row.length);
                for (int i = 0; i < row.length; i++) {
                    SourceTypes.FieldWriter w = writers[i];
                    if (w == null || !w.write(rs, i + 1, tuples)) {
                        Object v = readers[i].read(rs, i + 1);
                        row[i] = v;
                        tuples.field(oids[i], v);
                    }
                }
                bytes = tuples.length();
            } else {
                Map<String, Object> record = new HashMap<>(row.length * 2);
                for (int i = 0; i < row.length; i++) {
                    Object v = readers[i].read(rs, i + 1);
                    row[i] = v;
                    record.put(columns.get(i).name(), v);
                    bytes += v == null ? 0 : v instanceof String s ? s.length() : v instanceof byte[] b ? b.length : 8;
                }
                records.add(record);
            }
            last = row;
            rows++;
            return row;
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
                        last = filling.add(rs);
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

    /**
     * @return the shape index of the integer key {@code p} can be read by in key ranges on several connections; -1
     *         when it is read on one (one read connection, a plan ordered by more than the key, a key of another type)
     */
    private int rangeKey(JdbcReadPlan p) {
        if (readConnections < 2) {
            return -1;
        }
        int key;
        if (p.order().size() == 1) {
            key = p.order().get(0);
        } else if (p.order().isEmpty() && run.shape().primaryKey().size() == 1) {
            key = run.shape().indexOf(run.shape().primaryKey().get(0));
        } else {
            return -1;
        }
        return key >= 0 && switch (oids[key]) {
            case 20, 21, 23 -> true;
            default -> false;
        } ? key : -1;
    }

    /** A range taken by a connection's thread, and its rows in key order. */
    private record TakenRange(KeyRanges.Range range, BlockingQueue<Object> out, Thread reader) {
    }

    /** The ranges of one plan: handed out in key order, and queued in that order for the reader thread. */
    private final class PlanRanges {
        final KeyRanges ranges;
        final List<JdbcReadPlan.Condition> fixed;
        final int key;
        final Semaphore permits = new Semaphore(readConnections + 1);
        final BlockingQueue<TakenRange> ordered = new LinkedBlockingQueue<>();
        volatile boolean stopped;

        PlanRanges(KeyRanges ranges, List<JdbcReadPlan.Condition> fixed, int key) {
            this.ranges = ranges;
            this.fixed = fixed;
            this.key = key;
        }

        /** @return the next range, queued for the reader; null when none is left or the read stops */
        TakenRange take() throws InterruptedException {
            while (!permits.tryAcquire(200, TimeUnit.MILLISECONDS)) {
                if (stopping()) {
                    return null;
                }
            }
            synchronized (this) {
                KeyRanges.Range r = stopping() ? null : ranges.next();
                if (r == null) {
                    permits.release();
                    return null;
                }
                TakenRange t = new TakenRange(r, new ArrayBlockingQueue<>(1), Thread.currentThread());
                ordered.add(t);
                return t;
            }
        }

        boolean stopping() {
            return stopped || closed();
        }

        /** Hands {@code item} to the reader; false when the read stops first. */
        boolean put(TakenRange t, Object item) throws InterruptedException {
            while (!t.out().offer(item, 200, TimeUnit.MILLISECONDS)) {
                if (stopping()) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Reads the current plan in key ranges on {@link #readConnections} connections, emitting every batch but the
     * last one, in key order.
     *
     * @param key the shape index of the integer key
     * @return this plan's last batch, not yet emitted (or {@code held} when the plan read nothing)
     */
    private Pending readRanges(Pending held, int key) throws SQLException, InterruptedException {
        List<JdbcReadPlan.Condition> conditions = new ArrayList<>(plan.start());
        conditions.addAll(plan.fixed());
        long[] span = span(key, conditions);
        if (span == null) {
            return readPlan(held);
        }
        PlanRanges ranges = new PlanRanges(new KeyRanges(span[0], span[1], batchSize), plan.fixed(), key);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < readConnections; i++) {
                RangeWorker w = new RangeWorker(ranges);
                Thread t = new Thread(w, "caravan-read-" + run.job() + "." + run.table().tableName() + "-" + (i + 1));
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            Filling batch = null;
            while (!closed()) {
                TakenRange taken = ranges.ordered.poll(200, TimeUnit.MILLISECONDS);
                if (taken == null) {
                    if (threads.stream().noneMatch(Thread::isAlive) && ranges.ordered.isEmpty()) {
                        throw new SQLException("the connections reading key ranges stopped before the last range");
                    }
                    continue;
                }
                Object item;
                while (!closed() && (item = taken.out().poll(200, TimeUnit.MILLISECONDS)) != RANGE_END) {
                    if (item == null && !taken.reader().isAlive() && taken.out().isEmpty()) {
                        throw new SQLException("the connection reading keys from " + taken.range().low()
                                + " stopped before the end of its range");
                    } else if (item instanceof Filling rows) {
                        if (batch != null && (batch.rows + rows.rows > batchSize
                                || batch.bytes + rows.bytes > MAX_BATCH_BYTES)) {
                            held = emitHeld(held, cut(batch));
                            batch = null;
                        }
                        if (batch == null) {
                            batch = rows;
                        } else {
                            batch.append(rows);
                        }
                        if (batch.rows >= batchSize || batch.bytes >= MAX_BATCH_BYTES) {
                            held = emitHeld(held, cut(batch));
                            batch = null;
                        }
                    } else if (item instanceof SQLException e) {
                        throw e;
                    } else if (item instanceof RuntimeException e) {
                        throw e;
                    } else if (item instanceof Error e) {
                        throw e;
                    }
                }
                ranges.permits.release();
                if (taken.range().high() == null) {
                    break;
                }
            }
            if (!closed() && batch != null) {
                held = emitHeld(held, cut(batch));
            }
            return held;
        } finally {
            ranges.stopped = true;
            if (threads.stream().anyMatch(Thread::isAlive)) {
                workers.forEach(RangeWorker::close);
            }
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    /** @return {MIN, MAX} of the key under {@code conditions}; null when no row matches */
    private long[] span(int key, List<JdbcReadPlan.Condition> conditions) throws SQLException {
        String name = source.dialect().quote(source.sourceColumn(key));
        String sql = source.dialect().select(source.qualifiedTable(), List.of("MIN(" + name + ")", "MAX(" + name + ")"),
                conditions.stream().map(JdbcReadPlan.Condition::sql).toList(), List.of(), -1);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            statement = ps;
            bind(ps, conditions);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return null;
                }
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        } finally {
            statement = null;
        }
    }

    private void bind(PreparedStatement ps, List<JdbcReadPlan.Condition> conditions) throws SQLException {
        int index = 1;
        for (JdbcReadPlan.Condition c : conditions) {
            for (Object v : c.values()) {
                source.dialect().bind(ps, index++, v);
            }
        }
    }

    /** One connection reading ranges, one after the other, until none is left. */
    private final class RangeWorker implements Runnable {
        private final PlanRanges ranges;
        private volatile Connection connection;
        private volatile PreparedStatement statement;
        private int capacity = 1 << 16;

        RangeWorker(PlanRanges ranges) {
            this.ranges = ranges;
        }

        @Override
        public void run() {
            workers.add(this);
            TakenRange taken = null;
            try {
                while ((taken = ranges.take()) != null) {
                    if (connection == null) {
                        connection = source.connect();
                    }
                    long rows = read(taken);
                    ranges.ranges.read(taken.range(), rows);
                    if (!ranges.put(taken, RANGE_END)) {
                        return;
                    }
                }
            } catch (SQLException | RuntimeException | Error e) {
                if (taken != null && !ranges.stopping()) {
                    try {
                        ranges.put(taken, e);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                workers.remove(this);
                close();
            }
        }

        /** Reads one range by keyset pages, handing over a batch's rows at a time. @return rows read */
        private long read(TakenRange taken) throws SQLException, InterruptedException {
            SourceDialect dialect = source.dialect();
            String name = dialect.quote(source.sourceColumn(ranges.key));
            Object low = keyValue(taken.range().low());
            JdbcReadPlan.Condition below = taken.range().high() == null ? null
                    : new JdbcReadPlan.Condition(name + " < ?", List.of(keyValue(taken.range().high())));
            JdbcReadPlan.Condition from = new JdbcReadPlan.Condition(name + " >= ?", List.of(low));
            int page = (int) Math.min(Integer.MAX_VALUE, (long) PAGE_BATCHES * batchSize);
            int pieceBytes = Math.max(1 << 20, MAX_BATCH_BYTES / readConnections);
            List<Integer> order = List.of(ranges.key);
            long total = 0;
            Filling filling = new Filling(capacity);
            while (!ranges.stopping()) {
                List<JdbcReadPlan.Condition> conditions = new ArrayList<>();
                conditions.add(from);
                if (below != null) {
                    conditions.add(below);
                }
                conditions.addAll(ranges.fixed);
                int rows = 0;
                Object[] last = null;
                try (PreparedStatement ps = connection.prepareStatement(source.select(conditions, order, page))) {
                    statement = ps;
                    dialect.streaming(ps, batchSize);
                    bind(ps, conditions);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (!ranges.stopping() && rs.next()) {
                            last = filling.add(rs);
                            rows++;
                            if (filling.rows >= batchSize || filling.bytes >= pieceBytes) {
                                capacity = Math.max(capacity, filling.tuples == null ? 0 : filling.tuples.length());
                                if (!ranges.put(taken, filling)) {
                                    return total;
                                }
                                filling = new Filling(capacity);
                            }
                        }
                    }
                } finally {
                    statement = null;
                }
                total += rows;
                if (rows < page || last == null) {
                    break;
                }
                from = new JdbcReadPlan.Condition(name + " > ?", List.of(last[ranges.key]));
            }
            if (filling.rows > 0 && !ranges.put(taken, filling)) {
                return total;
            }
            return total;
        }

        /** @return the key as the Java type of its column, for binding */
        private Object keyValue(long key) {
            return switch (oids[ranges.key]) {
                case 21 -> (short) key;
                case 23 -> (int) key;
                default -> key;
            };
        }

        /** Cancels the query in progress and closes the connection; from any thread. */
        void close() {
            cancelQuietly(statement);
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

    /** Cancels the statement's query, if any, from any thread; its connection is closed next. */
    private static void cancelQuietly(PreparedStatement st) {
        if (st != null) {
            try {
                st.cancel();
            } catch (SQLException | RuntimeException ignored) {
                // the connection is closed next
            }
        }
    }

    @Override
    protected String where() {
        return "job " + run.job() + ", table " + run.table().tableName();
    }

    @Override
    protected void closeSource() {
        cancelQuietly(statement);
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // the connection is closed next
            }
        }
        closeConnection();
        workers.forEach(RangeWorker::close);
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
