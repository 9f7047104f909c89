package io.caravan.source.jdbc;

import io.caravan.batch.Column;
import io.caravan.batch.KeySource;
import io.caravan.batch.TableRun;
import io.caravan.batch.TableShape;
import io.caravan.destination.jdbc.PgType;
import io.caravan.mapping.MappingLoader;
import io.caravan.mapping.Mode;
import io.caravan.mapping.SourceSpec;
import io.caravan.mapping.TableSpec;
import io.caravan.source.BatchStream;
import io.caravan.source.Source;
import io.caravan.source.SourceException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A table of a relational database other than PostgreSQL as a source ({@code source_type} mysql, mariadb, oracle,
 * sqlserver, sqlite, h2 or jdbc): keyset pages on the primary key, or on (bookmark, primary key), each streamed with
 * the dialect's fetch settings, cut into batches of records (column name to the Java value of its PostgreSQL type),
 * so every destination writes them as it writes a PostgreSQL source's rows.
 *
 * <p>Columns take the PostgreSQL types of {@link SourceTypes} (the README's "Relational sources" table), or the type
 * the table's {@code casts} names. Destination column names are the source's in lower case (pgloader's default,
 * "downcase identifiers"); the mapping's column names ({@code primary_key}, {@code bookmark}, {@code casts}) match
 * source columns ignoring case. The modes and the cursor are those of the PostgreSQL source
 * ({@link JdbcReadPlanner}); the ceiling is the source's clock (SQLite, being embedded, has this machine's).
 *
 * <p>Mirroring: the key buckets ({@link KeySource}) are computed here in Java from a scan of the key column, hashing
 * the key's PostgreSQL text exactly as the PostgreSQL side does (md5; the first 32 bits give the bucket, the next 32
 * the summed hash), so that they compare with the destination's buckets. {@link #keysIn} scans the keys again.
 */
public final class JdbcSource implements Source, KeySource {

    private final SourceSpec spec;
    private final TableSpec table;
    private final SourceDialect dialect;
    private Connection control;
    private TableShape shape;
    private String schema;
    private String tableName;
    private String qualifiedTable;
    private final List<String> sourceNames = new ArrayList<>();
    private SourceTypes.Reader[] readers;
    private SourceTypes.FieldWriter[] writers;
    private final Set<Integer> selectedAsText = new HashSet<>();

    /**
     * @param spec    the mapping's source; never null
     * @param table   the table to read; never null
     * @param dialect the source's SQL; never null
     */
    public JdbcSource(SourceSpec spec, TableSpec table, SourceDialect dialect) {
        this.spec = spec;
        this.table = table;
        this.dialect = dialect;
    }

    /** @return the dialect of {@code source_type} (mysql and mariadb: MariaDB's; jdbc: the generic one) */
    public static SourceDialect dialect(String sourceType) {
        return switch (sourceType) {
            case "mysql" -> io.caravan.dialect.mysql.MariaDbSourceDialect.MYSQL;
            case "mariadb" -> io.caravan.dialect.mysql.MariaDbSourceDialect.MARIADB;
            case "oracle" -> io.caravan.dialect.oracle.OracleSourceDialect.INSTANCE;
            case "sqlserver" -> io.caravan.dialect.sqlserver.SqlServerSourceDialect.INSTANCE;
            case "sqlite" -> io.caravan.dialect.sqlite.SqliteSourceDialect.INSTANCE;
            case "h2" -> io.caravan.dialect.h2.H2SourceDialect.INSTANCE;
            case "jdbc" -> SourceDialect.GENERIC;
            default -> throw new IllegalArgumentException("source_type " + sourceType + " is not read through JDBC");
        };
    }

