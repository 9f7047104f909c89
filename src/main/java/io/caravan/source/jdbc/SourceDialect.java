package io.caravan.source.jdbc;

import io.caravan.dialect.SqlDialect;
import io.caravan.mapping.SourceSpec;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The SQL a relational database other than PostgreSQL is read with, as a {@link JdbcSource}: the JDBC URL, the
 * session set-up, the source's clock, keyset pages (row-value comparison where the database has it, else the
 * expanded {@code a > ? OR (a = ? AND b > ?)} form; {@code LIMIT}, {@code FETCH FIRST} or {@code TOP}), the
 * streaming fetch, the table's columns and key, and the few values that need the database's own binding. This class
 * is the generic (SQL:2008) dialect of {@code source_type: jdbc}; one subclass per database overrides what differs
 * (in {@code io.caravan.dialect.mysql}, {@code oracle}, {@code sqlserver}, {@code sqlite}, {@code h2}). Immutable and
 * thread-safe; statements take values as parameters, never as literals.
 */
public class SourceDialect {

    /** {@code source_type: jdbc}: SQL:2008 ({@code FETCH FIRST n ROWS ONLY}), no row values, double-quoted names. */
    public static final SourceDialect GENERIC = new SourceDialect();

    /** Rows the driver fetches per round trip, at most. */
    public static final int FETCH_ROWS = 10_000;

    /** @return the family, e.g. {@code mariadb}; {@code jdbc} for the generic dialect */
    public String name() {
        return "jdbc";
    }

    /**
     * @param spec the mapping's source; never null
     * @return the JDBC URL: {@link SourceSpec#url()} when it starts with {@code jdbc:}, else the dialect's URL built
     *         from host[:port] or a file path and {@code db_name}
     * @throws IllegalArgumentException when the generic dialect is given something other than a {@code jdbc:} URL
     */
    public String jdbcUrl(SourceSpec spec) {
        if (spec.url() != null && spec.url().startsWith("jdbc:")) {
            return spec.url();
        }
        throw new IllegalArgumentException("source_type jdbc needs a jdbc: URL, not " + spec.url());
    }

    /**
     * @param spec the mapping's source; never null
     * @return {@code user} and {@code password} (resolved) when given, plus the dialect's own settings
     */
    public Properties connectionProperties(SourceSpec spec) {
        Properties p = new Properties();
        if (spec.username() != null && !spec.username().isEmpty()) {
            p.setProperty("user", spec.username());
        }
        if (spec.password() != null && !spec.password().isEmpty()) {
            p.setProperty("password", spec.password().resolve());
        }
        return p;
    }

    /** @return {@code "name"} with embedded quotes doubled */
    public String quote(String identifier) {
        return SqlDialect.doubleQuoted(identifier);
    }

    /** @return the quoted, qualified name; just the table when {@code schema} is null */
    public String qualified(String schema, String table) {
        return schema == null ? quote(table) : quote(schema) + "." + quote(table);
    }

    /**
     * @return a query whose one row holds the source's clock twice, as timestamps without time zone: now in UTC,
     *         and now in the source's own time zone (the wall clock that {@code timestamp} bookmarks are written in).
     *         The generic dialect uses SQL's {@code CURRENT_TIMESTAMP} (the second column is then read with its
     *         offset, see {@link #readClock})
     */
    public String clock() {
        return "SELECT CURRENT_TIMESTAMP, LOCALTIMESTAMP FROM (VALUES (0)) AS t(x)";
    }

    /**
     * Reads the {@link #clock()} query's row.
     *
     * @return {UTC now, source-local now}
     */
    public LocalDateTime[] readClock(ResultSet rs) throws SQLException {
        OffsetDateTime now = rs.getObject(1, OffsetDateTime.class);
        return new LocalDateTime[] {now.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime(),
                now.toLocalDateTime()};
    }

    /**
     * Prepares a reading session, after the clock was read on it: MariaDB reads {@code TIMESTAMP} columns in UTC.
     * Nothing by default.
     */
    public void prepareSession(Connection c) throws SQLException {
        // nothing to set
    }

