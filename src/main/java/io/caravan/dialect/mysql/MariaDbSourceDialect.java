package io.caravan.dialect.mysql;

import io.caravan.dialect.SqlDialect;
import io.caravan.mapping.SourceSpec;
import io.caravan.source.jdbc.SourceColumn;
import io.caravan.source.jdbc.SourceDialect;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * MariaDB and MySQL as sources, through MariaDB Connector/J 3.x ({@code jdbc:mysql:} URLs are read with it too).
 * Streaming: Connector/J 3.x reads a result set of a statement with a positive fetch size from the socket in steps
 * of that many rows instead of loading it whole (it refuses MySQL Connector/J's {@code Integer.MIN_VALUE}
 * convention; MariaDB Connector/J documentation, "Streaming result sets"), so {@link #streaming} sets a fetch size
 * and each keyset page is one streamed query. Keyset conditions use the expanded OR form, which InnoDB's range
 * optimizer turns into an index range (row-value comparisons are not optimised that way in MariaDB); pages end in
 * {@code LIMIT n}. Sessions read {@code TIMESTAMP} columns at UTC ({@code SET time_zone = '+00:00'}); the clock is
 * {@code UTC_TIMESTAMP(6)} and {@code NOW(6)} in the server's default time zone. Columns are described from
 * {@code information_schema.COLUMNS.COLUMN_TYPE}, which keeps {@code tinyint(1)}, {@code unsigned}, {@code enum} and
 * {@code set}; MariaDB's JSON (an alias of LONGTEXT) is recognised by the driver's result metadata. Zero dates are
 * read as NULL (the driver's behaviour, as pgloader's zero-dates-to-null).
 */
public final class MariaDbSourceDialect extends SourceDialect {

    /** {@code source_type: mariadb}. */
    public static final MariaDbSourceDialect MARIADB = new MariaDbSourceDialect("mariadb");
    /** {@code source_type: mysql}. */
    public static final MariaDbSourceDialect MYSQL = new MariaDbSourceDialect("mysql");

    /** Connections reading key ranges of a table at once unless {@code read_connections} says otherwise. */
    public static final int READ_CONNECTIONS = 4;

    private final String name;

    private MariaDbSourceDialect(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    /** @return the URL as {@link MariaDbDialect#jdbcUrl} builds it for a destination */
    @Override
    public String jdbcUrl(SourceSpec spec) {
        return MariaDbDialect.jdbcUrl(spec.url(), spec.dbName());
    }

    /** Adds {@code permitMysqlScheme} (so a {@code jdbc:mysql:} URL given as is works). */
    @Override
    public Properties connectionProperties(SourceSpec spec) {
        Properties p = super.connectionProperties(spec);
        p.setProperty("permitMysqlScheme", "true");
        return p;
    }

    /**
     * @return {@link #READ_CONNECTIONS}: a MariaDB server sends one query's rows on one thread, so reading key ranges
     *         on several connections lets it use more cores (bench/mariadb-source.sh, README "Performance")
     */
    @Override
    public int readConnections() {
        return READ_CONNECTIONS;
    }

    /**
     * @return true for character, enum, set, json, uuid, decimal, date, datetime and timestamp columns: Connector/J's
     *         text protocol (its default, without {@code useServerPrepStmts}) hands over the server's text of their
     *         values, in the session's utf8mb4 and, for TIMESTAMP, in the session's UTC
     */
    @Override
    public boolean textValues(SourceColumn column) {
        return switch (column.type()) {
            case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "json", "enum", "set", "uuid",
                 "decimal", "numeric", "date", "datetime", "timestamp" -> true;
            default -> false;
        };
    }

    /** @return {@code CAST(column AS CHAR)}: the text the protocol would send, in utf8mb4 */
    @Override
    public String asText(String quoted) {
        return "CAST(" + quoted + " AS CHAR)";
    }

    @Override
    public String quote(String identifier) {
        return SqlDialect.backQuoted(identifier);
    }

    @Override
    public String clock() {
        return "SELECT UTC_TIMESTAMP(6), NOW(6)";
    }

    @Override
    public LocalDateTime[] readClock(ResultSet rs) throws SQLException {
        return new LocalDateTime[] {rs.getObject(1, LocalDateTime.class), rs.getObject(2, LocalDateTime.class)};
    }

    /** {@code SET time_zone = '+00:00'}: TIMESTAMP columns read (and compare) at UTC. */
    @Override
    public void prepareSession(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00'");
        }
    }

    /** @return {@code SELECT ... LIMIT n} */
    @Override
    public String select(String table, List<String> columns, List<String> where, List<String> orderBy, int limit) {
        return "SELECT " + String.join(", ", columns) + " FROM " + table + where(where) + orderBy(orderBy)
                + (limit < 0 ? "" : " LIMIT " + limit);
    }

    @Override
    public List<SourceColumn> describe(Connection c, String schema, String table) throws SQLException {
        List<SourceColumn> out = new ArrayList<>();
        String sql = "SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, NUMERIC_PRECISION, NUMERIC_SCALE,"
                + " CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION, IS_NULLABLE FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String type = rs.getString(2).toLowerCase(Locale.ROOT);
                    String full = rs.getString(3).toLowerCase(Locale.ROOT);
                    boolean temporal = rs.getObject(7) != null;
                    long chars = rs.getLong(6);
                    out.add(new SourceColumn(rs.getString(1), type, full, 0,
                            (int) Math.min(Integer.MAX_VALUE, chars), rs.getInt(4),
                            temporal ? rs.getInt(7) : rs.getInt(5), "NO".equals(rs.getString(8))));
                }
            }
        }
        Map<String, String> driverTypes = new HashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + qualified(schema, table) + " WHERE 1 = 0")) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                driverTypes.put(md.getColumnName(i), md.getColumnTypeName(i));
            }
        }
        List<SourceColumn> typed = new ArrayList<>();
        for (SourceColumn col : out) {
            typed.add("JSON".equalsIgnoreCase(driverTypes.get(col.name())) && !col.type().equals("json")
                    ? new SourceColumn(col.name(), "json", "json", col.jdbcType(), col.length(), col.precision(),
                    col.scale(), col.notNull()) : col);
        }
        return typed;
    }

    /** Databases are catalogs to Connector/J. */
    @Override
    protected String[] scope(java.sql.DatabaseMetaData md, String schema) throws SQLException {
        return new String[] {schema == null ? md.getConnection().getCatalog() : schema, null};
    }

    /** MySQL's TIMESTAMP is an instant (stored at UTC): timestamptz; the rest as {@code SourceTypes} says. */
    @Override
    public String pgType(SourceColumn column) {
        return column.type().equals("timestamp") ? "timestamp with time zone" : null;
    }

    /** TIMESTAMP values arrive at UTC (the session's time zone). */
    @Override
    public OffsetDateTime readTimestamptz(ResultSet rs, int index) throws SQLException {
        LocalDateTime t = rs.getObject(index, LocalDateTime.class);
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    /**
     * TIME is read from its text, as the driver maps values outside a day (MySQL's TIME spans -838:59:59 to
     * 838:59:59) onto the clock.
     *
     * @throws SQLException naming the value when it is not a time of day (cast the column to text)
     */
    @Override
    public <T> T readTemporal(ResultSet rs, int index, Class<T> type) throws SQLException {
        if (type != LocalTime.class) {
            return rs.getObject(index, type);
        }
        String text = rs.getString(index);
        if (text == null) {
            return null;
        }
        try {
            return type.cast(LocalTime.parse(text.length() == 7 ? "0" + text : text));
        } catch (java.time.format.DateTimeParseException e) {
            throw new SQLException("TIME value " + text + " is not a time of day; cast the column to text (casts:)",
                    e);
        }
    }

    /** A timestamptz (a TIMESTAMP's value) is bound as its UTC date and time, the session's zone. */
    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof OffsetDateTime t) {
            ps.setObject(index, t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        } else {
            super.bind(ps, index, value);
        }
    }
}
