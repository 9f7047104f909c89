package io.caravan.dialect.sqlite;

import io.caravan.mapping.SourceSpec;
import io.caravan.source.jdbc.SourceColumn;
import io.caravan.source.jdbc.SourceDialect;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * SQLite as a source, through xerial's sqlite-jdbc (which steps through rows as they are read, so results stream).
 * Row values ({@code (a, b) > (?, ?)}, SQLite 3.15 and later) and {@code LIMIT n}. SQLite has no clock of its own
 * apart from this machine's ({@code strftime('%Y-%m-%d %H:%M:%f', 'now')}, the embedding process's clock). Types
 * follow the declared type's affinity (sqlite.org, "Datatypes In SQLite", 3.1): {@code INT} to bigint, {@code REAL},
 * {@code FLOA}, {@code DOUB} to double precision, {@code CHAR}, {@code CLOB}, {@code TEXT} to text, {@code BLOB} to
 * bytea; {@code BOOLEAN}, {@code DATE}, {@code DATETIME}/{@code TIMESTAMP} and {@code DECIMAL}/{@code NUMERIC} to
 * boolean, date, timestamp and numeric. Dates and timestamps are read from ISO-8601 text ({@code YYYY-MM-DD
 * HH:MM:SS[.SSS]}, as SQLite's date functions write them) and bookmarks compare as that text, with six fractional
 * digits as Caravan's SQLite destination writes them.
 */
public final class SqliteSourceDialect extends SourceDialect {

    /** The one instance. */
    public static final SqliteSourceDialect INSTANCE = new SqliteSourceDialect();

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

    private SqliteSourceDialect() {
    }

    @Override
    public String name() {
        return "sqlite";
    }

    /** @return the URL as given when it starts with {@code jdbc:}, else {@code jdbc:sqlite:<absolute path>} */
    @Override
    public String jdbcUrl(SourceSpec spec) {
        return spec.url().startsWith("jdbc:") ? spec.url() : "jdbc:sqlite:" + Path.of(spec.url()).toAbsolutePath();
    }

    @Override
    public String clock() {
        return "SELECT strftime('%Y-%m-%d %H:%M:%f', 'now'), strftime('%Y-%m-%d %H:%M:%f', 'now', 'localtime')";
    }

    @Override
    public LocalDateTime[] readClock(ResultSet rs) throws SQLException {
        return new LocalDateTime[] {timestamp(rs.getString(1)), timestamp(rs.getString(2))};
    }

    @Override
    public boolean rowValues() {
        return true;
    }

    @Override
    public String select(String table, List<String> columns, List<String> where, List<String> orderBy, int limit) {
        return "SELECT " + String.join(", ", columns) + " FROM " + table + where(where) + orderBy(orderBy)
                + (limit < 0 ? "" : " LIMIT " + limit);
    }

    /** SQLite has no schemas (the main database is the one read). */
    @Override
    protected String[] scope(java.sql.DatabaseMetaData md, String schema) {
        return new String[] {null, null};
    }

    /** @return the type of the declared type's affinity (see the class comment) */
    @Override
    public String pgType(SourceColumn column) {
        String t = column.type().toLowerCase(Locale.ROOT);
        if (t.startsWith("bool")) {
            return "boolean";
        }
        if (t.contains("int")) {
            return "bigint";
        }
        if (t.contains("char") || t.contains("clob") || t.contains("text")) {
            return "text";
        }
        if (t.isEmpty() || t.contains("blob")) {
            return t.isEmpty() ? "text" : "bytea";
        }
        if (t.contains("real") || t.contains("floa") || t.contains("doub")) {
            return "double precision";
        }
        if (t.startsWith("datetime") || t.startsWith("timestamp")) {
            return "timestamp without time zone";
        }
        if (t.startsWith("date")) {
            return "date";
        }
        if (t.startsWith("decimal") || t.startsWith("numeric")) {
            return "numeric";
        }
        return "text";
    }

    /** Dates, timestamps and times from ISO-8601 text (a {@code T} or a space between date and time). */
    @Override
    public <T> T readTemporal(ResultSet rs, int index, Class<T> type) throws SQLException {
        String text = rs.getString(index);
        if (text == null) {
            return null;
        }
        if (type == LocalDate.class) {
            return type.cast(LocalDate.parse(text.length() > 10 ? text.substring(0, 10) : text));
        }
        if (type == LocalTime.class) {
            return type.cast(LocalTime.parse(text));
        }
        return type.cast(timestamp(text));
    }

    private static LocalDateTime timestamp(String text) {
        String t = text.replace('T', ' ');
        if (t.length() == 10) {
            return LocalDate.parse(t).atStartOfDay();
        }
        return LocalDateTime.parse(t.replace(' ', 'T'));
    }

    /** Timestamps and dates as ISO-8601 text, the form the column holds; the rest as by default. */
    @Override
    public void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value instanceof LocalDateTime t) {
            ps.setString(index, TIMESTAMP.format(t));
        } else if (value instanceof OffsetDateTime t) {
            ps.setString(index, TIMESTAMP.format(t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()));
        } else if (value instanceof LocalDate d) {
            ps.setString(index, d.toString());
        } else {
            super.bind(ps, index, value);
        }
    }
}