    /** @return true when the database compares row values: {@code (a, b) > (?, ?)}; false by default */
    public boolean rowValues() {
        return false;
    }

    /**
     * @param table   qualified table
     * @param columns select list (quoted expressions); never empty
     * @param where   conditions joined by AND; empty for none
     * @param orderBy quoted columns; empty for no order
     * @param limit   rows at most; -1 for no limit
     * @return the SELECT; the generic form ends in {@code FETCH FIRST n ROWS ONLY}
     */
    public String select(String table, List<String> columns, List<String> where, List<String> orderBy, int limit) {
        return "SELECT " + String.join(", ", columns) + " FROM " + table + where(where) + orderBy(orderBy)
                + (limit < 0 ? "" : " FETCH FIRST " + limit + " ROWS ONLY");
    }

    /** @return {@code  WHERE a AND b}, or empty */
    protected static String where(List<String> where) {
        return where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    }

    /** @return {@code  ORDER BY a, b}, or empty */
    protected static String orderBy(List<String> orderBy) {
        return orderBy.isEmpty() ? "" : " ORDER BY " + String.join(", ", orderBy);
    }

    /**
     * The keyset condition "after this row" on the ordered columns, with one placeholder per value use.
     *
     * @param columns quoted columns, in order (the last one unique); never empty
     * @return the condition and, per placeholder, the index into {@code columns} of the value it takes
     */
    public Condition after(List<String> columns) {
        if (rowValues() && columns.size() > 1) {
            List<Integer> params = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                params.add(i);
            }
            return new Condition("(" + String.join(", ", columns) + ") > ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")", params);
        }
        StringBuilder sql = new StringBuilder();
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sql.append(" OR ");
            }
            sql.append(i > 0 ? "(" : "");
            for (int j = 0; j < i; j++) {
                sql.append(columns.get(j)).append(" = ? AND ");
                params.add(j);
            }
            sql.append(columns.get(i)).append(" > ?");
            params.add(i);
            sql.append(i > 0 ? ")" : "");
        }
        return new Condition(columns.size() > 1 ? "(" + sql + ")" : sql.toString(), params);
    }

    /**
     * A condition with placeholders.
     *
     * @param sql    the condition
     * @param params per placeholder, in order, the index of the value it takes (into the caller's values)
     */
    public record Condition(String sql, List<Integer> params) {
    }

    /**
     * Makes a statement stream its rows instead of loading the whole result: by default a fetch size of at most
     * {@link #FETCH_ROWS} rows.
     *
     * @param st        a statement not yet executed
     * @param batchSize the table's {@code batch_size}
     */
    public void streaming(Statement st, int batchSize) throws SQLException {
        st.setFetchSize(Math.min(batchSize, FETCH_ROWS));
    }

    /**
     * @param column a column of the table read
     * @return true when the driver's {@code getString} gives the server's own text of the column's values (dates as
     *         {@code YYYY-MM-DD HH:MM:SS.ffffff}, in the session's time zone) and, for characters, {@code getBytes}
     *         their UTF-8, so that binary COPY fields are written from them without Java values in between
     *         ({@link SourceTypes#writer}); false by default
     */
    public boolean textValues(SourceColumn column) {
        return false;
    }

    /**
     * @param quoted a quoted column
     * @return the column's value as the server's text, for the writers of {@link SourceTypes#writer} that read it so
     *         (dates and times); the column itself by default, as no default dialect has {@link #textValues}
     */
    public String asText(String quoted) {
        return quoted;
    }

    /**
     * @return connections that read key ranges of a table at once when its {@code read_connections} is not given:
     *         1 by default (one connection, keyset pages in key order)
     */
    public int readConnections() {
        return 1;
    }

    /**
     * @param c      a connection
     * @param schema the table's schema; null for the connection's default
     * @param table  the table name, as the database spells it
     * @return the table's columns, in order; empty when there is no such table
     */
    public List<SourceColumn> describe(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = scope(md, schema);
        List<SourceColumn> out = new ArrayList<>();
        try (ResultSet rs = md.getColumns(scope[0], scope[1], table, null)) {
            while (rs.next()) {
                if (!table.equals(rs.getString("TABLE_NAME"))) {
                    continue;
                }
                String type = rs.getString("TYPE_NAME").toLowerCase(Locale.ROOT);
                int size = rs.getInt("COLUMN_SIZE");
                int digits = rs.getInt("DECIMAL_DIGITS");
                out.add(new SourceColumn(rs.getString("COLUMN_NAME"), type, type, rs.getInt("DATA_TYPE"), size, size,
                        digits, rs.getInt("NULLABLE") == DatabaseMetaData.columnNoNulls));
            }
        }
        return out;
    }

    /**
     * @return the name of the table as the database spells it: {@code table} itself, else the one table of the schema
     *         whose name matches it ignoring case (H2 and Oracle keep unquoted names in upper case); null when none
     */
    public String resolveTable(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = scope(md, schema);
        String match = null;
        try (ResultSet rs = md.getTables(scope[0], scope[1], null, null)) {
            while (rs.next()) {
                String name = rs.getString("TABLE_NAME");
                if (name.equals(table)) {
                    return name;
                }
                if (name.equalsIgnoreCase(table)) {
                    match = name;
                }
            }
        }
        return match;
    }

    /** @return the primary key's columns, in key order; empty when the table has none */
    public List<String> primaryKey(Connection c, String schema, String table) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String[] scope = scope(md, schema);
        Map<Short, String> byPosition = new java.util.TreeMap<>();
        try (ResultSet rs = md.getPrimaryKeys(scope[0], scope[1], table)) {
            while (rs.next()) {
                byPosition.put(rs.getShort("KEY_SEQ"), rs.getString("COLUMN_NAME"));
            }
        }
        return new ArrayList<>(byPosition.values());
    }

    /** @return true when the primary key or a unique index is on {@code column} alone */
    public boolean uniqueColumn(Connection c, String schema, String table, String column) throws SQLException {
        if (primaryKey(c, schema, table).equals(List.of(column))) {
            return true;
        }
        DatabaseMetaData md = c.getMetaData();
        String[] scope = scope(md, schema);
        Map<String, Set<String>> byIndex = new HashMap<>();
        try (ResultSet rs = md.getIndexInfo(scope[0], scope[1], table, true, true)) {
            while (rs.next()) {
                String col = rs.getString("COLUMN_NAME");
                if (col != null && !rs.getBoolean("NON_UNIQUE")) {
                    byIndex.computeIfAbsent(rs.getString("INDEX_NAME"), n -> new HashSet<>()).add(col);
                }
            }
        }
        return byIndex.values().stream().anyMatch(Set.of(column)::equals);
    }

    /**
     * @return the catalog and schema {@link DatabaseMetaData} calls take for {@code schema}: by default (null, the
     *         schema or the connection's)
     */
    protected String[] scope(DatabaseMetaData md, String schema) throws SQLException {
        return new String[] {null, schema == null ? md.getConnection().getSchema() : schema};
    }

    /**
     * Maps a source column to its PostgreSQL type, the README's "Relational sources" table.
     *
     * @return the PostgreSQL type ({@code format_type} text), or null when {@link SourceTypes} decides
     */
    public String pgType(SourceColumn column) {
        return null;
    }

    /**
     * Reads a value the {@link SourceTypes} mapping made a {@code timestamp with time zone}.
     *
     * @return the value at UTC; null for SQL NULL
     */
    public OffsetDateTime readTimestamptz(ResultSet rs, int index) throws SQLException {
        OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
        return t == null ? null : t.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * Reads a date, timestamp or time value: {@code getObject(index, type)} by default.
     *
     * @param type {@link LocalDate}, {@link LocalDateTime} or {@link java.time.LocalTime}
     * @return the value; null for SQL NULL
     */
    public <T> T readTemporal(ResultSet rs, int index, Class<T> type) throws SQLException {
        return rs.getObject(index, type);
    }

    /**
     * Binds a cursor value (a key or bookmark parsed back from the cursor's text).
     *
     * @param value a Long, Integer, Short, BigDecimal, String, UUID, LocalDate, LocalDateTime or OffsetDateTime
     */
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof java.util.UUID u) {
            ps.setString(index, u.toString());
        } else {
            ps.setObject(index, value);
        }
    }

}
