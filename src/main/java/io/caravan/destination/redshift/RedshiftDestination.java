package io.caravan.destination.redshift;

import io.caravan.batch.Batch;
import io.caravan.batch.BatchPart;
import io.caravan.batch.Column;
import io.caravan.batch.DestinationStats;
import io.caravan.batch.RowData;
import io.caravan.batch.TableRun;
import io.caravan.destination.Destination;
import io.caravan.destination.DestinationException;
import io.caravan.dialect.redshift.RedshiftDialect;
import io.caravan.mapping.DestinationSpec;
import io.caravan.mapping.Mode;
import io.caravan.mapping.TableSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An Amazon Redshift destination (DMS seed, "Destination", {@code destination_type: redshift}). Creates the schema and
 * table on first sight with Redshift's types ({@link io.caravan.dialect.redshift.RedshiftType}), then writes each batch
 * in one transaction: the {@link StageLoader} stages the rows in a temporary table (S3 Parquet and {@code COPY}),
 * and the stage is merged into the target: delete-then-insert by primary key for syncing and mirroring,
 * insert-if-absent for logging. Dumping loads every batch into a temporary snapshot table that the run's last batch
 * appends to the target, stamped with {@code migration_snapshot_date}, so a run that dies leaves no partial snapshot.
 * Mirroring's last batch deletes the target rows whose key is gone at the source. The staged S3 objects are removed
 * once each batch's transaction has ended.
 *
 * <p>Each merge holds {@code LOCK target} until it commits, so runs sharing a target merge one at a time. Redshift
 * has no advisory locks: unlike the pgsql destination, nothing stops two mirroring or dumping runs of one target.
 */
public final class RedshiftDestination implements Destination {

    private static final RedshiftDialect SQL = RedshiftDialect.INSTANCE;
    private static final Logger LOG = LoggerFactory.getLogger(RedshiftDestination.class);

    private final TableRun run;
    private final DestinationSpec spec;
    private final TableSpec table;
    private final DestinationStats stats;
    private final StageLoader loader;
    private final Set<String> prepared = new HashSet<>();
    /** A dump's snapshot table per target (qualified target to quoted snapshot), created by the first batch. */
    private final Map<String, String> snapshots = new LinkedHashMap<>();
    private Connection connection;

    /**
     * A destination staging through its {@code s3_bucket_name} ({@link S3StageLoader#forRedshift}).
     *
     * @param run  the run; its shape must be known; never null
     * @param spec a redshift destination; never null
     * @throws IllegalArgumentException when the destination has no {@code s3_bucket_name}
     */
    public RedshiftDestination(TableRun run, DestinationSpec spec) {
        this(run, spec, S3StageLoader.forRedshift(spec));
    }

    /**
     * @param run    the run; its shape must be known; never null
     * @param spec   the destination; never null
     * @param loader stages each batch's rows; closed with the destination; never null
     */
    public RedshiftDestination(TableRun run, DestinationSpec spec, StageLoader loader) {
        this.run = run;
        this.spec = spec;
        this.table = run.table();
        this.stats = run.stats(spec.name());
        this.loader = loader;
    }

    @Override
    public void write(Batch batch) {
        long start = System.nanoTime();
        try {
            if (connection == null) {
                connect();
            }
            long rows = 0;
            long bytes = 0;
            for (BatchPart part : batch.parts()) {
                rows += writePart(part.table(), part.rows(), batch.sequence());
                bytes += part.rows().byteCount();
            }
            if (batch.last()) {
                rows += finish();
            }
            connection.commit();
            stats.addWrite(rows, bytes, System.nanoTime() - start);
        } catch (DestinationException e) {
            rollback();
            throw e;
        } catch (SQLException | RuntimeException e) {
            rollback();
            throw new DestinationException(where() + ": " + describe(e), e);
        } finally {
            cleanUp();
        }
    }

    /** @return {@code job <job>, table <table>, destination <destination>}, the start of every message */
    private String where() {
        return "job " + run.job() + ", table " + table.tableName() + ", destination " + spec.name();
    }

    private static String describe(Exception e) {
        String state = e instanceof SQLException s && s.getSQLState() != null ? " [SQLState " + s.getSQLState() + "]"
                : "";
        return e.getMessage() + state;
    }