    /** @return a new session on the source, prepared for reading */
    Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(dialect.jdbcUrl(spec), dialect.connectionProperties(spec));
        try {
            dialect.prepareSession(c);
            return c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** @return the dialect */
    SourceDialect dialect() {
        return dialect;
    }

    /** @return the source name of the shape's column {@code index} */
    String sourceColumn(int index) {
        return sourceNames.get(index);
    }

    @Override
    public BatchStream read(TableRun run) {
        String where = "job " + run.job() + ", table " + table.tableName() + ": ";
        try {
            control = DriverManager.getConnection(dialect.jdbcUrl(spec), dialect.connectionProperties(spec));
            run.register(control);
            LocalDateTime[] clock;
            try (Statement s = control.createStatement(); ResultSet rs = s.executeQuery(dialect.clock())) {
                rs.next();
                clock = dialect.readClock(rs);
            }
            dialect.prepareSession(control);
            Duration offset = Duration.ofMinutes(Math.round(Duration.between(clock[0], clock[1]).toSeconds() / 60.0));
            String ceiling = JdbcReadPlanner.text(clock[0].atOffset(ZoneOffset.UTC));
            List<SourceColumn> described = describe(run);
            shape = shape(run, described);
            run.begin(shape, ceiling, table.mode() == Mode.MIRRORING ? this : null);
            SourceColumn bookmark = table.bookmark() == null ? null : described.get(shape.indexOf(table.bookmark().toLowerCase(Locale.ROOT)));
            PgType.Kind bookmarkKind = bookmark == null ? null : bookmarkKind(run, bookmark);
            boolean coarse = bookmark != null && (bookmarkKind == PgType.Kind.DATE || bookmark.scale() < 6);
            List<JdbcReadPlan> plans = new JdbcReadPlanner(table, shape, dialect, sourceNames, bookmarkKind, coarse,
                    offset).plan(run.cursorStore().load(run.job(), table.tableName()), ceiling);
            run.estimate(-1);
            JdbcBatchStream stream = new JdbcBatchStream(run, this, plans, readers, writers);
            selectedAsText.removeIf(i -> stream.writerOf(i) == null);
            run.register(stream);
            stream.start();
            return stream;
        } catch (SQLException | IllegalArgumentException e) {
            throw new SourceException(where + "cannot read source " + dialect.name() + " " + spec.url() + ": "
                    + e.getMessage(), e);
        }
    }

    private List<SourceColumn> describe(TableRun run) throws SQLException {
        int dot = table.tableName().indexOf('.');
        String wantedSchema = dot < 0 ? null : table.sourceSchema();
        String name = dialect.resolveTable(control, wantedSchema, table.sourceName());
        if (name == null) {
            throw new SQLException("table " + table.tableName() + " does not exist");
        }
        schema = wantedSchema;
        tableName = name;
        qualifiedTable = dialect.qualified(schema, tableName);
        List<SourceColumn> columns = dialect.describe(control, schema, tableName);
        if (columns.isEmpty()) {
            throw new SQLException("table " + table.tableName() + " has no columns; there is nothing to copy");
        }
        return columns;
    }

    /** The shape: lower-case names, the mapped or cast types, the key; checks the mapping's column names. */
    private TableShape shape(TableRun run, List<SourceColumn> described) throws SQLException {
        Map<String, String> casts = new HashMap<>();
        table.options().casts().forEach((k, v) -> casts.put(k.toLowerCase(Locale.ROOT), v));
        List<Column> columns = new ArrayList<>();
        List<SourceTypes.Reader> rs = new ArrayList<>();
        List<SourceTypes.FieldWriter> ws = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SourceColumn c : described) {
            String name = c.name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                throw new SQLException("columns " + c.name() + " and another differ only in case; rename one");
            }
            String cast = casts.remove(name);
            String type;
            if (cast != null) {
                try {
                    type = SourceTypes.canonical(cast);
                } catch (IllegalArgumentException e) {
                    throw problem(run, "casts", c.name(), e.getMessage(), "name a PostgreSQL type");
                }
            } else {
                type = dialect.pgType(c);
                type = type != null ? type : SourceTypes.pgType(c);
            }
            boolean utcLocal = false;
            if (!table.strict() && cast == null) {
                if (type.equals("json") || type.equals("jsonb")) {
                    type = "text";
                } else if (type.equals("timestamp with time zone")) {
                    type = "timestamp without time zone";
                    utcLocal = true;
                }
            }
            sourceNames.add(c.name());
            columns.add(new Column(name, type, SourceTypes.oid(type), c.notNull()));
            rs.add(SourceTypes.reader(dialect, type, utcLocal));
            String natural = dialect.pgType(c);
            natural = natural != null ? natural : SourceTypes.pgType(c);
            SourceTypes.TextField text = dialect.textValues(c)
                    ? SourceTypes.writer(SourceTypes.oid(type), SourceTypes.oid(natural)) : null;
            ws.add(text == null ? null : text.writer());
            if (text != null && text.selectText()) {
                selectedAsText.add(ws.size() - 1);
            }
        }
        if (!casts.isEmpty()) {
            String column = casts.keySet().iterator().next();
            throw problem(run, "casts", column, "column not found in " + table.tableName(), "name one of its columns: "
                    + String.join(", ", columns.stream().map(Column::name).toList()));
        }
        readers = rs.toArray(new SourceTypes.Reader[0]);
        writers = ws.toArray(new SourceTypes.FieldWriter[0]);
        List<String> key = new ArrayList<>();
        if (table.primaryKey() != null) {
            key.add(table.primaryKey().toLowerCase(Locale.ROOT));
        } else {
            dialect.primaryKey(control, schema, tableName).forEach(k -> key.add(k.toLowerCase(Locale.ROOT)));
        }
        TableShape s = new TableShape(columns, key);
        checkColumn(run, s, table.primaryKey(), "primary_key");
        checkColumn(run, s, table.bookmark(), "bookmark");
        checkColumn(run, s, table.partitionCol(), "partition_col");
        if (table.primaryKey() != null && table.mode() != Mode.DUMPING && !dialect.uniqueColumn(control, schema,
                tableName, sourceNames.get(s.indexOf(table.primaryKey().toLowerCase(Locale.ROOT))))) {
            throw problem(run, "primary_key", table.primaryKey(), "no primary key or unique index on this column"
                    + " alone in " + table.tableName(), "name a column that identifies one row (composite keys are"
                    + " not supported)");
        }
        if (table.improperBookmarks()) {
            throw problem(run, "improper_bookmarks", "true", "text bookmarks are read from pgsql sources only",
                    "cast the bookmark to a timestamp in the source, or drop improper_bookmarks");
        }
        return s;
    }

    /** @return the bookmark's type as the source holds it; fails unless a date or time */
    private PgType.Kind bookmarkKind(TableRun run, SourceColumn bookmark) {
        String type = dialect.pgType(bookmark);
        type = type != null ? type : SourceTypes.pgType(bookmark);
        PgType.Kind kind = PgType.parse(type).kind();
        if (kind != PgType.Kind.DATE && kind != PgType.Kind.TIMESTAMP && kind != PgType.Kind.TIMESTAMPTZ) {
            throw problem(run, "bookmark", table.bookmark(), "the bookmark column is of type " + bookmark.fullType()
                    + ", not a date or time", "name a datetime, timestamp or date column that moves with every change");
        }
        return kind;
    }

    private void checkColumn(TableRun run, TableShape s, String column, String key) {
        if (column != null && s.indexOf(column.toLowerCase(Locale.ROOT)) < 0) {
            throw problem(run, key, column, "column not found in " + table.tableName(), "name one of its columns: "
                    + String.join(", ", s.columns().stream().map(Column::name).toList()));
        }
    }

    private SourceException problem(TableRun run, String key, String value, String what, String fix) {
        return new SourceException("job " + run.job() + ", table " + table.tableName() + ": "
                + MappingLoader.tableProblem(run.mapping(), table, key, value, what, fix).format(), null);
    }

    /**
     * @param conditions the page's conditions
     * @param order      shape indices to order by; empty for none
     * @param limit      rows at most; -1 for all
     * @return the page's SELECT
     */
    String select(List<JdbcReadPlan.Condition> conditions, List<Integer> order, int limit) {
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < sourceNames.size(); i++) {
            String quoted = dialect.quote(sourceNames.get(i));
            selects.add(selectedAsText.contains(i) ? dialect.asText(quoted) : quoted);
        }
        return dialect.select(qualifiedTable, selects, conditions.stream().map(JdbcReadPlan.Condition::sql).toList(),
                order.stream().map(i -> dialect.quote(sourceNames.get(i))).toList(), limit);
    }

    /** @return the table's qualified, quoted name; null before {@link #read} */
    String qualifiedTable() {
        return qualifiedTable;
    }

    /** @return the shape as read; null before {@link #read} */
    TableShape shape() {
        return shape;
    }

    @Override
    public Map<Integer, List<Long>> keyBuckets() {
        Map<Integer, long[]> sums = new HashMap<>();
        scanKeys((key, hash) -> {
            long[] s = sums.computeIfAbsent(bucket(hash), b -> new long[2]);
            s[0]++;
            s[1] += second(hash);
        });
        Map<Integer, List<Long>> out = new HashMap<>();
        sums.forEach((b, s) -> out.put(b, List.of(s[0], s[1])));
        return out;
    }

    @Override
    public List<String> keysIn(Collection<Integer> buckets) {
        Set<Integer> wanted = new HashSet<>(buckets);
        List<String> keys = new ArrayList<>();
        scanKeys((key, hash) -> {
            if (wanted.contains(bucket(hash))) {
                keys.add(key);
            }
        });
        return keys;
    }

    private interface KeyVisitor {
        void visit(String key, byte[] md5);
    }

    /** Streams every key of the table, as PostgreSQL text, with its md5. */
    private void scanKeys(KeyVisitor visitor) {
        int keyIndex = shape.indexOf(shape.primaryKey().get(0));
        String sql = dialect.select(qualifiedTable, List.of(dialect.quote(sourceNames.get(keyIndex))), List.of(),
                List.of(), -1);
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            dialect.streaming(ps, SourceDialect.FETCH_ROWS);
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = JdbcReadPlanner.text(readers[keyIndex].read(rs, 1));
                    visitor.visit(key, md5.digest(key.getBytes(StandardCharsets.UTF_8)));
                }
            }
        } catch (SQLException e) {
            throw new SourceException("table " + table.tableName() + ": cannot read keys: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the bucket: the first 32 bits of the md5, masked, as PostgreSQL's side computes it */
    static int bucket(byte[] md5) {
        return int32(md5, 0) & (BUCKETS - 1);
    }

    /** @return the second hash: the next 32 bits of the md5, as a signed integer */
    static long second(byte[] md5) {
        return int32(md5, 4);
    }

    private static int int32(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
