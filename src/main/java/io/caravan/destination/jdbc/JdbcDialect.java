package io.caravan.destination.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.batch.Column;
import io.caravan.dialect.SqlDialect;
import io.caravan.dialect.postgres.PgBinaryCodec;
import io.caravan.dialect.postgres.PgRaw;
import io.caravan.mapping.DestinationSpec;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The SQL and value binding of a {@link JdbcDestination}'s database: generic (ANSI) SQL here, and one subclass per
 * database overriding only what differs (the layout of kafka-connect-jdbc's {@code GenericDatabaseDialect}): the JDBC
 * URL, the type of each PostgreSQL column type, staging tables, and the merge statement of each mode. Implementations
 * are immutable and thread-safe; callers pass unquoted identifiers and never concatenate SQL themselves.
 *
 * <p>Every statement is built from the source's columns ({@link Column}, whose {@link Column#sqlType()} is
 * PostgreSQL's {@code format_type} text) and takes values as JDBC parameters, bound by {@link #bind}.
 */
public abstract class JdbcDialect implements SqlDialect {

    /** Column dumping mode adds: when the snapshot was taken (DMS seed). */
    public static final String SNAPSHOT_COLUMN = "migration_snapshot_date";
    /** Its PostgreSQL type. */
    public static final Column SNAPSHOT = new Column(SNAPSHOT_COLUMN, "timestamp with time zone", 1184, true);
    /** The one column of a key staging table ({@link KeyDiff}). */
    public static final String KEY_COLUMN = "k";

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Length of the hash tag a shortened derived name carries: {@code _} and 8 hex digits. */
    private static final int TAG_LENGTH = 9;

    /** @return the {@code destination_type} values this dialect serves, e.g. {@code mysql, mariadb} */
    public abstract List<String> destinationTypes();

    /**
     * @param spec the destination; never null
     * @return the JDBC URL: {@link DestinationSpec#url()} when it starts with {@code jdbc:}, else one built from it
     *         (host[:port] or a file path) and {@link DestinationSpec#dbName()}
     */
    public abstract String jdbcUrl(DestinationSpec spec);

    /**
     * @param spec the destination; never null
     * @return the driver's connection properties: {@code user} and {@code password} (resolved) when given, plus
     *         the dialect's own settings
     * @throws IllegalStateException when the password names an environment variable that is not set
     */
    public Properties connectionProperties(DestinationSpec spec) {
        Properties p = new Properties();
        if (spec.username() != null && !spec.username().isEmpty()) {
            p.setProperty("user", spec.username());
        }
        if (spec.password() != null && !spec.password().isEmpty()) {
            p.setProperty("password", spec.password().resolve());
        }
        return p;
    }

    /**
     * @param spec the destination; never null
     * @return the schema (for MySQL and MariaDB: the database) the tables go in; null for the connection's default
     */
    public String targetSchema(DestinationSpec spec) {
        return spec.schema();
    }

    /**
     * @return a query with one parameter, a lock's name, whose first column is 1 when the session now holds that
     *         lock (until it closes) and something else when another session holds it, without waiting; null when
     *         the database has no such locks (the default)
     */
    public String tryLock() {
        return null;
    }

    /** @return the longest table name the database takes, in characters */
    protected abstract int maxIdentifierLength();

    /** @return {@code CAST('value' AS type)} with the dialect's type of {@code sqlType}, or {@code NULL} */
    @Override
    public String literal(String value, String sqlType) {
        if (value == null) {
            return "NULL";
        }
        return "CAST('" + value.replace("'", "''") + "' AS " + columnType(PgType.parse(sqlType), false) + ")";
    }

    /**
     * A name derived from a table name, such as {@code orders__caravan_stage}, kept within
     * {@link #maxIdentifierLength()}: a name that would be longer is cut and ends in {@code _} and 8 hex digits of
     * the SHA-256 of the full name, so two long tables never share a derived name.
     *
     * @param base   the table name; never null
     * @param suffix e.g. {@code __caravan_stage}; never null
     * @return the unquoted name
     */
    public String derivedName(String base, String suffix) {
        String full = base + suffix;
        if (full.length() <= maxIdentifierLength()) {
            return full;
        }
        String tag = "_" + sha256(full).substring(0, TAG_LENGTH - 1);
        int keep = Math.max(0, maxIdentifierLength() - suffix.length() - TAG_LENGTH);
        return base.substring(0, Math.min(base.length(), keep)) + tag + suffix;
    }

    private static String sha256(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- types ---------------------------------------------------------------------------------------------------

    /**
     * @param type the PostgreSQL type; never null
     * @param key  true for a primary key column (which needs a type the database can index)
     * @return this database's column type (the README's "Type mapping per destination" table)
     */
    public abstract String columnType(PgType type, boolean key);

    /** @return the {@link Types} constant {@link #bind} passes to {@code setNull} for a column of {@code type} */
    protected int nullType(PgType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.BOOLEAN;
            case SMALLINT -> Types.SMALLINT;
            case INTEGER -> Types.INTEGER;
            case BIGINT -> Types.BIGINT;
            case NUMERIC -> Types.NUMERIC;
            case REAL -> Types.REAL;
            case DOUBLE -> Types.DOUBLE;
            case BYTEA -> Types.VARBINARY;
            case DATE -> Types.DATE;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case TIME -> Types.TIME;
            default -> Types.VARCHAR;
        };
    }

    /** @return {@code "name" TYPE} or {@code "name" TYPE NOT NULL} */
    protected String columnDefinition(Column c, boolean key, boolean temporary) {
        return quote(c.name()) + " " + columnType(PgType.parse(c.sqlType()), key) + (key || c.notNull() ? " NOT NULL"
                : "");
    }

    private String definitions(List<Column> columns, List<String> key, boolean temporary) {
        return columns.stream().map(c -> columnDefinition(c, key.contains(c.name()), temporary))
                .collect(Collectors.joining(", "));
    }

    /** @return a comma-separated list of the quoted column names */
    public String columnList(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    /** @return a comma-separated list of {@code prefix.column} */
    protected String columnList(String prefix, List<Column> columns) {
        return columns.stream().map(c -> prefix + "." + quote(c.name())).collect(Collectors.joining(", "));
    }

    /** @return the quoted names, comma separated */
    protected String names(List<String> names) {
        return names.stream().map(this::quote).collect(Collectors.joining(", "));
    }

    /** @return {@code a.k1 = b.k1 AND a.k2 = b.k2} */
    protected String keyJoin(String a, String b, List<String> key) {
        return key.stream().map(k -> a + "." + quote(k) + " = " + b + "." + quote(k))
                .collect(Collectors.joining(" AND "));
    }

    // ---- DDL -----------------------------------------------------------------------------------------------------

    /**
     * @param schema an unquoted schema name; never null
     * @return statements that create the schema unless it exists; empty when the database has no schemas to create
     */
    public List<String> createSchema(String schema) {
        return List.of("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
    }

    /**
     * @param table   qualified table
     * @param columns its columns, in order; never empty
     * @param key     primary key columns; empty for none
     * @return {@code CREATE TABLE} with the dialect's types and the primary key
     */
    public String createTable(String table, List<Column> columns, List<String> key) {
        String pk = key.isEmpty() ? "" : ", PRIMARY KEY (" + names(key) + ")";
        return "CREATE TABLE " + table + " (" + definitions(columns, key, false) + pk + ")" + tableOptions();
    }

    /** @return what follows a {@code CREATE TABLE}'s column list (MariaDB: character set); empty by default */
    protected String tableOptions() {
        return "";
    }

    /** @return {@code ALTER TABLE t ADD COLUMN c type} (nullable) */
    public String addColumn(String table, Column column) {
        return "ALTER TABLE " + table + " ADD COLUMN " + quote(column.name()) + " "
                + columnType(PgType.parse(column.sqlType()), false);
    }

    /**
     * @param schema the target's schema; null for the connection's default
     * @param target the target table, unquoted
     * @return the reference to the target's staging table as statements use it
     */
    public String stageName(String schema, String target) {
        return quote(derivedName(target, "__caravan_stage"));
    }

    /**
     * @param schema the target's schema; null for the connection's default
     * @param target the target table, unquoted
     * @return the reference to the target's key staging table ({@link KeyDiff})
     */
    public String keyStageName(String schema, String target) {
        return quote(derivedName(target, "__caravan_keys"));
    }

    /**
     * @param stage   the staging table as {@link #stageName} gives it
     * @param target  the qualified target table (whose types a stage may copy)
     * @param columns its columns (the target's types, no key, all nullable except as the source says)
     * @return statements that create the session's staging table unless it exists; a staging table holds one
     *         session's rows only (a temporary table, or a global temporary table)
     */
    public List<String> createStage(String stage, String target, List<Column> columns) {
        return List.of("CREATE LOCAL TEMPORARY TABLE IF NOT EXISTS " + stage + " (" + definitions(columns, List.of(),
                true) + ")");
    }

    /**
     * @param keyStage the key staging table as {@link #keyStageName} gives it
     * @param target   the qualified target
     * @param key      the key column (its type is the target's)
     * @return statements that create the session's key staging table, one column {@value #KEY_COLUMN}
     */
    public List<String> createKeyStage(String keyStage, String target, Column key) {
        return createStage(keyStage, target, List.of(new Column(KEY_COLUMN, key.sqlType(), key.typeOid(), true)));
    }

    /**
     * @return true when the staging tables are permanent definitions holding each session's rows (Oracle's global
     *         temporary tables): the destination then creates them only when absent; false when they are the
     *         session's own temporary tables, created by every session
     */
    public boolean sharedStageDefinition() {
        return false;
    }

    /** @return a statement that empties the staging table */
    public String clearStage(String stage) {
        return "DELETE FROM " + stage;
    }

    /** @return {@code DROP TABLE t}; the caller drops only tables that exist */
    public String dropTable(String table) {
        return "DROP TABLE " + table;
    }

    // ---- DML -----------------------------------------------------------------------------------------------------

    /** @return {@code INSERT INTO t (cols) VALUES (?, ...)}, one placeholder per column */
    public String insertRow(String table, List<Column> columns) {
        return "INSERT INTO " + table + " (" + columnList(columns) + ") VALUES ("
                + columns.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    /** Generic insert-if-absent: {@code INSERT ... SELECT ... WHERE NOT EXISTS} the key in the target. */
    @Override
    public String insertAbsentFromStage(String target, String stage, List<Column> columns, List<String> keyColumns) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ") SELECT " + columnList("s", columns) + " FROM "
                + stage + " s WHERE NOT EXISTS (SELECT 1 FROM " + target + " t WHERE " + keyJoin("t", "s", keyColumns)
                + ")";
    }

    /**
     * @return INSERT of a dump's snapshot table into the target, every row stamped with the one parameter (the
     *         run's start, a timestamptz bound by {@link #bind})
     */
    public String appendSnapshot(String target, String snapshot, List<Column> columns) {
        return "INSERT INTO " + target + " (" + columnList(columns) + ", " + quote(SNAPSHOT_COLUMN) + ") SELECT "
                + columnList(columns) + ", ? FROM " + snapshot;
    }

    /** @return DELETE of the target rows whose key is not in the key staging table (one column {@value #KEY_COLUMN}) */
    public String deleteAbsentKeys(String target, String keyStage, String key) {
        return "DELETE FROM " + target + " WHERE NOT EXISTS (SELECT 1 FROM " + keyStage + " ks WHERE ks."
                + quote(KEY_COLUMN) + " = " + target + "." + quote(key) + ")";
    }

    // ---- metadata ------------------------------------------------------------------------------------------------

    /**
     * @param c      a connection
     * @param schema the schema; null for the connection's default
     * @param table  unquoted table name
     * @return the names of the table's columns; empty when the table does not exist
     */
    public Set<String> existingColumns(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = metadataScope(md, schema);
        Set<String> out = new LinkedHashSet<>();
        try (ResultSet rs = md.getColumns(scope[0], scope[1], escape(md, table), null)) {
            while (rs.next()) {
                if (table.equals(rs.getString("TABLE_NAME"))) {
                    out.add(rs.getString("COLUMN_NAME"));
                }
            }
        }
        return out;
    }

    /**
     * @param c      a connection
     * @param schema the schema; null for the connection's default
     * @param table  unquoted name of an existing table
     * @param key    column names
     * @return true when the table's primary key or one of its unique indexes is on exactly {@code key} (any order)
     */
    public boolean hasUniqueKey(Connection c, String schema, String table, List<String> key) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = metadataScope(md, schema);
        Set<String> wanted = Set.copyOf(key);
        Map<String, Set<String>> byName = new java.util.HashMap<>();
        try (ResultSet rs = md.getPrimaryKeys(scope[0], scope[1], table)) {
            while (rs.next()) {
                byName.computeIfAbsent("primary key", n -> new java.util.HashSet<>()).add(rs.getString("COLUMN_NAME"));
            }
        }
        try (ResultSet rs = md.getIndexInfo(scope[0], scope[1], table, true, true)) {
            while (rs.next()) {
                String column = rs.getString("COLUMN_NAME");
                if (column != null && !rs.getBoolean("NON_UNIQUE")) {
                    byName.computeIfAbsent("index " + rs.getString("INDEX_NAME"), n -> new java.util.HashSet<>())
                            .add(column);
                }
            }
        }
        return byName.values().stream().anyMatch(wanted::equals);
    }

    /**
     * @param md     the connection's metadata
     * @param schema the schema; null for the connection's default
     * @return the catalog and the schema (either may be null) that {@link DatabaseMetaData} calls take for
     *         {@code schema}: by default (null, the schema or the connection's)
     */
    protected String[] metadataScope(DatabaseMetaData md, String schema) throws SQLException {
        return new String[] {null, schema == null ? md.getConnection().getSchema() : schema};
    }

    /** @return {@code name} with the metadata wildcards {@code _} and {@code %} escaped */
    protected static String escape(DatabaseMetaData md, String name) throws SQLException {
        String esc = md.getSearchStringEscape();
        if (esc == null || esc.isEmpty()) {
            return name;
        }
        return name.replace(esc, esc + esc).replace("_", esc + "_").replace("%", esc + "%");
    }

    // ---- values --------------------------------------------------------------------------------------------------

    /**
     * Binds one value of a column of PostgreSQL type {@code type}. The value is what
     * {@link PgBinaryCodec#decode} returns for the type (or what a {@code process_dict} put in a record).
     * Defaults: {@link BigDecimal} as is, {@link OffsetDateTime} via {@link #bindTimestamptz}, {@link UUID} and
     * json as text, arrays (and maps) as JSON text, {@code byte[]} as bytes, time with time zone, interval and
     * other types as PostgreSQL's text form.
     *
     * @throws SQLException from the driver
     * @throws IllegalArgumentException when the value cannot be written: a type {@link PgBinaryCodec} keeps raw
     *                                  (inet, money, ranges, ...), or numeric NaN/Infinity where the column is exact
     */
    public void bind(PreparedStatement ps, int index, PgType type, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, nullType(type));
            return;
        }
        if (value instanceof PgRaw raw) {
            throw new IllegalArgumentException("a value of PostgreSQL type OID " + raw.typeOid() + " cannot be written"
                    + " to " + name() + "; cast the column to text in the source or in process_dict");
        }
        switch (type.kind()) {
            case BOOLEAN -> ps.setBoolean(index, value instanceof Boolean b ? b : Boolean.parseBoolean(text(value)));
            case SMALLINT, INTEGER, BIGINT -> ps.setLong(index, value instanceof Number n ? n.longValue()
                    : Long.parseLong(text(value)));
            case NUMERIC -> bindDecimal(ps, index, type, value);
            case REAL -> ps.setFloat(index, value instanceof Number n ? n.floatValue() : Float.parseFloat(text(value)));
            case DOUBLE -> ps.setDouble(index, value instanceof Number n ? n.doubleValue()
                    : Double.parseDouble(text(value)));
            case BYTEA -> ps.setBytes(index, (byte[]) value);
            case DATE -> bindTemporal(ps, index, type, value);
            case TIMESTAMP -> bindTemporal(ps, index, type, value);
            case TIME -> bindTemporal(ps, index, type, value);
            case TIMESTAMPTZ -> {
                if (value instanceof OffsetDateTime t) {
                    bindTimestamptz(ps, index, t);
                } else {
                    ps.setString(index, text(value));
                }
            }
            case ARRAY -> ps.setString(index, json(value));
            case JSON -> ps.setString(index, value instanceof Map<?, ?> || value instanceof List<?> ? json(value)
                    : text(value));
            default -> ps.setString(index, text(value));
        }
    }

    /**
     * Binds a numeric: {@link BigDecimal} as is, or as its plain text where {@link #numericAsText} says the column is
     * text; NaN and infinities fail (exact columns cannot hold them).
     */
    protected void bindDecimal(PreparedStatement ps, int index, PgType type, Object value) throws SQLException {
        if (value instanceof Double d && (d.isNaN() || d.isInfinite())) {
            throw new IllegalArgumentException("numeric value " + d + " cannot be written to " + name()
                    + " (its decimal type holds no NaN or infinity)");
        }
        BigDecimal b = value instanceof BigDecimal v ? v : new BigDecimal(text(value));
        if (numericAsText(type)) {
            ps.setString(index, b.toPlainString());
        } else {
            ps.setBigDecimal(index, b);
        }
    }

    /**
     * @param type a {@link PgType.Kind#NUMERIC} type
     * @return true when {@link #columnType} makes it a text column (its precision exceeds the database's decimals),
     *         so that values are bound as exact text; false by default
     */
    protected boolean numericAsText(PgType type) {
        return false;
    }

    /** Binds a date, timestamp or time: the {@code java.time} value via {@code setObject}, text as text. */
    protected void bindTemporal(PreparedStatement ps, int index, PgType type, Object value) throws SQLException {
        if (value instanceof LocalDate || value instanceof LocalDateTime || value instanceof LocalTime) {
            ps.setObject(index, value);
        } else {
            ps.setString(index, text(value));
        }
    }

    /** Binds a timestamptz value (at UTC, as decoded): {@code setObject(OffsetDateTime)} by default. */
    protected void bindTimestamptz(PreparedStatement ps, int index, OffsetDateTime value) throws SQLException {
        ps.setObject(index, value);
    }

    /** @return the value in UTC without offset, for databases whose column holds no offset */
    protected static LocalDateTime utc(OffsetDateTime value) {
        return value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** @return PostgreSQL's text form of a value ({@link PgBinaryCodec#toText}) */
    protected static String text(Object value) {
        return PgBinaryCodec.toText(value);
    }

    /**
     * @param value a list (array; nested for more dimensions), map or other value
     * @return JSON text: numbers and booleans as JSON numbers and booleans (NaN and infinities as strings), lists as
     *         arrays, maps as objects, every other value as a string of its PostgreSQL text form, null as null
     */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(jsonTree(value));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write value as JSON: " + e.getMessage(), e);
        }
    }

    private static Object jsonTree(Object v) {
        if (v == null || v instanceof Boolean || v instanceof String || v instanceof BigDecimal
                || v instanceof Integer || v instanceof Long || v instanceof Short) {
            return v;
        }
        if (v instanceof Double d) {
            return d.isNaN() || d.isInfinite() ? d.toString() : d;
        }
        if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? f.toString() : f;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(e -> out.add(jsonTree(e)));
            return out;
        }
        if (v instanceof Object[] a) {
            return jsonTree(java.util.Arrays.asList(a));
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>();
            m.forEach((k, e) -> out.put(String.valueOf(k), jsonTree(e)));
            return out;
        }
        return text(v);
    }
}