    /** Opens the session: UTC, the schema made sure of, then auto-commit off. */
    private void connect() throws SQLException {
        Connection c;
        try {
            c = RedshiftConnections.open(spec);
        } catch (SQLException e) {
            throw new DestinationException(where() + ": cannot connect to " + RedshiftConnections.describe(spec) + ": "
                    + describe(e), e);
        }
        try (Statement s = c.createStatement()) {
            s.execute(SQL.utcSession());
            createSchema(s);
            c.setAutoCommit(false);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
        connection = c;
    }

    /** Creates the schema unless it exists; the tables of a job start together, so a second try covers the race. */
    private void createSchema(Statement s) throws SQLException {
        try {
            s.execute(SQL.createSchema(spec.schema()));
        } catch (SQLException first) {
            s.execute(SQL.createSchema(spec.schema()));
        }
    }

    /** Creates the target on first sight in this run, or adds the columns it lacks. @return the qualified target */
    private String prepare(String name) throws SQLException {
        String qualified = SQL.qualified(spec.schema(), name);
        if (prepared.contains(name)) {
            return qualified;
        }
        Set<String> existing = existingColumns(spec.schema(), name);
        if (existing.isEmpty()) {
            existing = existingColumns(lower(spec.schema()), lower(name));
        }
        List<Column> columns = run.shape().columns();
        if (existing.isEmpty()) {
            boolean dump = table.mode() == Mode.DUMPING;
            execute(SQL.createTable(qualified, columns, dump ? List.of() : run.shape().primaryKey(),
                    table.partitionCol(), dump));
        } else {
            for (Column c : columns) {
                if (!existing.contains(c.name()) && !existing.contains(lower(c.name()))) {
                    execute(SQL.addColumn(qualified, c));
                }
            }
        }
        prepared.add(name);
        return qualified;
    }

    /** Redshift folds identifiers to lower case, quoted or not, unless enable_case_sensitive_identifier is on. */
    private static String lower(String identifier) {
        return identifier.toLowerCase(java.util.Locale.ROOT);
    }

    private Set<String> existingColumns(String schema, String name) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = connection.prepareStatement(SQL.existingColumns())) {
            ps.setString(1, schema);
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** @return rows written to the target (0 for a dump until its snapshot is published) */
    private long writePart(String name, RowData rows, int sequence) throws SQLException {
        if (rows.rowCount() == 0) {
            return 0;
        }
        String target = prepare(name);
        List<Column> columns = run.shape().columns();
        String objectName = objectName(name, sequence);
        if (table.mode() == Mode.DUMPING) {
            loader.load(connection, snapshot(target), run.shape(), rows, objectName);
            return 0;
        }
        String stage = SQL.quote(SQL.stageName(target));
        execute(SQL.lockTable(target));
        execute(SQL.createStage(SQL.stageName(target), columns));
        loader.load(connection, stage, run.shape(), rows, objectName);
        long written;
        if (table.mode() == Mode.LOGGING) {
            written = update(SQL.insertAbsentFromStage(target, stage, columns, run.shape().primaryKey()));
        } else {
            List<String> merge = SQL.mergeFromStage(spec.schema(), name, stage, columns, run.shape().primaryKey());
            update(merge.get(0));
            written = update(merge.get(1));
        }
        execute(SQL.dropTable(stage));
        return written;
    }

    /** @return the quoted snapshot table of a dump's target, created empty by the run's first batch */
    private String snapshot(String target) throws SQLException {
        String snapshot = snapshots.get(target);
        if (snapshot == null) {
            String name = SQL.snapshotName(target);
            execute(SQL.createStage(name, run.shape().columns()));
            snapshot = SQL.quote(name);
            snapshots.put(target, snapshot);
        }
        return snapshot;
    }

    /**
     * @return the name of a batch's staged object: {@code caravan-staging/<job>/<run id>/<schema>.<target>/<batch>},
     *         characters outside {@code [A-Za-z0-9._=-]} replaced by {@code _}
     */
    private String objectName(String target, int sequence) {
        return "caravan-staging/" + safe(run.job()) + "/" + run.id() + "/" + safe(spec.schema() + "." + target) + "/"
                + String.format("%08d", sequence);
    }

    private static String safe(String part) {
        return part.replaceAll("[^A-Za-z0-9._=-]", "_");
    }

    /** Finishes the run inside the last batch's transaction. @return rows written by the finish */
    private long finish() throws SQLException {
        long written = 0;
        if (table.mode() == Mode.DUMPING) {
            prepare(table.sourceName());
            String literal = SQL.literal(run.ceiling(), "TIMESTAMPTZ");
            for (Map.Entry<String, String> e : snapshots.entrySet()) {
                execute(SQL.lockTable(e.getKey()));
                written += update(SQL.appendSnapshot(e.getKey(), e.getValue(), run.shape().columns(), literal));
                execute(SQL.dropTable(e.getValue()));
            }
        } else if (table.mode() == Mode.MIRRORING) {
            long start = System.nanoTime();
            String target = prepare(table.sourceName());
            execute(SQL.lockTable(target));
            long deleted = new RedshiftMirror(connection, run, target).deleteGoneRows();
            stats.addDelete(deleted, System.nanoTime() - start);
        }
        return written;
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    private long update(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    private void rollback() {
        prepared.clear();
        try {
            if (connection != null && !connection.getAutoCommit()) {
                connection.rollback();
            }
        } catch (SQLException ignored) {
            // the connection is broken; the run fails and closes it
        }
    }

    /** Removes the batch's staged objects; a failure to do so fails no batch (the rows are committed or not). */
    private void cleanUp() {
        try {
            loader.cleanUp();
        } catch (RuntimeException e) {
            LOG.warn("{}: staged objects not removed: {}", where(), e.getMessage());
        }
    }

    /** Redshift commits are durable when they return: nothing to confirm; what is uncommitted is rolled back. */
    @Override
    public void flush() {
        rollback();
    }

    @Override
    public void close() {
        if (connection != null) {
            rollback();
            closeQuietly(connection);
            connection = null;
        }
        loader.close();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing uncommitted is kept; the server ends the session (and its temporary tables) with the socket
        }
    }
}
