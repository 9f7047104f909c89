package io.caravan.source.pgsql;

import io.caravan.batch.Column;
import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgConnections;
import io.caravan.dialect.postgres.PostgresDialect;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Mode;
import io.caravan.mapping.SourceSpec;
import io.caravan.mapping.TableSpec;
import io.caravan.source.BatchStream;
import io.caravan.source.Source;
import io.caravan.source.SourceException;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL table as a source: binary COPY out of a keyset-ordered SELECT, cut into batches as it streams, so
 * memory stays bounded whatever the table's size.
 *
 * <p>Reads by mode (DESIGN §3):
 * <ul>
 *   <li>dumping: every row, in no particular order; no cursor;</li>
 *   <li>logging: rows whose key is above the cursor's key, ordered by key;</li>
 *   <li>syncing and mirroring, first run (initial phase): every row ordered by primary key, which needs no index
 *       on the bookmark; the cursor holds the last key, so a crash resumes where it stopped; the last batch leaves
 *       an inclusive cursor at the ceiling taken when the phase began;</li>
 *   <li>syncing and mirroring, later runs: rows with {@code (bookmark, key) > cursor} and
 *       {@code bookmark <= ceiling}, ordered by (bookmark, key); with lags, every row with
 *       {@code bookmark >= least(cursor, last success - grace, ceiling - buffer)}.</li>
 * </ul>
 */
public final class PgSource implements Source, KeySource {

    private static final PostgresDialect SQL = PostgresDialect.INSTANCE;
    private static final int TEXT_OID = 25;
    private static final int TEXT_ARRAY_OID = 1009;
    private static final int TIMESTAMP_OID = 1114;
    private static final int TIMESTAMPTZ_OID = 1184;
    private static final int JSON_OID = 114;
    private static final int JSONB_OID = 3802;

    private final SourceSpec spec;
    private final TableSpec table;
    private final boolean decodedRecords;
    private final String qualifiedTable;
    private Connection control;
    private TableShape shape;
    private String keyType;
    private final Map<String, Integer> sourceOids = new HashMap<>();
    private String sourceZone = "UTC";
    private final Map<String, String> sourceTypes = new HashMap<>();

    /**
     * @param spec           the mapping's source; never null
     * @param table          the table to read; never null
     * @param decodedRecords true when a {@code process_dict} or {@code get_table_name} class will decode the rows:
     *                       columns of types the binary codec does not decode are then read as text (the
     *                       destination keeps their type and parses the text)
     */
    public PgSource(SourceSpec spec, TableSpec table, boolean decodedRecords) {
        this.spec = spec;
        this.table = table;
        this.decodedRecords = decodedRecords;
        this.qualifiedTable = SQL.qualified(table.sourceSchema(), table.sourceName());
    }

    /**
     * @return a new connection to the source for a read: in UTC, except for text bookmarks
     *         ({@code improper_bookmarks}), which are parsed in the source database's own time zone, as the
     *         applications that write them mean them
     */
    Connection connect() throws SQLException {
        return PgConnections.open(spec.url(), spec.dbName(), spec.username(), spec.password(), spec.initSql(),
                !table.improperBookmarks());
    }

    @Override
    public BatchStream read(TableRun run) {
        try {
            control = PgConnections.open(spec.url(), spec.dbName(), spec.username(), spec.password(), spec.initSql(),
                    false);
            run.register(control);
            sourceZone = ReadPlanner.queryString(control, "SHOW TimeZone");
            try (Statement st = control.createStatement()) {
                st.execute("SET TIME ZONE 'UTC'");
            }
            shape = describe(control, run);
            String ceiling = ReadPlanner.queryString(control, SQL.clock());
            run.begin(shape, ceiling, table.mode() == Mode.MIRRORING ? this : null);
            String bookmarkType = table.improperBookmarks() ? "timestamp with time zone"
                    : table.bookmark() == null ? null : sourceTypes.get(table.bookmark());
            List<ReadPlan> plans = new ReadPlanner(table, shape, qualifiedTable, selects(), keyType, bookmarkType,
                    sourceZone, control).plan(run.cursorStore().load(run.job(), table.tableName()), ceiling);
            run.estimate(estimate(plans.get(0)));
            PgBatchStream stream = new PgBatchStream(run, this, plans);
            run.register(stream);
            stream.start();
            return stream;
        } catch (SQLException e) {
            throw new SourceException("job " + run.job() + ", table " + table.tableName() + ": cannot read source "
                    + PgConnections.describe(spec.url(), spec.dbName()) + ": " + e.getMessage(), e);
        }
    }

