package io.caravan.destination.pgsql;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.DestinationStats;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.destination.Destination;
import io.caravan.destination.DestinationException;
import io.caravan.dialect.Dialects;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgConnections;
import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Mode;
import io.caravan.mapping.TableSpec;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A PostgreSQL destination. Creates the schema and table on first sight with the source's exact column types and
 * primary key, then writes each batch in one transaction: binary COPY into a staging table and one merge statement
 * (upsert for syncing and mirroring, insert-if-absent for logging), or, while no key conflicts, binary COPY straight
 * into the target, a large batch in slices on several sessions at once (see {@link #copySliced}). Dumping copies into a per-run snapshot table that the last batch appends to the target, stamped
 * with {@code migration_snapshot_date}, so a run that dies leaves no partial snapshot. With {@code partition_col},
 * the target is range-partitioned by month, months created as they appear, plus a default partition.
 *
 * <p>A run holds session-level advisory locks for as long as its connection is open (see {@link #lock}); a run that
 * cannot have them fails at once. The target's comment records who writes it, and mirroring and dumping refuse a
 * target that another job or source table writes ({@link TargetTables}). A target that existed before the run must
 * have a unique key on exactly the key it is written by. Names derived from the target's
 * ({@code <t>__caravan_stage}, {@code <t>__caravan_snapshot}, {@code <t>_pYYYY_MM}, {@code <t>_default}) are kept
 * within PostgreSQL's 63 bytes by {@link PostgresDialect#derivedName}.
 */
public final class PgDestination implements Destination {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final byte[] HEADER = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] TRAILER = {(byte) 0xff, (byte) 0xff};
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String DUPLICATE_SCHEMA = "42P06";
    /**
     * Sessions that COPY one large batch straight into the target at once (system property
     * {@code caravan.pgsql.write-sessions}, default 2; 1 turns slicing off).
     */
    static final int WRITE_SESSIONS = Integer.getInteger("caravan.pgsql.write-sessions", 2);
    /** The fewest rows of a slice: smaller batches go on one session. */
    static final int MIN_SLICE_ROWS = 2_000;

    private final TableRun run;
    private final DestinationSpec spec;
    private final TableSpec table;
    private final DestinationStats stats;
    private TargetTables targets;
    private Connection connection;
    /** Sessions that COPY slices of a large batch into the target beside {@link #connection}; opened on demand. */
    private final List<Connection> sliceSessions = new ArrayList<>();
    private java.util.concurrent.ExecutorService sliceThreads;
    private String commitMode;
    private boolean committedOnce;

    /**
     * @param run  the run; its shape must be known; never null
     * @param spec the destination; never null
     */
    public PgDestination(TableRun run, DestinationSpec spec) {
        this.run = run;
        this.spec = spec;
        this.table = run.table();
        this.stats = run.stats(spec.name());
    }

    @Override
    public void write(Batch batch) {
        long start = System.nanoTime();
        try {
            if (connection == null) {
                connect();
            }
            // set both ways: a server, database or role may default to synchronous_commit = off
            commitMode = batch.durable() ? SQL.synchronousCommit() : SQL.asynchronousCommit();
            execute(commitMode);
            long rows = 0;
            long bytes = 0;
            for (BatchPart part : batch.parts()) {
                TargetTable target = targets.get(part.table());
                rows += writePart(target, part.rows());
                bytes += part.rows().byteCount();
            }
            if (batch.last()) {
                rows += finish();
            }
            connection.commit();
            committedOnce = true;
            stats.addWrite(rows, bytes, System.nanoTime() - start);
        } catch (DestinationException e) {
            rollback();
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw new DestinationException(where() + ": " + describe(e), e);
        }
    }

    /** @return {@code job <job>, table <table>, destination <destination>}, the start of every message */
    private String where() {
        return "job " + run.job() + ", table " + table.tableName() + ", destination " + spec.name();
    }

    /**
     * Opens the session: takes the run's lock, makes sure the schema exists, then turns auto-commit off. A session
     * that fails on the way is closed, which releases the lock.
     */
    private void connect() throws SQLException {
        Connection c = PgConnections.open(spec.url(), spec.dbName(), spec.username(), spec.password(), null);
        try {
            refuseRedshift(c);
            lock(c);
            createSchema(c);
            c.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
        targets = new TargetTables(run, spec, c, where());
    }

    /** @throws DestinationException when the server is Amazon Redshift, which calls itself PostgreSQL */
    private void refuseRedshift(Connection c) throws SQLException {
        if (Dialects.isRedshift(c)) {
            throw new DestinationException(where() + ": " + PgConnections.describe(spec.url(), spec.dbName())
                    + " is Amazon Redshift, not PostgreSQL (no ON CONFLICT, no binary COPY); set destination_type:"
                    + " redshift (with s3_bucket_name for staging)", null);
        }
    }

    /**
     * Takes session-level advisory locks, held until the connection closes. Mirroring and dumping hold the target's
     * lock (database, schema, table) alone, whatever job or source table writes it: a mirroring diff would see the
     * keys another run is writing as gone, and two dumps would share one snapshot table and publish each other's
     * rows. Syncing and logging share the target's lock with each other (their upserts and temporary staging tables
     * do not meet), and hold the lock of (job, table, target) alone: two runs of one table would write its rows out
     * of order.
     *
     * @throws DestinationException when another session holds a lock this run needs
     */
    private void lock(Connection c) throws SQLException {
        String target = table.sourceName();
        boolean shares = table.mode() == Mode.SYNCING || table.mode() == Mode.LOGGING;
        boolean granted = tryLock(c, shares ? SQL.tryAdvisoryLockShared() : SQL.tryAdvisoryLock(),
                SQL.targetLockKey(spec.dbName(), spec.schema(), target));
        if (granted && shares) {
            granted = tryLock(c, SQL.tryAdvisoryLock(),
                    SQL.runLockKey(run.job(), table.tableName(), spec.schema(), target));
        }
        if (!granted) {
            throw new DestinationException("another run is writing to destination " + spec.name() + " ("
                    + spec.schema() + "." + target + "); wait for it or stop it", null);
        }
    }

    /** @return true when the session now holds the lock of {@code key} */
    private static boolean tryLock(Connection c, String sql, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    /**
     * Creates the schema unless it exists. The tables of a job start together on a fresh destination, so two
     * sessions may both find it missing; the one whose {@code CREATE SCHEMA IF NOT EXISTS} loses the race fails with
     * 23505 (on {@code pg_namespace_nspname_index}) or 42P06, and the schema exists all the same.
     */
    private void createSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.schemaExists())) {
            ps.setString(1, spec.schema());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute(SQL.createSchema(spec.schema()));
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_SCHEMA.equals(e.getSQLState())) {
                throw e;
            }
        }
    }

    private static String describe(Exception e) {
        String state = e instanceof SQLException s && s.getSQLState() != null ? " [SQLState " + s.getSQLState() + "]"
                : "";
        return e.getMessage() + state;
    }

    private void rollback() {
        if (targets != null) {
            targets.clear();
        }
        try {
            if (connection != null && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the run fails and closes it
        }
    }

    /** @return rows written to the target (0 for a dump until its snapshot is published) */
    private long writePart(TargetTable t, RowData rows) throws SQLException {
        if (rows.rowCount() == 0) {
            return 0;
        }
        List<Column> columns = run.shape().columns();
        if (table.mode() == Mode.DUMPING) {
            copyIn(t.snapshot, columns, rows);
            return 0;
        }
        if (t.directCopy && committedOnce && WRITE_SESSIONS > 1 && rows instanceof RowData.Binary b
                && b.rowCount() >= 2 * MIN_SLICE_ROWS) {
            return copySliced(t, columns, b);
        }
        if (t.directCopy) {
            Savepoint sp = connection.setSavepoint();
            try {
                long n = copyIn(t.qualified, columns, rows);
                connection.releaseSavepoint(sp);
                return n;
            } catch (SQLException e) {
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
                connection.rollback(sp);
                t.directCopy = false;
            }
        }
        return stageAndMerge(t, columns, rows);
    }

    /**
     * Binary COPY of a large batch straight into the target on several sessions at once: PostgreSQL runs one COPY
     * per backend process, and parsing, key checks and {@code jsonb} input of one COPY keep one core busy. The
     * batch's rows are cut into {@link #WRITE_SESSIONS} slices; the first goes on this run's session (inside the
     * batch's transaction), the others on sessions of their own, each committed when its COPY ends, with the
     * batch's {@code synchronous_commit}. A slice whose keys are already there (a replay) is rolled back and
     * written through the staging table instead, and COPY straight into the target stops for the run. A batch that
     * fails after some slices committed is replayed from the cursor, which never passed it: those slices meet their
     * own keys and are skipped or upserted, so every row is still written once. Only from the second batch on
     * (the target and its key are then committed) and only while COPY straight into the target works.
     *
     * @return rows written
     */
    private long copySliced(TargetTable t, List<Column> columns, RowData.Binary rows) throws SQLException {
        List<RowData.Binary> slices = BinarySlices.cut(rows, Math.min(WRITE_SESSIONS, rows.rowCount()
                / MIN_SLICE_ROWS));
        List<java.util.concurrent.Future<Long>> others = new ArrayList<>();
        for (int i = 1; i < slices.size(); i++) {
            Connection session = sliceSession(i - 1);
            RowData.Binary slice = slices.get(i);
            others.add(sliceThreads.submit(() -> copySlice(session, t.qualified, columns, slice)));
        }
        List<RowData.Binary> conflicting = new ArrayList<>();
        long written = 0;
        Savepoint sp = connection.setSavepoint();
        try {
            written += copyIn(connection, t.qualified, columns, slices.get(0));
            connection.releaseSavepoint(sp);
        } catch (SQLException e) {
            if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                awaitQuietly(others);
                throw e;
            }
            connection.rollback(sp);
            conflicting.add(slices.get(0));
        }
        SQLException failure = null;
        for (int i = 0; i < others.size(); i++) {
            try {
                written += others.get(i).get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                    conflicting.add(slices.get(i + 1));
                } else if (failure == null) {
                    failure = e.getCause() instanceof SQLException sql ? sql
                            : new SQLException("a slice's COPY failed: " + e.getCause(), e.getCause());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SQLException("interrupted while the slices of a batch were written", e);
            }
        }
        if (failure != null) {
            throw failure;
        }
        if (!conflicting.isEmpty()) {
            t.directCopy = false;
            for (RowData.Binary slice : conflicting) {
                written += stageAndMerge(t, columns, slice);
            }
        }
        return written;
    }

    /** On a slice session: the batch's commit mode, COPY, commit; rolled back when the COPY fails. */
    private long copySlice(Connection session, String target, List<Column> columns, RowData.Binary slice)
            throws SQLException {
        try {
            try (Statement s = session.createStatement()) {
                s.execute(commitMode);
            }
            long n = copyIn(session, target, columns, slice);
            session.commit();
            return n;
        } catch (SQLException | RuntimeException e) {
            try {
                session.rollback();
            } catch (SQLException ignored) {
                // a broken session: closed with the destination
            }
            throw e;
        }
    }

    private static void awaitQuietly(List<java.util.concurrent.Future<Long>> futures) {
        for (java.util.concurrent.Future<Long> f : futures) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                // the batch fails for another reason; the cursor does not pass it, and a replay writes it again
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** @return the i-th slice session, opened (without the run's locks, which this run's session holds) */
    private Connection sliceSession(int i) throws SQLException {
        if (sliceThreads == null) {
            sliceThreads = java.util.concurrent.Executors.newCachedThreadPool(r -> {
                Thread th = new Thread(r, "caravan-copy-" + run.table().tableName());
                th.setDaemon(true);
                return th;
            });
        }
        while (sliceSessions.size() <= i) {
            Connection c = PgConnections.open(spec.url(), spec.dbName(), spec.username(), spec.password(), null);
            c.setAutoCommit(false);
            sliceSessions.add(c);
        }
        return sliceSessions.get(i);
    }

    /** Binary COPY into the staging table, then the merge into the target. @return rows written */
    private long stageAndMerge(TargetTable t, List<Column> columns, RowData rows) throws SQLException {
        copyIn(t.stage, columns, rows);
        List<String> key = run.shape().primaryKey();
        if (table.partitionCol() != null) {
            targets.ensureMonths(t, t.stage);
            execute(SQL.deleteMovedRows(t.qualified, t.stage, key, table.partitionCol()));
            key = new ArrayList<>(key);
            key.add(table.partitionCol());
        }
        String merge = table.mode() == Mode.LOGGING ? SQL.insertAbsentFromStage(t.qualified, t.stage, columns, key)
                : SQL.upsertFromStage(t.qualified, t.stage, columns, key);
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate(merge);
        }
    }

    private long copyIn(String target, List<Column> columns, RowData rows) throws SQLException {
        return copyIn(connection, target, columns, rows);
    }

    private long copyIn(Connection session, String target, List<Column> columns, RowData rows) throws SQLException {
        CopyIn copy = session.unwrap(PGConnection.class).getCopyAPI()
                .copyIn(SQL.copyIn(target, columns, rows instanceof RowData.Binary));
        try {
            if (rows instanceof RowData.Binary b) {
                copy.writeToCopy(HEADER, 0, HEADER.length);
                copy.writeToCopy(b.tuples(), 0, b.length());
                copy.writeToCopy(TRAILER, 0, TRAILER.length);
            } else {
                writeText(copy, columns, ((RowData.Records) rows).records());
            }
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private void writeText(CopyIn copy, List<Column> columns, List<Map<String, Object>> records) throws SQLException {
        StringBuilder sb = new StringBuilder(256);
        Set<String> known = new java.util.HashSet<>();
        columns.forEach(c -> known.add(c.name()));
        for (Map<String, Object> r : records) {
            for (String k : r.keySet()) {
                if (!known.contains(k)) {
                    throw new SQLException("a record has key '" + k + "' that the table does not have (columns: "
                            + String.join(", ", known) + "); drop or rename it in process_dict");
                }
            }
            sb.setLength(0);
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    sb.append('\t');
                }
                PgBinaryCodec.appendCopyText(sb, r.get(columns.get(i).name()));
            }
            sb.append('\n');
            byte[] line = sb.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(line, 0, line.length);
        }
    }

    /** Finishes the run inside the last batch's transaction. @return rows written by the finish */
    private long finish() throws SQLException {
        long written = 0;
        if (table.mode() == Mode.DUMPING) {
            if (targets.all().isEmpty()) {
                targets.get(table.sourceName());
            }
            for (TargetTable t : targets.all()) {
                written += publishSnapshot(t);
            }
        } else if (table.mode() == Mode.MIRRORING) {
            long start = System.nanoTime();
            TargetTable t = targets.get(table.sourceName());
            long deleted = new MirrorDiff(connection, run, t.qualified).deleteGoneRows();
            stats.addDelete(deleted, System.nanoTime() - start);
        }
        return written;
    }

    private long publishSnapshot(TargetTable t) throws SQLException {
        if (table.partitionCol() != null) {
            targets.ensureMonths(t, t.snapshot);
        }
        String snapshotDate = SQL.literal(run.ceiling(), "timestamp with time zone");
        long n;
        try (Statement s = connection.createStatement()) {
            n = s.executeUpdate(SQL.appendSnapshot(t.qualified, t.snapshot, run.shape().columns(), snapshotDate));
            s.execute(SQL.dropTable(t.snapshot));
        }
        return n;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /** Rolls back what is uncommitted and closes the connection, which ends the session and releases its lock. */
    @Override
    public void flush() {
        if (connection == null) {
            return;
        }
        try {
            connection.rollback();
            execute(SQL.synchronousCommit());
            execute(SQL.assignTransactionId());
            connection.commit();
        } catch (SQLException e) {
            throw new DestinationException(where() + ": cannot confirm earlier commits: " + describe(e), e);
        }
    }

    @Override
    public void close() {
        if (sliceThreads != null) {
            sliceThreads.shutdownNow();
            sliceThreads = null;
        }
        sliceSessions.forEach(PgDestination::closeQuietly);
        sliceSessions.clear();
        if (connection != null) {
            rollback();
            closeQuietly(connection);
            connection = null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing uncommitted is kept, and the server ends the session (and its lock) with the socket
        }
    }
}
