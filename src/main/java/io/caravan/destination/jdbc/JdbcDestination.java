package io.caravan.destination.jdbc;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.DestinationStats;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.destination.Destination;
import io.caravan.destination.DestinationException;
import io.caravan.dialect.postgres.PgRows;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Mode;
import io.caravan.mapping.TableSpec;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A destination in any database a {@link JdbcDialect} describes: MariaDB, MySQL, SQLite, H2, Oracle, SQL Server
 * ({@code destination_type} {@code mariadb}, {@code mysql}, {@code sqlite}, {@code h2}, {@code oracle},
 * {@code sqlserver}).
 *
 * <p>On first sight of a target table (in auto-commit, since MariaDB, MySQL and Oracle commit any DDL): creates the
 * schema when the dialect can, the table with the source's columns in the dialect's types and its primary key (or
 * adds the columns an existing table lacks), and the session's staging table {@code <t>__caravan_stage}. Each batch
 * is then one transaction: the rows are inserted into the staging table with batched {@code INSERT}s (values from
 * {@link PgRows#values}, bound by {@link JdbcDialect#bind}) and merged into the target with one statement: upsert for
 * syncing and mirroring, insert-if-absent for logging, so a replayed batch leaves no duplicates. Dumping inserts into
 * a real table {@code <t>__caravan_snapshot} (dropped and created at the run's start) that the run's last batch
 * appends to the target stamped with {@code migration_snapshot_date} (the run's start on the source's clock), so a
 * run that dies publishes nothing. Mirroring's last batch deletes the target rows whose key the source no longer has
 * ({@link KeyDiff}).
 *
 * <p>MariaDB and MySQL runs hold a session lock ({@link #lock}). Not done here, unlike the PostgreSQL destination:
 * {@code partition_col} is ignored (one plain table; the run's summary notes it); on the other databases no lock keeps two runs off one target;
 * the target's writers are not recorded. A target that existed must have a unique
 * key on exactly the key it is written by. Commits are as durable as the database makes them ({@link #flush} checks the connection only).
 */
public final class JdbcDestination implements Destination {

    /** Rows per JDBC batch of inserts into a staging or snapshot table. */
    private static final int ROWS_PER_INSERT = 5_000;

    private final TableRun run;
    private final DestinationSpec spec;
    private final JdbcDialect sql;
    private final TableSpec table;
    private final DestinationStats stats;
    private final String schema;
    private final Map<String, Target> targets = new LinkedHashMap<>();
    private List<Column> columns;
    private List<PgType> types;
    private List<String> key;
    private Connection connection;

    /** What the writer knows about one target table in its run. */
    private record Target(String name, String qualified, String stage, String snapshot, String keyStage) {
    }

    /**
     * @param run  the run; its shape must be known; never null
     * @param spec the destination; its type one of {@link JdbcDialects#types()}; never null
     * @throws IllegalArgumentException when the type has no dialect
     */
    public JdbcDestination(TableRun run, DestinationSpec spec) {
        this(run, spec, JdbcDialects.forType(spec.destinationType()));
    }

    /**
     * @param run     the run; its shape must be known; never null
     * @param spec    the destination; never null
     * @param dialect the database's dialect (tests pass H2 in a compatibility mode with another dialect); never null
     */
    public JdbcDestination(TableRun run, DestinationSpec spec, JdbcDialect dialect) {
        this.run = run;
        this.spec = spec;
        this.sql = dialect;
        this.table = run.table();
        this.stats = run.stats(spec.name());
        this.schema = dialect.targetSchema(spec);
    }

    @Override
    public void write(Batch batch) {
        long start = System.nanoTime();
        try {
            if (connection == null) {
                connect();
            }
            for (BatchPart part : batch.parts()) {
                target(part.table());
            }
            if (batch.last() && (table.mode() == Mode.MIRRORING || targets.isEmpty())) {
                target(table.sourceName());
            }
            connection.setAutoCommit(false);
            long rows = 0;
            long bytes = 0;
            for (BatchPart part : batch.parts()) {
                rows += writePart(targets.get(part.table()), part);
                bytes += part.rows().byteCount();
            }
            if (batch.last()) {
                rows += finish();
            }
            connection.commit();
            connection.setAutoCommit(true);
            if (batch.last() && table.mode() == Mode.DUMPING) {
                dropSnapshots();
            }
            stats.addWrite(rows, bytes, System.nanoTime() - start);
        } catch (DestinationException e) {
            rollback();
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw new DestinationException(where() + ": " + describe(e), e);
        }
    }

    /** @return {@code job <job>, table <table>, destination <destination> (<type>)}, the start of every message */
    private String where() {
        return "job " + run.job() + ", table " + table.tableName() + ", destination " + spec.name() + " ("
                + spec.destinationType() + ")";
    }

    private static String describe(Exception e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        if (e instanceof SQLException s) {
            if (s.getSQLState() != null) {
                sb.append(" [SQLState ").append(s.getSQLState()).append(']');
            }
            SQLException next = s.getNextException();
            if (next != null && next.getMessage() != null && !sb.toString().contains(next.getMessage())) {
                sb.append("; ").append(next.getMessage());
            }
        }
        return sb.toString();
    }

    private void connect() throws SQLException {
        TableShape shape = Objects.requireNonNull(run.shape(), "the source has not described the table");
        columns = shape.columns();
        types = columns.stream().map(c -> PgType.parse(c.sqlType())).toList();
        key = shape.primaryKey();
        if (key.isEmpty() && table.mode() != Mode.DUMPING) {
            throw new DestinationException(where() + ": mode " + table.mode().wireValue() + " needs a primary key", null);
        }
        if (table.partitionCol() != null) {
            stats.note("destination " + spec.name() + " (" + spec.destinationType() + ") ignores partition_col "
                    + table.partitionCol() + " of table " + table.tableName() + ": partitions are a pgsql and s3"
                    + " feature; the table is written unpartitioned");
        }
        Connection c = DriverManager.getConnection(sql.jdbcUrl(spec), sql.connectionProperties(spec));
        try {
            c.setAutoCommit(true);
            lock(c);
            if (schema != null) {
                for (String ddl : sql.createSchema(schema)) {
                    execute(c, ddl);
                }
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
    }

    /**
     * Takes the session lock the dialect offers ({@link JdbcDialect#tryLock}; MariaDB and MySQL), held until the
     * connection closes: mirroring and dumping lock the target (a second mirror would delete the rows the other
     * writes, and two dumps would share one snapshot table), syncing and logging lock (job, table, target) so that
     * two runs of one table do not write its rows out of order. Databases without such locks are not guarded.
     *
     * @throws DestinationException when another session holds the lock
     */
    private void lock(Connection c) throws SQLException {
        String statement = sql.tryLock();
        if (statement == null) {
            return;
        }
        String target = table.sourceName();
        boolean exclusive = table.mode() == Mode.MIRRORING || table.mode() == Mode.DUMPING;
        String name = exclusive ? targetLockName(schema, target) : runLockName(run.job(), table.tableName(), schema,
                target);
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, name);
            try (java.sql.ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getInt(1) == 1) {
                    return;
                }
            }
        }
        throw new DestinationException(where() + ": another run is writing to " + (schema == null ? "" : schema + ".")
                + target + "; wait for it or stop it", null);
    }

    /** @return the name of the lock a mirroring or dumping run holds on a target: {@code caravan-} and a hash */
    static String targetLockName(String schema, String target) {
        return lockName("target\u0000" + schema + "\u0000" + target);
    }

    /** @return the name of the lock a syncing or logging run holds on (job, table, target) */
    static String runLockName(String job, String table, String schema, String target) {
        return lockName("run\u0000" + job + "\u0000" + table + "\u0000" + schema + "\u0000" + target);
    }

    /** Lock names are hashed: MySQL takes at most 64 characters. */
    private static String lockName(String text) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "caravan-" + java.util.HexFormat.of().formatHex(d, 0, 20);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates or completes the target, its staging table and (dumping) its snapshot table, in auto-commit. */
    private Target target(String name) throws SQLException {
        Target t = targets.get(name);
        if (t != null) {
            return t;
        }
        String qualified = sql.qualified(schema, name);
        Set<String> existing = sql.existingColumns(connection, schema, name);
        if (existing.isEmpty()) {
            createTarget(qualified, name);
        } else {
            checkUniqueKey(name);
            for (Column c : columns) {
                if (!existing.contains(c.name())) {
                    execute(connection, sql.addColumn(qualified, c));
                }
            }
        }
        String stage = null;
        String snapshot = null;
        String keyStage = null;
        if (table.mode() == Mode.DUMPING) {
            snapshot = sql.qualified(schema, sql.derivedName(name, "__caravan_snapshot"));
            dropIfExists(sql.derivedName(name, "__caravan_snapshot"), snapshot);
            execute(connection, sql.createTable(snapshot, columns, List.of()));
        } else {
            stage = sql.stageName(schema, name);
            createStage(sql.derivedName(name, "__caravan_stage"), sql.createStage(stage, qualified, columns), columns);
            if (table.mode() == Mode.MIRRORING) {
                keyStage = sql.keyStageName(schema, name);
                Column k = run.shape().column(key.get(0));
                createStage(sql.derivedName(name, "__caravan_keys"), sql.createKeyStage(keyStage, qualified, k),
                        List.of(new Column(JdbcDialect.KEY_COLUMN, k.sqlType(), k.typeOid(), true)));
            }
        }
        t = new Target(name, qualified, stage, snapshot, keyStage);
        targets.put(name, t);
        return t;
    }

    /**
     * Creates the target. Runs of two jobs writing one target (syncing shards) may both find it missing: the one
     * whose CREATE fails finds the table there and goes on.
     */
    private void createTarget(String qualified, String name) throws SQLException {
        List<Column> all = new ArrayList<>(columns);
        if (table.mode() == Mode.DUMPING) {
            all.add(JdbcDialect.SNAPSHOT);
        }
        try {
            execute(connection, sql.createTable(qualified, all, targetKey()));
        } catch (SQLException e) {
            if (sql.existingColumns(connection, schema, name).isEmpty()) {
                throw e;
            }
        }
    }

    /**
     * Creates the session's staging table; a shared definition (Oracle's global temporary table) only when it is
     * absent, else gets the columns the source added since it was created.
     */
    private void createStage(String unquoted, List<String> ddl, List<Column> stageColumns) throws SQLException {
        if (sql.sharedStageDefinition()) {
            Set<String> existing = sql.existingColumns(connection, schema, unquoted);
            if (!existing.isEmpty()) {
                for (Column c : stageColumns) {
                    if (!existing.contains(c.name())) {
                        execute(connection, sql.addColumn(sql.qualified(schema, unquoted), c));
                    }
                }
                return;
            }
        }
        for (String s : ddl) {
            execute(connection, s);
        }
    }

    /** @return the key the target is written by: the source's, plus {@code migration_snapshot_date} for a dump */
    private List<String> targetKey() {
        List<String> targetKey = new ArrayList<>(key);
        if (table.mode() == Mode.DUMPING && !targetKey.isEmpty()) {
            targetKey.add(JdbcDialect.SNAPSHOT_COLUMN);
        }
        return targetKey;
    }

    /**
     * A target that existed before the run must have a primary key or unique index on exactly {@link #targetKey()}:
     * the merges need it (MariaDB's ON DUPLICATE KEY and SQLite's ON CONFLICT name no other key), and without it a
     * replayed row would be there twice.
     *
     * @throws DestinationException naming the target and the key, and what to do
     */
    private void checkUniqueKey(String name) throws SQLException {
        List<String> targetKey = targetKey();
        if (targetKey.isEmpty() || sql.hasUniqueKey(connection, schema, name, targetKey)) {
            return;
        }
        String cols = String.join(", ", targetKey);
        throw new DestinationException(where() + ": target table " + (schema == null ? "" : schema + ".") + name
                + " exists without a primary key or unique index on exactly (" + cols + "), so rows written again"
                + " would be duplicated; add a primary key on (" + cols + ") or drop the table and let Caravan create"
                + " it", null);
    }

    private void dropIfExists(String unquoted, String qualified) throws SQLException {
        if (!sql.existingColumns(connection, schema, unquoted).isEmpty()) {
            execute(connection, sql.dropTable(qualified));
        }
    }

    /** @return rows written to the target (0 for a dump until its snapshot is published) */
    private long writePart(Target t, BatchPart part) throws SQLException {
        if (part.rows().rowCount() == 0) {
            return 0;
        }
        List<Object[]> rows = PgRows.values(run.shape(), part.rows());
        if (table.mode() == Mode.DUMPING) {
            insert(t.snapshot(), rows);
            return 0;
        }
        execute(connection, sql.clearStage(t.stage()));
        insert(t.stage(), rows);
        try (Statement s = connection.createStatement()) {
            if (table.mode() == Mode.LOGGING) {
                return s.executeUpdate(sql.insertAbsentFromStage(t.qualified(), t.stage(), columns, key));
            }
            s.executeUpdate(sql.upsertFromStage(t.qualified(), t.stage(), columns, key));
            return rows.size();
        }
    }

    /** Batched INSERTs of the rows into {@code table}, one JDBC batch per {@value #ROWS_PER_INSERT} rows. */
    private void insert(String into, List<Object[]> rows) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(sql.insertRow(into, columns))) {
            int pending = 0;
            for (Object[] row : rows) {
                for (int i = 0; i < row.length; i++) {
                    try {
                        sql.bind(ps, i + 1, types.get(i), row[i]);
                    } catch (IllegalArgumentException | ClassCastException e) {
                        throw new IllegalArgumentException("column " + columns.get(i).name() + " ("
                                + columns.get(i).sqlType() + "): " + e.getMessage(), e);
                    }
                }
                ps.addBatch();
                if (++pending == ROWS_PER_INSERT) {
                    ps.executeBatch();
                    pending = 0;
                }
            }
            if (pending > 0) {
                ps.executeBatch();
            }
        }
    }

    /** Finishes the run inside the last batch's transaction. @return rows written by the finish */
    private long finish() throws SQLException {
        long written = 0;
        if (table.mode() == Mode.DUMPING) {
            OffsetDateTime snapshotDate = snapshotDate();
            PgType tz = PgType.parse(JdbcDialect.SNAPSHOT.sqlType());
            for (Target t : targets.values()) {
                try (PreparedStatement ps = connection.prepareStatement(sql.appendSnapshot(t.qualified(),
                        t.snapshot(), columns))) {
                    sql.bind(ps, 1, tz, snapshotDate);
                    written += ps.executeUpdate();
                }
            }
        } else if (table.mode() == Mode.MIRRORING) {
            long start = System.nanoTime();
            Target t = targets.get(table.sourceName());
            Column keyColumn = run.shape().column(key.get(0));
            PgType keyType = PgType.parse(keyColumn.sqlType());
            String insertKey = sql.insertRow(t.keyStage(), List.of(new Column(JdbcDialect.KEY_COLUMN,
                    keyColumn.sqlType(), keyColumn.typeOid(), true)));
            KeyDiff diff = new KeyDiff(connection, sql.clearStage(t.keyStage()), insertKey,
                    sql.deleteAbsentKeys(t.qualified(), t.keyStage(), key.get(0)),
                    (ps, i, k) -> sql.bind(ps, i, keyType, keyValue(keyType, k)));
            long deleted = diff.deleteGoneRows(Objects.requireNonNull(run.keySource(),
                    "mirroring needs the source's keys"));
            stats.addDelete(deleted, System.nanoTime() - start);
        }
        return written;
    }

    /** Drops the published snapshot tables; one left behind (the process died) is dropped by the next dump. */
    private void dropSnapshots() {
        for (Target t : targets.values()) {
            try {
                execute(connection, sql.dropTable(t.snapshot()));
            } catch (SQLException ignored) {
                // the snapshot is published; the next run drops the table before it writes
            }
        }
    }

    /** @return the run's start on the source's clock ({@link TableRun#ceiling()}), or this machine's */
    private OffsetDateTime snapshotDate() {
        return run.ceiling() == null ? run.started().atOffset(ZoneOffset.UTC) : timestamptz(run.ceiling());
    }

    /**
     * @param text PostgreSQL's timestamptz text, e.g. {@code 2024-05-01 10:00:00.123456+00} or {@code ...+05:30}
     * @return the instant, at the offset given
     */
    static OffsetDateTime timestamptz(String text) {
        String t = text.trim().replace(' ', 'T');
        int sign = Math.max(t.lastIndexOf('+'), t.lastIndexOf('-'));
        if (sign > t.indexOf('T') && t.length() - sign == 3) {
            t = t + ":00";
        }
        return OffsetDateTime.parse(t);
    }

    /** @return a key in the source's text form as the Java value {@link JdbcDialect#bind} takes for its type */
    static Object keyValue(PgType type, String text) {
        return switch (type.kind()) {
            case SMALLINT, INTEGER, BIGINT -> Long.parseLong(text);
            case NUMERIC -> new BigDecimal(text);
            case UUID -> UUID.fromString(text);
            case DATE -> LocalDate.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text.replace(' ', 'T'));
            case TIMESTAMPTZ -> timestamptz(text);
            default -> text;
        };
    }

    private static void execute(Connection c, String statement) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private void rollback() {
        try {
            if (connection != null && !connection.getAutoCommit()) {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException ignored) {
            // the connection is broken; the run fails and closes it
        }
    }

    /**
     * Checks that the connection still answers. Each batch was committed with the database's own commit, durable as
     * its settings make it (InnoDB's default {@code innodb_flush_log_at_trx_commit = 1} flushes every commit).
     */
    @Override
    public void flush() {
        if (connection == null) {
            return;
        }
        try {
            if (!connection.isValid(10)) {
                throw new SQLException("the connection is closed");
            }
        } catch (SQLException e) {
            throw new DestinationException(where() + ": cannot confirm earlier commits: " + describe(e), e);
        }
    }

    @Override
    public void close() {
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
            // nothing uncommitted is kept
        }
    }
}