    /** Reads the columns and key, applying the read's casts: user-defined types as text; strict: false. */
    private TableShape describe(Connection c, TableRun run) throws SQLException {
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SQL.describeColumns())) {
            ps.setString(1, table.sourceSchema());
            ps.setString(2, table.sourceName());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add(readColumn(rs));
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState()) || "3F000".equals(e.getSQLState())) {
                throw new SQLException("table " + table.tableName() + " does not exist", e.getSQLState(), e);
            }
            throw e;
        }
        List<String> key = new ArrayList<>();
        if (table.primaryKey() != null) {
            key.add(table.primaryKey());
        } else {
            try (PreparedStatement ps = c.prepareStatement(SQL.describePrimaryKey())) {
                ps.setString(1, table.sourceSchema());
                ps.setString(2, table.sourceName());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        key.add(rs.getString(1));
                    }
                }
            }
        }
        if (columns.isEmpty()) {
            throw new SQLException("table " + table.tableName() + " has no columns; there is nothing to copy");
        }
        TableShape described = new TableShape(columns, key);
        checkColumn(run, described, table.primaryKey(), "primary_key");
        checkColumn(run, described, table.bookmark(), "bookmark");
        checkColumn(run, described, table.partitionCol(), "partition_col");
        checkBookmarkType(run);
        if (table.primaryKey() != null && table.mode() != Mode.DUMPING) {
            checkUniqueKey(c, run);
        }
        if (!key.isEmpty()) {
            keyType = sourceTypes.get(key.get(0));
        }
        return described;
    }

    private Column readColumn(ResultSet rs) throws SQLException {
        String name = rs.getString(1);
        String type = rs.getString(2);
        int oid = rs.getInt(3);
        sourceOids.put(name, oid);
        sourceTypes.put(name, type);
        boolean notNull = rs.getBoolean(4);
        if (rs.getBoolean(5)) {
            return new Column(name, "text", TEXT_OID, notNull);
        }
        if (rs.getBoolean(6)) {
            return new Column(name, "text[]", TEXT_ARRAY_OID, notNull);
        }
        if (!table.strict() && (oid == JSON_OID || oid == JSONB_OID)) {
            return new Column(name, "text", TEXT_OID, notNull);
        }
        if (!table.strict() && oid == TIMESTAMPTZ_OID) {
            return new Column(name, "timestamp without time zone", TIMESTAMP_OID, notNull);
        }
        if (decodedRecords && !PgBinaryCodec.decodes(oid)) {
            return rs.getBoolean(7) ? new Column(name, type, TEXT_ARRAY_OID, notNull) : new Column(name, type, TEXT_OID,
                    notNull);
        }
        return new Column(name, type, oid, notNull);
    }

    /** @throws SourceException naming the mapping file, line and key when {@code column} is not in the table */
    private void checkColumn(TableRun run, TableShape s, String column, String key) {
        if (column != null && s.indexOf(column) < 0) {
            String columns = String.join(", ", s.columns().stream().map(Column::name).toList());
            throw new SourceException("job " + run.job() + ", table " + table.tableName() + ": "
                    + MappingLoader.tableProblem(run.mapping(), table, key, column, "column not found in "
                    + table.tableName(), "name one of its columns: " + columns).format(), null);
        }
    }

    /** @throws SourceException at the mapping's bookmark unless it is a timestamp, timestamptz or date column */
    private void checkBookmarkType(TableRun run) {
        if (table.bookmark() == null || table.improperBookmarks()) {
            return;
        }
        String type = sourceTypes.get(table.bookmark());
        if (!type.equals("date") && !type.startsWith("timestamp")) {
            throw new SourceException("job " + run.job() + ", table " + table.tableName() + ": "
                    + MappingLoader.tableProblem(run.mapping(), table, "bookmark", table.bookmark(),
                    "the bookmark column is of type " + type + ", not a date or time",
                    "name a timestamptz, timestamp or date column that moves with every change, or set"
                            + " improper_bookmarks: true for timestamps kept as text").format(), null);
        }
    }

    /**
     * Keyset reads, upserts and the mirror diff need {@code primary_key} to identify a row: a column that is not
     * unique on its own (one column of a composite key, say) would merge distinct rows into one.
     *
     * @throws SourceException at the mapping's primary_key when no unique index covers that column alone
     */
    private void checkUniqueKey(Connection c, TableRun run) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SQL.isUniqueColumn())) {
            ps.setString(1, table.sourceSchema());
            ps.setString(2, table.sourceName());
            ps.setString(3, table.primaryKey());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw new SourceException("job " + run.job() + ", table " + table.tableName() + ": "
                            + MappingLoader.tableProblem(run.mapping(), table, "primary_key", table.primaryKey(),
                            "no primary key or unique index on this column alone in " + table.tableName(),
                            "name a column that identifies one row (composite keys are not supported)").format(),
                            null);
                }
            }
        }
    }

    /** The select list: each column with the cast {@link #readColumn} decided. */
    private List<String> selects() {
        List<String> out = new ArrayList<>();
        for (Column col : shape.columns()) {
            out.add(read(col, true));
        }
        return out;
    }

    /** @return how the read selects {@code col}: as it is, cast, or as a UTC timestamp; aliased when asked */
    private String read(Column col, boolean aliased) {
        int sourceOid = sourceOids.get(col.name());
        boolean utc = col.typeOid() == TIMESTAMP_OID && sourceOid == TIMESTAMPTZ_OID;
        boolean cast = !utc && sourceOid != col.typeOid();
        String castTo = col.typeOid() == TEXT_OID ? "text" : col.typeOid() == TEXT_ARRAY_OID ? "text[]"
                : col.sqlType();
        return aliased ? SQL.selectColumn(col.name(), cast ? castTo : null, utc)
                : SQL.columnExpression(col.name(), cast ? castTo : null, utc);
    }

    /** @return the key as the read selects it, so that the mirror diff hashes the text the destination holds */
    private String keyExpression() {
        return read(shape.column(shape.primaryKey().get(0)), false);
    }

    private long estimate(ReadPlan plan) throws SQLException {
        if (plan.previous() != null && plan.initialCeiling() == null) {
            return -1;
        }
        try (PreparedStatement ps = control.prepareStatement(SQL.estimateRows())) {
            ps.setString(1, table.sourceSchema());
            ps.setString(2, table.sourceName());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    /** @return the shape as read; null before {@link #read} */
    TableShape shape() {
        return shape;
    }

    @Override
    public Map<Integer, List<Long>> keyBuckets() {
        Map<Integer, List<Long>> out = new HashMap<>();
        try (Statement s = control.createStatement();
             ResultSet rs = s.executeQuery(SQL.keyBuckets(qualifiedTable, keyExpression()))) {
            while (rs.next()) {
                out.put(rs.getInt(1), List.of(rs.getLong(2), rs.getLong(3)));
            }
            return out;
        } catch (SQLException e) {
            throw new SourceException("table " + table.tableName() + ": cannot read key buckets: " + e.getMessage(), e);
        }
    }

    @Override
    public List<String> keysIn(Collection<Integer> buckets) {
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = control.prepareStatement(SQL.keysInBuckets(qualifiedTable, keyExpression()))) {
            Array array = control.createArrayOf("int4", buckets.toArray());
            ps.setArray(1, array);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        } catch (SQLException e) {
            throw new SourceException("table " + table.tableName() + ": cannot read keys: " + e.getMessage(), e);
        }
    }

}
